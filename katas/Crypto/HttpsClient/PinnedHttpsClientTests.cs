using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Koans.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Koans.Crypto.HttpsClient;

public sealed class PinnedHttpsClientTests : IDisposable
{
    private const string Host = "api.koans.test";
    private const string Greeting = "hello over https";

    // The client uses the system clock, as production code does: the PKI's validity periods are measured from now.
    private readonly TestPki _pki = new("CN=Koans HTTPS Test Root", DateTimeOffset.UtcNow);
    private readonly TestPki _strangerPki = new("CN=Some Other CA", DateTimeOffset.UtcNow);
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
        _pki.Dispose();
        _strangerPki.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private ECDsa NewKey() => Own(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>A leaf for <paramref name="dnsName"/> from <paramref name="pki"/> (default: the trusted one).</summary>
    private X509Certificate2 Issue(string dnsName = Host, ECDsa? key = null, TestPki? pki = null, X509Certificate2? issuer = null,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null) =>
        Own((pki ?? _pki).IssueServer(dnsName, key ?? NewKey(), notBefore: notBefore, notAfter: notAfter, issuer: issuer));

    /// <summary>
    /// OkHttp's pin format, computed here independently of your code: "sha256/" + base64(SHA-256(DER
    /// SubjectPublicKeyInfo)), what the openssl pipeline in the stub's documentation prints.
    /// </summary>
    private static string PinOf(X509Certificate2 certificate) =>
        "sha256/" + Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    private static Task<LoopbackHttpServer> StartServerAsync(X509Certificate2 certificate, params X509Certificate2[] intermediates) =>
        LoopbackHttpServer.StartHttpsAsync(app =>
        {
            app.MapGet("/greeting", () => Results.Text(Greeting, "text/plain"));
            app.MapGet("/missing", () => Results.NotFound());
        }, certificate, intermediates, Ct);

    private PinnedHttpsClient ClientFor(LoopbackHttpServer server, params string[] pins) =>
        Own(new PinnedHttpsClient(Host, server.EndPoint, _pki.Root, pins));

    /// <summary>Asserts the request is refused in the TLS handshake, before any request reaches the server.</summary>
    private static async Task ShouldBeRefusedAsync(PinnedHttpsClient client, LoopbackHttpServer server, string because)
    {
        var act = () => client.GetStringAsync("/greeting", Ct);

        await act.Should().ThrowAsync<HttpRequestException>(because)
            .Where(e => e.InnerException is AuthenticationException,
                "the TLS handshake refuses the server (HttpClient wraps its AuthenticationException), before any HTTP is spoken");
        server.TotalRequests.Should().Be(0,
            "no request, and no header such as a bearer token, may reach a server the client has not verified");
    }

    [Fact]
    public async Task A_certificate_from_the_trusted_root_for_the_right_host_is_accepted_and_the_body_is_read()
    {
        var certificate = Issue();
        await using var server = await StartServerAsync(certificate);
        var client = ClientFor(server, PinOf(certificate));

        var body = await client.GetStringAsync("/greeting", Ct);

        body.Should().Be(Greeting, "the chain leads to the trusted root, the name is api.koans.test and the key is pinned");
        server.RequestCount("/greeting").Should().Be(1);
    }

    [Fact]
    public async Task A_chain_through_an_intermediate_the_server_sends_is_accepted()
    {
        var intermediate = _pki.IssueIntermediate("CN=Koans Issuing CA 1");
        var certificate = Issue(issuer: intermediate);
        await using var server = await StartServerAsync(certificate, intermediate);
        var client = ClientFor(server, PinOf(certificate));

        (await client.GetStringAsync("/greeting", Ct)).Should().Be(Greeting,
            "real servers send their intermediate CA: the chain leaf -> intermediate -> trusted root is valid, though the leaf is not signed by the root itself");
    }

    [Fact]
    public async Task A_pin_on_the_intermediates_key_accepts_the_leaves_it_issues()
    {
        var intermediate = _pki.IssueIntermediate("CN=Koans Issuing CA 1");
        var certificate = Issue(issuer: intermediate);
        await using var server = await StartServerAsync(certificate, intermediate);
        var client = ClientFor(server, PinOf(intermediate));

        (await client.GetStringAsync("/greeting", Ct)).Should().Be(Greeting,
            "RFC 7469 2.6 and OkHttp match a pin against every key of the validated chain: pinning the issuing CA survives leaf rotations");
    }

    [Fact]
    public async Task A_certificate_for_another_host_name_is_refused_even_when_its_key_is_pinned()
    {
        var certificate = Issue("other.koans.test");
        await using var server = await StartServerAsync(certificate);
        var client = ClientFor(server, PinOf(certificate));

        await ShouldBeRefusedAsync(client, server,
            "the client expects api.koans.test and the certificate names other.koans.test: a name mismatch is a refusal, whatever address you dialled");
    }

    [Theory]
    [InlineData("expired yesterday", -91, -1)]
    [InlineData("not valid until tomorrow", 1, 91)]
    public async Task A_certificate_outside_its_validity_period_is_refused_even_when_its_key_is_pinned(string state, int fromDays, int toDays)
    {
        var now = DateTimeOffset.UtcNow;
        var certificate = Issue(notBefore: now.AddDays(fromDays), notAfter: now.AddDays(toDays));
        await using var server = await StartServerAsync(certificate);
        var client = ClientFor(server, PinOf(certificate));

        await ShouldBeRefusedAsync(client, server, $"the certificate is {state}: the pin adds to the chain's checks, it does not replace them");
    }

    [Fact]
    public async Task A_certificate_from_another_root_is_refused_even_when_its_key_is_pinned()
    {
        var certificate = Issue(pki: _strangerPki);
        await using var server = await StartServerAsync(certificate);
        var client = ClientFor(server, PinOf(certificate));

        await ShouldBeRefusedAsync(client, server,
            "only the given root is trusted: a chain to any other CA fails, and a matching pin does not make up for it");
    }

    [Fact]
    public async Task A_certificate_from_the_trusted_root_for_another_key_is_refused_by_the_pin()
    {
        var pinned = Issue();
        var impostor = Issue(); // same trusted root, same host name, valid: only the key differs
        await using var server = await StartServerAsync(impostor);
        var client = ClientFor(server, PinOf(pinned));

        await ShouldBeRefusedAsync(client, server,
            "chain and name are fine but the key is not pinned: a mis-issued certificate from a trusted CA (DigiNotar, 2011) looks exactly like this");
    }

    [Fact]
    public async Task A_leaf_from_another_intermediate_of_the_same_root_is_refused_by_an_intermediate_pin()
    {
        var pinnedIntermediate = _pki.IssueIntermediate("CN=Koans Issuing CA 1");
        var otherIntermediate = _pki.IssueIntermediate("CN=Koans Issuing CA 2");
        var certificate = Issue(issuer: otherIntermediate);
        await using var server = await StartServerAsync(certificate, otherIntermediate);
        var client = ClientFor(server, PinOf(pinnedIntermediate));

        await ShouldBeRefusedAsync(client, server,
            "the pin names issuing CA 1, and this chain runs through CA 2: no key in it is pinned");
    }

    [Fact]
    public async Task A_reissued_certificate_for_the_same_key_still_matches_the_pin()
    {
        var key = NewKey();
        var original = Issue(key: key);
        var reissued = Issue(key: key, notBefore: DateTimeOffset.UtcNow.AddHours(-2), notAfter: DateTimeOffset.UtcNow.AddDays(30));
        reissued.RawData.Should().NotEqual(original.RawData, "the renewal is a different certificate (serial number, dates, signature)");
        await using var server = await StartServerAsync(reissued);
        var client = ClientFor(server, PinOf(original));

        (await client.GetStringAsync("/greeting", Ct)).Should().Be(Greeting,
            "the pin is over the SubjectPublicKeyInfo, not the certificate: renewing with the same key must not lock clients out");
    }

    [Fact]
    public async Task A_backup_pin_accepts_the_next_key()
    {
        var current = Issue();
        var next = Issue();
        await using var server = await StartServerAsync(next);
        var client = ClientFor(server, PinOf(current), PinOf(next));

        (await client.GetStringAsync("/greeting", Ct)).Should().Be(Greeting,
            "any pin in the set is accepted: the backup pin is what lets the server move to its next key");
    }

    [Theory]
    [InlineData("its first byte", 0)]
    [InlineData("its last byte", 31)]
    public async Task A_pin_that_differs_from_the_servers_key_in_one_byte_is_refused(string where, int index)
    {
        var certificate = Issue();
        await using var server = await StartServerAsync(certificate);
        var hash = SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo());
        hash[index] ^= 0x01;
        var client = ClientFor(server, "sha256/" + Convert.ToBase64String(hash));

        await ShouldBeRefusedAsync(client, server, $"the pin differs from the key's hash in {where}: pins are compared exactly, every byte");
    }

