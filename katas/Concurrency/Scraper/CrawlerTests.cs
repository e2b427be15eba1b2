using Koans.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Koans.Concurrency.Scraper;

public class CrawlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly CrawlOptions Polite = new(MaxDepth: 5, MaxConcurrencyPerHost: 2, RequestTimeout: TimeSpan.FromSeconds(30));

    private static string Html(params string[] hrefs) =>
        "<html><body>" + string.Concat(hrefs.Select(h => $"<a href=\"{h}\">{h}</a>")) + "</body></html>";

    /// <summary>A loopback site whose pages are static HTML.</summary>
    private static Task<LoopbackHttpServer> StartSiteAsync(Dictionary<string, string> pages) =>
        LoopbackHttpServer.StartAsync(app =>
        {
            foreach (var (path, html) in pages) app.MapGet(path, () => Results.Content(html, "text/html"));
        }, Ct);

    /// <summary>A loopback host whose pages /p0../p{count-1} answer only once <paramref name="gate"/> opens.</summary>
    private static Task<LoopbackHttpServer> StartGatedHostAsync(int count, Task gate) =>
        LoopbackHttpServer.StartAsync(app =>
        {
            for (var i = 0; i < count; i++)
            {
                app.MapGet($"/p{i}", async (HttpContext context) =>
                {
                    await gate.WaitAsync(context.RequestAborted);
                    return Results.Content(Html(), "text/html");
                });
            }
        }, Ct);

    /// <summary>
    /// Waits for a server-side state while the crawl runs. If the crawl ends first, its exception surfaces; the
    /// 30-second limit is only a guard against hanging forever, never part of the assertion.
    /// </summary>
    private static async Task WaitForAsync(Task condition, Task crawl, string because)
    {
        Task first;
        try
        {
            first = await Task.WhenAny(condition, crawl).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException(because);
        }
        if (first == crawl)
        {
            await crawl; // surfaces the crawl's own exception first
            throw new Xunit.Sdk.XunitException("the crawl finished early: " + because);
        }
        await condition;
    }

    [Fact]
    public async Task Crawls_breadth_first_and_stops_at_the_maximum_depth()
    {
        await using var site = await StartSiteAsync(new()
        {
            ["/"] = Html("/a.html", "/b.html"),
            ["/a.html"] = Html("/c.html"),
            ["/b.html"] = Html(),
            ["/c.html"] = Html("/d.html"),
            ["/d.html"] = Html(),
        });
        using var http = new HttpClient();

        var result = await new Crawler(http).CrawlAsync(site.Url("/"), Polite with { MaxDepth = 2 }, Ct);

        result.Visited.Should().BeEquivalentTo(
            [site.Url("/"), site.Url("/a.html"), site.Url("/b.html"), site.Url("/c.html")],
            "depth 0 is the start page, depth 1 the pages it links to, depth 2 the pages those link to");
        site.RequestCount("/d.html").Should().Be(0, "/d.html is at depth 3, beyond MaxDepth = 2: it must not even be requested");
        result.Failures.Should().BeEmpty("every page up to depth 2 exists");
    }

    [Fact]
    public void Extracts_links_resolved_against_the_page_without_fragments_and_only_http()
    {
        var page = new Uri("http://127.0.0.1:8080/docs/guide/index.html");
        const string html = """
            <html><body>
              <a href="intro.html">relative</a>
              <a href='../about.html'>parent, single quotes</a>
              <a href="/docs/api/ref.html?v=2#members">absolute path with query and fragment</a>
              <a href="./intro.html#setup">the same page as the first link, with a fragment</a>
              <a href="mailto:team@example.com">mail</a>
              <a href="javascript:void(0)">script</a>
              <a href="https://example.com/x">another host</a>
              <a>no href</a>
            </body></html>
            """;

        Crawler.ExtractLinks(page, html).Should().Equal(
            [
                new Uri("http://127.0.0.1:8080/docs/guide/intro.html"),
                new Uri("http://127.0.0.1:8080/docs/about.html"),
                new Uri("http://127.0.0.1:8080/docs/api/ref.html?v=2"),
                new Uri("https://example.com/x"),
            ],
            "links resolve against the page's own URL (RFC 3986 section 5), a #fragment names a place in the same page, and " +
            "mailto: or javascript: links are not pages to fetch");
    }

    [Fact]
    public async Task Fetches_each_page_once_even_when_pages_link_in_a_cycle()
    {
        await using var site = await StartSiteAsync(new()
        {
            ["/"] = Html("/a", "/b", "/a"),
            ["/a"] = Html("/", "/b", "a"),
            ["/b"] = Html("/a", "/#top", "b"),
        });
        using var http = new HttpClient();

        var result = await new Crawler(http).CrawlAsync(site.Url("/"), Polite with { MaxDepth = 10 }, Ct);

        foreach (var path in new[] { "/", "/a", "/b" })
        {
            site.RequestCount(path).Should().Be(1,
                $"{path} is linked from several pages (and from itself), but a crawler remembers what it has seen; " +
                $"it was requested {site.RequestCount(path)} times");
        }
        result.Visited.Should().HaveCount(3).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Never_has_more_requests_in_flight_to_one_host_than_the_limit()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await StartGatedHostAsync(8, gate.Task);
        await using var start = await StartSiteAsync(new() { ["/"] = Html(Enumerable.Range(0, 8).Select(i => host.Url($"/p{i}").ToString()).ToArray()) });
        using var http = new HttpClient();

        var crawl = new Crawler(http).CrawlAsync(start.Url("/"), Polite with { MaxConcurrencyPerHost = 2 }, Ct);
        await WaitForAsync(host.WaitUntilAsync(s => s.TotalInFlight >= 2, Ct), crawl,
            "the crawler never had two requests to the host in flight at once: with a limit of 2 it should run two at a time, not one by one");
        gate.SetResult();
        var result = await crawl;

        host.PeakTotalInFlight.Should().BeLessThanOrEqualTo(2,
            $"peak concurrency on the host was {host.PeakTotalInFlight}, expected at most 2 (MaxConcurrencyPerHost): " +
            "is every request waiting on the host's SemaphoreSlim before it is sent?");
        host.PeakTotalInFlight.Should().Be(2, "with eight pages ready, a limit of 2 should be used fully");
        result.Visited.Should().HaveCount(9, "the start page and its eight links");
    }

    [Fact]
    public async Task Limits_concurrency_per_host_while_different_hosts_proceed_in_parallel()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hostA = await StartGatedHostAsync(3, gate.Task);
        await using var hostB = await StartGatedHostAsync(3, gate.Task);
        var links = Enumerable.Range(0, 3).SelectMany(i => new[] { hostA.Url($"/p{i}").ToString(), hostB.Url($"/p{i}").ToString() });
        await using var start = await StartSiteAsync(new() { ["/"] = Html(links.ToArray()) });
        using var http = new HttpClient();

        var crawl = new Crawler(http).CrawlAsync(start.Url("/"), Polite with { MaxConcurrencyPerHost = 1 }, Ct);
        await WaitForAsync(
            Task.WhenAll(hostA.WaitUntilAsync(s => s.TotalInFlight >= 1, Ct), hostB.WaitUntilAsync(s => s.TotalInFlight >= 1, Ct)),
            crawl,
            "the two hosts never had a request in flight at the same time: the limit is per host, not one global semaphore");
        gate.SetResult();
        var result = await crawl;

        hostA.PeakTotalInFlight.Should().Be(1, $"peak concurrency on host A was {hostA.PeakTotalInFlight}, expected at most 1");
        hostB.PeakTotalInFlight.Should().Be(1, $"peak concurrency on host B was {hostB.PeakTotalInFlight}, expected at most 1");
        result.Visited.Should().HaveCount(7);
    }

    [Fact]
    public async Task Gives_up_on_a_page_that_never_answers_when_the_fake_clock_passes_the_timeout()
    {
        await using var site = await LoopbackHttpServer.StartAsync(app =>
        {
            app.MapGet("/", () => Results.Content(Html("/slow"), "text/html"));
            app.MapGet("/slow", LoopbackHttpServer.NeverRespondAsync);
        }, Ct);
        using var http = new HttpClient();
        var clock = new FakeTimeProvider();

        var crawl = new Crawler(http, clock).CrawlAsync(site.Url("/"), Polite with { RequestTimeout = TimeSpan.FromMinutes(10) }, Ct);
        await WaitForAsync(site.WaitUntilAsync(s => s.InFlight("/slow") == 1, Ct), crawl, "the crawler never requested /slow");
        clock.Advance(TimeSpan.FromMinutes(10));

        CrawlResult result;
        try
        {
            result = await crawl.WaitAsync(TimeSpan.FromSeconds(30), Ct); // a hang guard, not a measurement
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException(
                "the fake clock passed the 10-minute timeout but the request to /slow was not cancelled: is the timeout " +
                "measured on the injected TimeProvider (new CancellationTokenSource(timeout, timeProvider)) rather than the real clock?");
        }
        result.Failures.Should().Equal(new Dictionary<Uri, CrawlFailure> { [site.Url("/slow")] = CrawlFailure.Timeout },
            "a timed-out page is a failure of that page, not of the crawl");
        result.Visited.Should().Equal([site.Url("/")]);
    }

    [Fact]
    public async Task Records_http_errors_as_failures_and_keeps_crawling()
    {
        await using var site = await StartSiteAsync(new()
        {
            ["/"] = Html("/missing", "/a"),
            ["/a"] = Html("/b"),
            ["/b"] = Html(),
        });
        using var http = new HttpClient();

        var result = await new Crawler(http).CrawlAsync(site.Url("/"), Polite, Ct);

        result.Failures.Should().Equal(new Dictionary<Uri, CrawlFailure> { [site.Url("/missing")] = CrawlFailure.HttpError },
            "the server answers 404 for /missing");
        result.Visited.Should().BeEquivalentTo([site.Url("/"), site.Url("/a"), site.Url("/b")],
            "one broken link must not stop the crawl (an unobserved exception in one task, or one failure ending Task.WhenAll)");
    }

    [Fact]
    public async Task Cancellation_by_the_caller_ends_the_whole_crawl_with_OperationCanceledException()
    {
        await using var site = await LoopbackHttpServer.StartAsync(app =>
        {
            app.MapGet("/", () => Results.Content(Html("/slow"), "text/html"));
            app.MapGet("/slow", LoopbackHttpServer.NeverRespondAsync);
        }, Ct);
        using var http = new HttpClient();
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var crawl = new Crawler(http, new FakeTimeProvider()).CrawlAsync(site.Url("/"), Polite, caller.Token);
        await WaitForAsync(site.WaitUntilAsync(s => s.InFlight("/slow") == 1, Ct), crawl, "the crawler never requested /slow");
        await caller.CancelAsync();

        await FluentActions.Awaiting(() => crawl).Should().ThrowAsync<OperationCanceledException>(
            "the caller's cancellation is not a page failure to record: it must flow into every request and end the crawl");
    }

    /// <summary>A FakeTimeProvider that counts the timers made on it: each request's timeout makes one.</summary>
    private sealed class TimerCountingClock : FakeTimeProvider
    {
        private int _timers;

        public int TimersCreated => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timers);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    [Fact]
    public async Task A_request_waiting_for_its_host_has_not_started_its_timeout()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await StartGatedHostAsync(8, gate.Task);
        await using var start = await StartSiteAsync(new() { ["/"] = Html(Enumerable.Range(0, 8).Select(i => host.Url($"/p{i}").ToString()).ToArray()) });
        using var http = new HttpClient();
        var clock = new TimerCountingClock();

        var crawl = new Crawler(http, clock).CrawlAsync(start.Url("/"), Polite with { MaxConcurrencyPerHost = 2 }, Ct);
        await WaitForAsync(host.WaitUntilAsync(s => s.TotalInFlight >= 2, Ct), crawl, "the crawler never had two requests to the host in flight");

        clock.TimersCreated.Should().BeLessThanOrEqualTo(3,
            $"{clock.TimersCreated} request timeouts were started, but only the start page and the 2 requests the host's " +
            "limit lets out may have one: the other six are still queued for the host (one semaphore per host, shared " +
            "by all its pages), and time spent waiting for the host is not the server's fault");
        gate.SetResult();
        (await crawl).Visited.Should().HaveCount(9);
    }

    [Fact]
    public async Task Records_a_broken_connection_as_a_network_error_and_keeps_crawling()
    {
        await using var site = await LoopbackHttpServer.StartAsync(app =>
        {
            app.MapGet("/", () => Results.Content(Html("/broken", "/a"), "text/html"));
            app.MapGet("/broken", (HttpContext context) => { context.Abort(); return Results.Empty; });
            app.MapGet("/a", () => Results.Content(Html(), "text/html"));
        }, Ct);
        using var http = new HttpClient();

        var result = await new Crawler(http).CrawlAsync(site.Url("/"), Polite, Ct);

        result.Failures.Should().Equal(new Dictionary<Uri, CrawlFailure> { [site.Url("/broken")] = CrawlFailure.NetworkError },
            "the server dropped the connection without answering: HttpClient throws HttpRequestException, a network error");
        result.Visited.Should().BeEquivalentTo([site.Url("/"), site.Url("/a")]);
    }

    [Fact]
    public async Task Refuses_missing_or_impossible_arguments()
    {
        await using var site = await StartSiteAsync(new() { ["/"] = Html() });
        using var http = new HttpClient();
        var crawler = new Crawler(http);

        await FluentActions.Awaiting(() => crawler.CrawlAsync(null!, Polite, Ct)).Should()
            .ThrowAsync<ArgumentNullException>().WithParameterName("start");
        await FluentActions.Awaiting(() => crawler.CrawlAsync(site.Url("/"), null!, Ct)).Should()
            .ThrowAsync<ArgumentNullException>().WithParameterName("options");
        await FluentActions.Awaiting(() => crawler.CrawlAsync(site.Url("/"), Polite with { MaxDepth = -1 }, Ct)).Should()
            .ThrowAsync<ArgumentOutOfRangeException>("a negative depth means nothing (and would never equal the depth reached)");
        await FluentActions.Awaiting(() => crawler.CrawlAsync(site.Url("/"), Polite with { MaxConcurrencyPerHost = 0 }, Ct)).Should()
            .ThrowAsync<ArgumentOutOfRangeException>("no request could ever go out");
        await FluentActions.Awaiting(() => crawler.CrawlAsync(site.Url("/"), Polite with { RequestTimeout = TimeSpan.Zero }, Ct)).Should()
            .ThrowAsync<ArgumentOutOfRangeException>("a zero timeout would fail every page at once");
        site.TotalRequests.Should().Be(0, "arguments are checked before anything is fetched");
        FluentActions.Invoking(() => Crawler.ExtractLinks(null!, "")).Should()
            .Throw<ArgumentNullException>().WithParameterName("pageUri");
        FluentActions.Invoking(() => Crawler.ExtractLinks(site.Url("/"), null!)).Should()
            .Throw<ArgumentNullException>().WithParameterName("html");
    }

    [Fact]
    public void Skips_an_href_that_is_not_a_URI()
    {
        var page = new Uri("http://example.test/dir/page.html");

        var links = Crawler.ExtractLinks(page, "<a href=\"http://[oops\">broken</a><a href=\"ok.html\">ok</a>");

        links.Should().Equal([new Uri("http://example.test/dir/ok.html")],
            "'http://[oops' cannot be parsed as a URI: skip it, do not stop at it (or crash on it)");
    }
}
