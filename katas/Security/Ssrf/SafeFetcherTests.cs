using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Koans.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Koans.Security.Ssrf;

/// <summary>
/// A fake internet. Names resolve to whatever the test scripted; the one "public" address is mapped to a loopback
/// server on 127.0.0.1; every other address is recorded and refused. No connection ever goes anywhere but 127.0.0.1.
/// </summary>
public sealed class FakeInternet : IHostResolver, IAsyncDisposable
{
    /// <summary>A real public address (example.com's), never actually contacted.</summary>
    public static readonly IPAddress Public = IPAddress.Parse("93.184.215.14");

    private readonly ConcurrentDictionary<string, ConcurrentQueue<IPAddress[]>> answers = new(StringComparer.OrdinalIgnoreCase);
    private LoopbackHttpServer server = null!;

    public ConcurrentQueue<IPAddress> Attempts { get; } = new();

    public ConcurrentQueue<string> Lookups { get; } = new();

    public int Port => server.BaseAddress.Port;

    public static async Task<FakeInternet> StartAsync(CancellationToken cancellationToken)
    {
        var internet = new FakeInternet();
        internet.server = await LoopbackHttpServer.StartAsync(app =>
        {
            app.MapGet("/", () => "hello");
            app.MapGet("/ok", () => "ok");
            app.MapGet("/to-ok", () => Results.Redirect("/ok"));
            app.MapGet("/to-metadata", () => Results.Redirect("http://169.254.169.254/latest/meta-data/"));
            app.MapGet("/to-file", () => Results.Redirect("file:///etc/passwd"));
            app.MapGet("/loop", () => Results.Redirect("/loop"));
            app.MapGet("/missing", () => Results.NotFound());
            // Not redirects, though they carry a Location: 201 points at what was created, 400 is an error.
            app.MapGet("/created", () => Results.Created("http://169.254.169.254/latest/meta-data/", "created"));
            app.MapGet("/bad-with-location", (HttpContext context) =>
            {
                context.Response.Headers.Location = "/ok";
                return Results.BadRequest();
            });
            app.MapGet("/multiple-choices", (HttpContext context) =>
            {
                context.Response.Headers.Location = "/ok";
                return Results.StatusCode(300);
            });
        }, cancellationToken);
        internet.Answer("public.example", Public);
        return internet;
    }

    public Uri Url(string host, string path = "/") => new($"http://{host}:{Port}{path}");

    /// <summary>Scripts the next answer for <paramref name="host"/>; the last answer repeats.</summary>
    public void Answer(string host, params IPAddress[] addresses) =>
        answers.GetOrAdd(host, _ => new ConcurrentQueue<IPAddress[]>()).Enqueue(addresses);

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Lookups.Enqueue(host);
        if (!answers.TryGetValue(host, out var queue) || !queue.TryPeek(out var answer))
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        if (queue.Count > 1)
        {
            queue.TryDequeue(out _);
        }

        return Task.FromResult(answer);
    }

    public async ValueTask<Stream> ConnectAsync(IPAddress address, int port, CancellationToken cancellationToken)
    {
        Attempts.Enqueue(address);
        if (!address.Equals(Public))
        {
            throw new IOException($"The fake internet refuses to connect to {address}: a real one would have.");
        }

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), cancellationToken);
        return new NetworkStream(socket, ownsSocket: true);
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}

public class AddressPolicyTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("10.0.0.5")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("169.254.169.254")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a00:5")]
    public void IsAllowed_refuses_internal_and_special_addresses(string address) =>
        AddressPolicy.IsAllowed(IPAddress.Parse(address)).Should().BeFalse($"{address} is not a public unicast address");

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void IsAllowed_accepts_public_unicast_addresses(string address) =>
        AddressPolicy.IsAllowed(IPAddress.Parse(address)).Should().BeTrue($"{address} is public (edges of the private ranges included)");

    [Fact]
    public void IsAllowed_refuses_null_by_name() =>
        FluentActions.Invoking(() => AddressPolicy.IsAllowed(null!)).Should().Throw<ArgumentNullException>().WithParameterName("address");
}