    [Fact]
    public async Task The_client_reuses_one_connection_for_sequential_requests()
    {
        var certificate = Issue();
        await using var server = await StartServerAsync(certificate);
        var client = ClientFor(server, PinOf(certificate));

        for (var i = 0; i < 3; i++)
        {
            (await client.GetStringAsync("/greeting", Ct)).Should().Be(Greeting);
        }

        server.RequestCount("/greeting").Should().Be(3);
        server.ConnectionsAccepted.Should().Be(1,
            "three sequential requests travel over one kept-alive connection: a new handler (or HttpClient) per request " +
            "opens a connection and a TLS handshake each time, and under load exhausts the machine's sockets");
    }

    [Fact]
    public async Task The_trusted_root_is_not_installed_in_a_trust_store()
    {
        var certificate = Issue();
        await using var server = await StartServerAsync(certificate);
        var client = ClientFor(server, PinOf(certificate));
        (await client.GetStringAsync("/greeting", Ct)).Should().Be(Greeting);

        var installedIn = new List<string>();
        foreach (var (name, location) in new[]
        {
            (StoreName.Root, StoreLocation.CurrentUser), (StoreName.CertificateAuthority, StoreLocation.CurrentUser),
            (StoreName.My, StoreLocation.CurrentUser), (StoreName.Root, StoreLocation.LocalMachine),
        })
        {
            using var store = new X509Store(name, location);
            store.Open(OpenFlags.ReadOnly);
            if (store.Certificates.Find(X509FindType.FindByThumbprint, _pki.Root.Thumbprint, validOnly: false).Count > 0)
            {
                installedIn.Add($@"{location}\{name}");
            }
        }

        RemoveFromCurrentUserStores(_pki.Root); // leave the machine as it was, whatever the client did
        installedIn.Should().BeEmpty(
            "trust the root for this client only: a root installed in a store is trusted by every program on the machine, and outlives the client");
    }

