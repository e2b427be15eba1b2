using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Koans.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Koans.Crypto.Tls;

public sealed class PinnedTlsClientTests : IDisposable
{
    private const string Host = "api.koans.test";

    // A P-256 key generated for this test with:
    //   openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out pin-test-key.pem
    // and its pin computed with (OpenSSL 3.0.19):
    //   openssl pkey -in pin-test-key.pem -pubout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64
    private const string FixedKeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgI3XWHIE1kxs16zju
        vVqtZkoBeOSFlwcIT5ad3LxUd1ehRANCAARKhDimvvBvgHYFwSNctYvbCdgQlLmS
        sdSKp3I7BGGo3gJCiAbqhSPFOWsdXiiaWa/ibtRBpdPwWKFdHhNbImGx
        -----END PRIVATE KEY-----
        """;
    private const string FixedKeyPin = "9OVoOEv++C35zVcCI11IDuubUgi0RtLCjGgsk+pZrwc=";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly TestPki _pki;
    private readonly TestPki _strangerPki;

    public PinnedTlsClientTests()
    {
        _pki = new TestPki("CN=Koans TLS Test Root", _time.GetUtcNow());
        _strangerPki = new TestPki("CN=Some Other CA", _time.GetUtcNow());
    }

    public void Dispose()
    {
        _pki.Dispose();
        _strangerPki.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A TLS echo server: for each line received, replies "echo: " + line, in two TLS records.</summary>
    private static LoopbackTcpServer StartEchoServer(X509Certificate2 serverCertificate) =>
        LoopbackTcpServer.Start(async (network, ct) =>
        {
            await using var tls = new SslStream(network);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = serverCertificate }, ct);
            using var reader = new StreamReader(tls, Encoding.UTF8, leaveOpen: true);
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                await tls.WriteAsync("echo: "u8.ToArray(), ct);
                await tls.FlushAsync(ct);
                await tls.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), ct);
                await tls.FlushAsync(ct);
            }
        });

    [Fact]
    public void ComputeSpkiPin_matches_openssl_for_a_fixed_key()
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(FixedKeyPem);
        using var certificate = new CertificateRequest("CN=pin test", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(_time.GetUtcNow().AddDays(-1), _time.GetUtcNow().AddDays(1));

        PinnedTlsClient.ComputeSpkiPin(certificate).Should().Be(FixedKeyPin,
            "the pin is base64(SHA-256(SubjectPublicKeyInfo)), exactly what the openssl pipeline in the comment prints");
    }

    [Fact]
    public async Task Handshake_with_the_trusted_CA_and_the_pinned_key_succeeds_and_a_message_round_trips()
    {
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var serverCert = _pki.IssueServer(Host, serverKey);
        await using var server = StartEchoServer(serverCert);
        var options = PinnedTlsClient.CreateOptions(Host, _pki.Root, [PinnedTlsClient.ComputeSpkiPin(serverCert)], _time);

        await using var tls = await PinnedTlsClient.ConnectAsync(server.EndPoint, options, Ct);
        var reply = await PinnedTlsClient.ExchangeLineAsync(tls, "hello over TLS", Ct);

        tls.IsAuthenticated.Should().BeTrue("the handshake completed");
        tls.IsEncrypted.Should().BeTrue("application data travels encrypted");
        reply.Should().Be("echo: hello over TLS", "the server echoes the line; the reply arrives in two TLS records and must be read to the newline");
        (await PinnedTlsClient.ExchangeLineAsync(tls, "second", Ct)).Should().Be("echo: second", "the stream stays usable");
    }

    [Fact]
    public async Task A_server_presenting_another_key_is_refused_even_with_a_valid_certificate()
    {
        using var pinnedKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var pinnedCert = _pki.IssueServer(Host, pinnedKey);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherCert = _pki.IssueServer(Host, otherKey); // same trusted CA, same host name: only the key differs
        await using var server = StartEchoServer(otherCert);
        var options = PinnedTlsClient.CreateOptions(Host, _pki.Root, [PinnedTlsClient.ComputeSpkiPin(pinnedCert)], _time);

        var act = () => PinnedTlsClient.ConnectAsync(server.EndPoint, options, Ct);

        await act.Should().ThrowAsync<AuthenticationException>(
            "the chain and the name are fine, but the key is not the pinned one: a mis-issued certificate (DigiNotar) looks exactly like this");
    }

    [Fact]
    public async Task A_renewed_certificate_for_the_same_key_still_matches_the_pin()
    {
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var original = _pki.IssueServer(Host, serverKey);
        using var renewed = _pki.IssueServer(Host, serverKey);
        await using var server = StartEchoServer(renewed);
        var options = PinnedTlsClient.CreateOptions(Host, _pki.Root, [PinnedTlsClient.ComputeSpkiPin(original)], _time);

        await using var tls = await PinnedTlsClient.ConnectAsync(server.EndPoint, options, Ct);

        (await PinnedTlsClient.ExchangeLineAsync(tls, "ping", Ct)).Should().Be("echo: ping",
            "the pin is over the public key, so renewing the certificate with the same key does not break clients");
    }

    [Fact]
    public async Task A_backup_pin_accepts_the_next_key()
    {
        using var currentKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var current = _pki.IssueServer(Host, currentKey);
        using var nextKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var next = _pki.IssueServer(Host, nextKey);
        await using var server = StartEchoServer(next);
        var pins = new[] { PinnedTlsClient.ComputeSpkiPin(current), PinnedTlsClient.ComputeSpkiPin(next) };

        await using var tls = await PinnedTlsClient.ConnectAsync(server.EndPoint, PinnedTlsClient.CreateOptions(Host, _pki.Root, pins, _time), Ct);

        tls.IsAuthenticated.Should().BeTrue("any pin in the set is accepted: RFC 7469 requires a backup pin for key rotation");
    }

    [Fact]
    public async Task A_certificate_from_an_unknown_CA_is_refused_even_when_the_key_is_pinned()
    {
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var strangerCert = _strangerPki.IssueServer(Host, serverKey);
        await using var server = StartEchoServer(strangerCert);
        var options = PinnedTlsClient.CreateOptions(Host, _pki.Root, [PinnedTlsClient.ComputeSpkiPin(strangerCert)], _time);

        var act = () => PinnedTlsClient.ConnectAsync(server.EndPoint, options, Ct);

        await act.Should().ThrowAsync<AuthenticationException>("pinning adds to chain validation, it does not replace it");
    }

    [Fact]
    public async Task A_certificate_for_another_host_name_is_refused()
    {
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var serverCert = _pki.IssueServer("other.koans.test", serverKey);
        await using var server = StartEchoServer(serverCert);
        var options = PinnedTlsClient.CreateOptions(Host, _pki.Root, [PinnedTlsClient.ComputeSpkiPin(serverCert)], _time);

        var act = () => PinnedTlsClient.ConnectAsync(server.EndPoint, options, Ct);

        await act.Should().ThrowAsync<AuthenticationException>("we asked for api.koans.test; the certificate names other.koans.test");
    }

    [Fact]
    public async Task An_expired_server_certificate_is_refused()
    {
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var serverCert = _pki.IssueServer(Host, serverKey);
        await using var server = StartEchoServer(serverCert);
        _time.Advance(TimeSpan.FromDays(91));
        var options = PinnedTlsClient.CreateOptions(Host, _pki.Root, [PinnedTlsClient.ComputeSpkiPin(serverCert)], _time);

        var act = () => PinnedTlsClient.ConnectAsync(server.EndPoint, options, Ct);

        await act.Should().ThrowAsync<AuthenticationException>("the 90-day certificate expired a day ago (validation time comes from the TimeProvider)");
    }

    [Fact]
    public async Task ExchangeLineAsync_reports_a_stream_that_ends_mid_line()
    {
        using var stream = new MemoryStream();
        await using var truncated = new ConcatStream(stream, "echo: no newline"u8.ToArray());

        var act = () => PinnedTlsClient.ExchangeLineAsync(truncated, "hi", Ct);

        await act.Should().ThrowAsync<EndOfStreamException>("a reply without its newline is incomplete, not a shorter reply");
    }

    [Fact]
    public async Task A_leaf_certified_only_for_client_authentication_is_refused_as_a_server()
    {
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var clientOnlyCert = _pki.IssueServer(Host, serverKey, extendedKeyUsageOid: TestPki.ClientAuthentication);
        await using var server = StartEchoServer(clientOnlyCert);
        var options = PinnedTlsClient.CreateOptions(Host, _pki.Root, [PinnedTlsClient.ComputeSpkiPin(clientOnlyCert)], _time);

        var act = () => PinnedTlsClient.ConnectAsync(server.EndPoint, options, Ct);

        await act.Should().ThrowAsync<AuthenticationException>(
            "the certificate's extended key usage allows only clientAuth: a server must be certified for serverAuth (RFC 5280 4.2.1.12)");
    }

    [Fact]
    public void ComputeSpkiPin_rejects_a_null_certificate()
    {
        var act = () => PinnedTlsClient.ComputeSpkiPin(null!);

        act.Should().Throw<ArgumentNullException>("a missing certificate is a caller bug, reported as such rather than as a NullReferenceException")
            .WithParameterName("certificate");
    }

    [Fact]
    public void CreateOptions_rejects_a_blank_host_missing_arguments_and_an_empty_pin_set()
    {
        string[] pins = [FixedKeyPin];

        FluentActions.Invoking(() => PinnedTlsClient.CreateOptions("  ", _pki.Root, pins, _time)).Should()
            .Throw<ArgumentException>("without a host name there is neither SNI nor a name to check the certificate against")
            .WithParameterName("targetHost");
        FluentActions.Invoking(() => PinnedTlsClient.CreateOptions(Host, null!, pins, _time)).Should()
            .Throw<ArgumentNullException>("without a root nothing can be trusted").WithParameterName("trustedRoot");
        FluentActions.Invoking(() => PinnedTlsClient.CreateOptions(Host, _pki.Root, null!, _time)).Should()
            .Throw<ArgumentNullException>("a missing pin set is a caller bug").WithParameterName("spkiPins");
        FluentActions.Invoking(() => PinnedTlsClient.CreateOptions(Host, _pki.Root, pins, null!)).Should()
            .Throw<ArgumentNullException>("the validation time comes from the TimeProvider").WithParameterName("time");
        FluentActions.Invoking(() => PinnedTlsClient.CreateOptions(Host, _pki.Root, [], _time)).Should()
            .Throw<ArgumentException>("an empty pin set would refuse every server: fail at configuration time, not at every handshake")
            .WithParameterName("spkiPins");
    }

    [Fact]
    public async Task ConnectAsync_rejects_missing_arguments_before_connecting()
    {
        await using var server = LoopbackTcpServer.Start((_, _) => Task.CompletedTask);
        var options = PinnedTlsClient.CreateOptions(Host, _pki.Root, [FixedKeyPin], _time);

        await FluentActions.Awaiting(() => PinnedTlsClient.ConnectAsync(null!, options, Ct)).Should()
            .ThrowAsync<ArgumentNullException>("there is nowhere to connect to").WithParameterName("server");
        await FluentActions.Awaiting(() => PinnedTlsClient.ConnectAsync(server.EndPoint, null!, Ct)).Should()
            .ThrowAsync<ArgumentNullException>("without options there is no trust decision to make: check before opening a socket")
            .WithParameterName("options");
    }

    [Fact]
    public async Task ConnectAsync_with_a_cancelled_token_throws_OperationCanceledException()
    {
        await using var server = LoopbackTcpServer.Start((_, _) => Task.CompletedTask);
        var options = PinnedTlsClient.CreateOptions(Host, _pki.Root, [FixedKeyPin], _time);

        var act = () => PinnedTlsClient.ConnectAsync(server.EndPoint, options, new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>(
            "cancellation before the TLS stream exists must clean up the socket and let the cancellation propagate unchanged");
    }

    [Fact]
    public async Task ConnectAsync_does_not_resume_on_the_callers_synchronization_context()
    {
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var serverCert = _pki.IssueServer(Host, serverKey);
        await using var server = StartEchoServer(serverCert);
        var accepted = PinnedTlsClient.CreateOptions(Host, _pki.Root, [PinnedTlsClient.ComputeSpkiPin(serverCert)], _time);
        var refused = PinnedTlsClient.CreateOptions(Host, _pki.Root, [FixedKeyPin], _time);
        var context = new RecordingSynchronizationContext();

        await (await context.RunAsync(() => PinnedTlsClient.ConnectAsync(server.EndPoint, accepted, Ct))).DisposeAsync();
        await FluentActions.Awaiting(() => context.RunAsync(() => PinnedTlsClient.ConnectAsync(server.EndPoint, refused, Ct)))
            .Should().ThrowAsync<AuthenticationException>("the pin does not match");

        context.Posts.Should().Be(0,
            "library code must not resume on the caller's context: a UI or classic ASP.NET caller blocking on the task would deadlock");
    }

    [Theory]
    [InlineData("the write", true, false, false)]
    [InlineData("the flush", false, true, false)]
    [InlineData("a read", false, false, true)]
    public async Task ExchangeLineAsync_does_not_resume_on_the_callers_synchronization_context(
        string pendingOperation, bool asyncWrite, bool asyncFlush, bool asyncRead)
    {
        var peer = new AsynchronousPeerStream("echo: hi\n"u8.ToArray(), asyncWrite, asyncFlush, asyncRead);
        var context = new RecordingSynchronizationContext();

        var reply = await context.RunAsync(() => PinnedTlsClient.ExchangeLineAsync(peer, "hi", Ct));

        reply.Should().Be("echo: hi");
        context.Posts.Should().Be(0,
            $"{pendingOperation} completed later, and library code must not resume on the caller's context: a UI or classic ASP.NET caller blocking on the task would deadlock");
    }

    [Fact]
    public async Task ExchangeLineAsync_flushes_the_request_before_waiting_for_the_reply()
    {
        var peer = new AsynchronousPeerStream("echo: hi\n"u8.ToArray());

        var reply = await PinnedTlsClient.ExchangeLineAsync(peer, "hi", Ct);

        peer.Flushed.Should().BeTrue("a buffered stream holds the request until flushed, and the peer cannot answer what it never received");
        reply.Should().Be("echo: hi");
    }

    [Fact]
    public async Task ExchangeLineAsync_rejects_missing_arguments()
    {
        await FluentActions.Awaiting(() => PinnedTlsClient.ExchangeLineAsync(null!, "hi", Ct)).Should()
            .ThrowAsync<ArgumentNullException>("there is no stream to talk over").WithParameterName("stream");
        await FluentActions.Awaiting(() => PinnedTlsClient.ExchangeLineAsync(new AsynchronousPeerStream("x\n"u8.ToArray()), null!, Ct)).Should()
            .ThrowAsync<ArgumentNullException>("a null line is a caller bug, not an empty request").WithParameterName("line");
    }

    /// <summary>Counts continuations posted to it; runs them on the thread pool with itself as the context.</summary>
    private sealed class RecordingSynchronizationContext : SynchronizationContext
    {
        private int _posts;
        public int Posts => Volatile.Read(ref _posts);

        public override void Post(SendOrPostCallback d, object? state)
        {
            Interlocked.Increment(ref _posts);
            ThreadPool.QueueUserWorkItem(_ =>
            {
                SetSynchronizationContext(this);
                try { d(state); } finally { SetSynchronizationContext(null); }
            });
        }

        /// <summary>Starts <paramref name="start"/> with this context current, then restores the caller's.</summary>
        public Task<T> RunAsync<T>(Func<Task<T>> start)
        {
            var previous = Current;
            SetSynchronizationContext(this);
            try { return start(); } finally { SetSynchronizationContext(previous); }
        }
    }

    /// <summary>
    /// A peer whose writes, flushes and reads (each as chosen) complete later on the thread pool rather than at once. The
    /// reply is readable only after a flush; a read before that is a request the peer never received: end of stream.
    /// </summary>
    private sealed class AsynchronousPeerStream(byte[] reply, bool asyncWrite = true, bool asyncFlush = true, bool asyncRead = true) : Stream
    {
        private readonly MemoryStream _reply = new(reply);
        public bool Flushed { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => Flushed = true;
        public override int Read(byte[] buffer, int offset, int count) => Flushed ? _reply.Read(buffer, offset, count) : 0;
        public override void Write(byte[] buffer, int offset, int count) { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            asyncWrite ? new(Task.Run(async () => await Task.Yield(), CancellationToken.None)) : ValueTask.CompletedTask;

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            if (!asyncFlush)
            {
                Flush();
                return Task.CompletedTask;
            }

            return Task.Run(async () => { await Task.Yield(); Flush(); }, CancellationToken.None);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            asyncRead
                ? new(Task.Run(async () => { await Task.Yield(); return Flushed ? _reply.Read(buffer.Span) : 0; }, CancellationToken.None))
                : new(Flushed ? _reply.Read(buffer.Span) : 0);
    }

    /// <summary>Writes go to <c>sink</c>; reads return <c>toRead</c> and then end of stream.</summary>
    private sealed class ConcatStream(Stream sink, byte[] toRead) : Stream
    {
        private readonly MemoryStream _source = new(toRead);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => sink.Flush();
        public override int Read(byte[] buffer, int offset, int count) => _source.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => sink.Write(buffer, offset, count);
    }
}