public class SafeFetcherTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetStringAsync_fetches_from_a_public_host()
    {
        await using var internet = await FakeInternet.StartAsync(Token);

        (await new SafeFetcher(internet, internet.ConnectAsync).GetStringAsync(internet.Url("public.example"), Token))
            .Should().Be("hello");
        internet.Attempts.Should().Equal([FakeInternet.Public]);
    }

    [Theory]
    [InlineData("http://2130706433/")]
    [InlineData("http://127.1/")]
    [InlineData("http://0x7f.1/")]
    [InlineData("http://0251.0376.0251.0376/latest/meta-data/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    public async Task GetStringAsync_judges_the_address_not_the_spelling(string url)
    {
        await using var internet = await FakeInternet.StartAsync(Token);
        var naive = () => new NaiveFetcher(internet, internet.ConnectAsync).GetStringAsync(new Uri(url), Token);
        await naive.Should().ThrowAsync<Exception>();
        internet.Attempts.Should().ContainSingle("the naive deny-list compares spellings, so it tried to connect")
            .Which.Should().Match<IPAddress>(a => !a.Equals(FakeInternet.Public));

        await using var again = await FakeInternet.StartAsync(Token);
        var act = () => new SafeFetcher(again, again.ConnectAsync).GetStringAsync(new Uri(url), Token);

        await act.Should().ThrowAsync<SsrfRefusedException>($"{url} is an internal address however it is written");
        again.Attempts.Should().BeEmpty("the refusal comes before any connection");
    }

    [Fact]
    public async Task GetStringAsync_refuses_a_name_that_resolves_to_a_private_address()
    {
        await using var internet = await FakeInternet.StartAsync(Token);
        internet.Answer("internal.example", IPAddress.Parse("10.0.0.5"));
        var naive = () => new NaiveFetcher(internet, internet.ConnectAsync).GetStringAsync(internet.Url("internal.example"), Token);
        await naive.Should().ThrowAsync<Exception>();
        internet.Attempts.Should().Equal([IPAddress.Parse("10.0.0.5")], "the naive check only knew about loopback");

        internet.Answer("mixed.example", FakeInternet.Public, IPAddress.Parse("192.168.0.10"));
        var act = () => new SafeFetcher(internet, internet.ConnectAsync).GetStringAsync(internet.Url("mixed.example"), Token);

        await act.Should().ThrowAsync<SsrfRefusedException>("every address a name resolves to must be allowed, not just the first");
        internet.Attempts.Should().HaveCount(1, "the safe fetcher made no attempt of its own");
    }

    [Fact]
    public async Task GetStringAsync_connects_to_the_address_it_checked_so_DNS_rebinding_fails()
    {
        await using var internet = await FakeInternet.StartAsync(Token);
        internet.Answer("rebind.example", FakeInternet.Public);
        internet.Answer("rebind.example", IPAddress.Loopback); // every later lookup: 127.0.0.1
        var naive = () => new NaiveFetcher(internet, internet.ConnectAsync).GetStringAsync(internet.Url("rebind.example"), Token);
        await naive.Should().ThrowAsync<Exception>();
        internet.Attempts.Should().Equal([IPAddress.Loopback],
            "the naive fetcher checked the first answer and connected by the second: a rebinding attacker's TTL-0 record");

        await using var again = await FakeInternet.StartAsync(Token);
        again.Answer("rebind.example", FakeInternet.Public);
        again.Answer("rebind.example", IPAddress.Loopback);

        (await new SafeFetcher(again, again.ConnectAsync).GetStringAsync(again.Url("rebind.example"), Token)).Should().Be("hello");
        again.Lookups.Should().Equal(["rebind.example"], "one resolution: the address checked is the address connected to");
        again.Attempts.Should().Equal([FakeInternet.Public]);
    }

    [Fact]
    public async Task GetStringAsync_checks_every_redirect_target()
    {
        await using var internet = await FakeInternet.StartAsync(Token);
        var naive = () => new NaiveFetcher(internet, internet.ConnectAsync).GetStringAsync(internet.Url("public.example", "/to-metadata"), Token);
        await naive.Should().ThrowAsync<Exception>();
        internet.Attempts.Should().Equal([FakeInternet.Public, IPAddress.Parse("169.254.169.254")],
            "automatic redirects took the naive fetcher from a public page to the metadata service");

        await using var again = await FakeInternet.StartAsync(Token);
        var act = () => new SafeFetcher(again, again.ConnectAsync).GetStringAsync(again.Url("public.example", "/to-metadata"), Token);

        await act.Should().ThrowAsync<SsrfRefusedException>("a redirect target is checked like the first URL");
        again.Attempts.Should().Equal([FakeInternet.Public]);
    }

    [Fact]
    public async Task GetStringAsync_follows_a_redirect_to_an_allowed_target() 
    {
        await using var internet = await FakeInternet.StartAsync(Token);

        (await new SafeFetcher(internet, internet.ConnectAsync).GetStringAsync(internet.Url("public.example", "/to-ok"), Token))
            .Should().Be("ok", "a relative Location is resolved against the current URL");
    }

    [Theory]
    [InlineData("/to-file")]
    [InlineData("/loop")]
    public async Task GetStringAsync_refuses_a_redirect_to_another_scheme_or_too_many(string path)
    {
        await using var internet = await FakeInternet.StartAsync(Token);

        var act = () => new SafeFetcher(internet, internet.ConnectAsync).GetStringAsync(internet.Url("public.example", path), Token);

        await act.Should().ThrowAsync<SsrfRefusedException>($"only http and https, and at most {SafeFetcher.MaxRedirects} redirects");
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://public.example/")]
    [InlineData("gopher://public.example:70/")]
    public async Task GetStringAsync_refuses_other_schemes_before_resolving_anything(string url)
    {
        await using var internet = await FakeInternet.StartAsync(Token);

        var act = () => new SafeFetcher(internet, internet.ConnectAsync).GetStringAsync(new Uri(url), Token);

        await act.Should().ThrowAsync<SsrfRefusedException>();
        internet.Lookups.Should().BeEmpty();
        internet.Attempts.Should().BeEmpty();
    }

    [Fact]
    public async Task GetStringAsync_reports_an_ordinary_failure_as_HttpRequestException()
    {
        await using var internet = await FakeInternet.StartAsync(Token);

        var act = () => new SafeFetcher(internet, internet.ConnectAsync).GetStringAsync(internet.Url("public.example", "/missing"), Token);

        await act.Should().ThrowAsync<HttpRequestException>("a 404 is not a policy refusal");
    }

    [Fact]
    public async Task GetStringAsync_follows_only_3xx_responses_with_a_Location()
    {
        await using var internet = await FakeInternet.StartAsync(Token);
        var fetcher = new SafeFetcher(internet, internet.ConnectAsync);

        (await fetcher.GetStringAsync(internet.Url("public.example", "/created"), Token)).Should().Contain("created",
            "201 Created carries a Location (the new resource), but it is an answer, not a redirect: nothing is followed");
        (await fetcher.GetStringAsync(internet.Url("public.example", "/multiple-choices"), Token)).Should().Be("ok",
            "300 is the first redirect status");
        await FluentActions.Awaiting(() => fetcher.GetStringAsync(internet.Url("public.example", "/bad-with-location"), Token))
            .Should().ThrowAsync<HttpRequestException>("400 is an error whatever headers come with it");
        internet.Attempts.Should().OnlyContain(a => a.Equals(FakeInternet.Public), "the metadata address in the 201 was never contacted");
    }

    [Fact]
    public async Task GetStringAsync_refuses_a_null_url_by_name()
    {
        await using var internet = await FakeInternet.StartAsync(Token);

        await FluentActions.Awaiting(() => new SafeFetcher(internet, internet.ConnectAsync).GetStringAsync(null!, Token))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("url");
    }

    [Fact]
    public async Task GetStringAsync_never_resumes_on_the_callers_synchronization_context()
    {
        await using var internet = await FakeInternet.StartAsync(Token);
        var context = new CallerContext();

        var body = await context.Run(() => new SafeFetcher(internet, internet.ConnectAsync).GetStringAsync(internet.Url("public.example", "/to-ok"), Token));

        body.Should().Be("ok");
        context.Posts.Should().Be(0,
            "a fetcher is library code: called from a UI thread or a classic ASP.NET request, none of its awaits may queue " +
            "the rest of the work back onto that caller's context (a caller blocking on .Result would deadlock)");
    }
}