    [Fact]
    public async Task A_response_that_is_not_a_success_is_an_error()
    {
        var certificate = Issue();
        await using var server = await StartServerAsync(certificate);
        var client = ClientFor(server, PinOf(certificate));

        var act = () => client.GetStringAsync("/missing", Ct);

        (await act.Should().ThrowAsync<HttpRequestException>("a 404 page is not the resource's body"))
            .Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_cancelled_request_throws_OperationCanceledException_and_sends_nothing()
    {
        var certificate = Issue();
        await using var server = await StartServerAsync(certificate);
        var client = ClientFor(server, PinOf(certificate));

        var act = () => client.GetStringAsync("/greeting", new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>("the caller's token reaches the request");
        server.TotalRequests.Should().Be(0, "a request cancelled before it started is never sent");
    }

    [Fact]
    public async Task A_disposed_client_refuses_further_requests()
    {
        var certificate = Issue();
        await using var server = await StartServerAsync(certificate);
        var client = ClientFor(server, PinOf(certificate));
        (await client.GetStringAsync("/greeting", Ct)).Should().Be(Greeting);

        client.Dispose();
        var act = () => client.GetStringAsync("/greeting", Ct);

        await act.Should().ThrowAsync<ObjectDisposedException>("Dispose releases the client's connections; using it afterwards is a bug to report, not to paper over");
        server.RequestCount("/greeting").Should().Be(1);
    }

    [Fact]
    public async Task An_absolute_url_is_refused_before_anything_is_sent()
    {
        var certificate = Issue();
        await using var server = await StartServerAsync(certificate);
        var client = ClientFor(server, PinOf(certificate));

        var act = () => client.GetStringAsync($"https://127.0.0.1:{server.EndPoint.Port}/greeting", Ct);

        await act.Should().ThrowAsync<ArgumentException>("this client talks to its one server: a full URL could point anywhere")
            .WithParameterName("pathAndQuery");
        server.ConnectionsAccepted.Should().Be(0);
    }

    [Theory]
    [InlineData("a prefix of the key's pin (16 of its 32 bytes)", "prefix")]
    [InlineData("the key's hash with an extra byte", "extended")]
    [InlineData("a pin with another hash algorithm (sha1/)", "sha1")]
    [InlineData("a bare base64 hash without the sha256/ label", "bare")]
    [InlineData("a label followed by text that is not base64", "not-base64")]
    [InlineData("a null entry", "null")]
    public void Pins_that_are_not_a_sha256_label_and_32_bytes_are_refused_when_the_client_is_built(string what, string kind)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var hash = SHA256.HashData(key.ExportSubjectPublicKeyInfo());
        var pin = kind switch
        {
            "prefix" => "sha256/" + Convert.ToBase64String(hash[..16]),
            "extended" => "sha256/" + Convert.ToBase64String([.. hash, 0x00]),
            "sha1" => "sha1/" + Convert.ToBase64String(SHA1.HashData(key.ExportSubjectPublicKeyInfo())),
            "bare" => Convert.ToBase64String(hash),
            "not-base64" => "sha256/not base64!",
            _ => null!,
        };

        var act = () => new PinnedHttpsClient(Host, new IPEndPoint(IPAddress.Loopback, 443), _pki.Root, [pin]);

        act.Should().Throw<ArgumentException>($"{what} is not a pin: refuse it at start-up rather than refuse (or, matched loosely, accept) servers later")
            .WithParameterName("spkiPins");
    }

    [Fact]
    public async Task Missing_or_empty_arguments_are_refused_by_name()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, 443);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string[] pins = ["sha256/" + Convert.ToBase64String(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))];

        FluentActions.Invoking(() => new PinnedHttpsClient(" ", endpoint, _pki.Root, pins)).Should()
            .Throw<ArgumentException>("without a name there is nothing to check the certificate against").WithParameterName("serverName");
        FluentActions.Invoking(() => new PinnedHttpsClient(null!, endpoint, _pki.Root, pins)).Should()
            .Throw<ArgumentNullException>().WithParameterName("serverName");
        FluentActions.Invoking(() => new PinnedHttpsClient(Host, null!, _pki.Root, pins)).Should()
            .Throw<ArgumentNullException>("there is nowhere to connect to").WithParameterName("server");
        FluentActions.Invoking(() => new PinnedHttpsClient(Host, endpoint, null!, pins)).Should()
            .Throw<ArgumentNullException>("without a root nothing can be trusted").WithParameterName("trustedRoot");
        FluentActions.Invoking(() => new PinnedHttpsClient(Host, endpoint, _pki.Root, null!)).Should()
            .Throw<ArgumentNullException>().WithParameterName("spkiPins");
        FluentActions.Invoking(() => new PinnedHttpsClient(Host, endpoint, _pki.Root, [])).Should()
            .Throw<ArgumentException>("an empty pin set would refuse every server: fail at start-up, not at every request")
            .WithParameterName("spkiPins");
        using var client = new PinnedHttpsClient(Host, endpoint, _pki.Root, pins);
        await FluentActions.Awaiting(() => client.GetStringAsync(null!, Ct)).Should()
            .ThrowAsync<ArgumentNullException>("a null path is a caller bug, not a request for the root").WithParameterName("pathAndQuery");
    }

    private static void RemoveFromCurrentUserStores(X509Certificate2 certificate)
    {
        foreach (var name in new[] { StoreName.Root, StoreName.CertificateAuthority, StoreName.My })
        {
            using var store = new X509Store(name, StoreLocation.CurrentUser);
            store.Open(OpenFlags.ReadWrite);
            foreach (var installed in store.Certificates.Find(X509FindType.FindByThumbprint, certificate.Thumbprint, validOnly: false))
            {
                store.Remove(installed);
            }
        }
    }
}
