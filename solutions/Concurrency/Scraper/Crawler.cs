using AngleSharp.Html.Parser;

namespace Koans.Concurrency.Scraper;

/// <summary>How far and how hard to crawl.</summary>
/// <param name="MaxDepth">0 fetches only the start page; 1 also the pages it links to; and so on.</param>
/// <param name="MaxConcurrencyPerHost">At most this many requests in flight to one host (scheme, name and port) at once.</param>
/// <param name="RequestTimeout">Give up on one request after this long, measured on the crawler's <see cref="TimeProvider"/>.</param>
public sealed record CrawlOptions(int MaxDepth, int MaxConcurrencyPerHost, TimeSpan RequestTimeout);

/// <summary>Why a page is missing from <see cref="CrawlResult.Visited"/>.</summary>
public enum CrawlFailure
{
    /// <summary>The server answered with a status outside 2xx.</summary>
    HttpError,

    /// <summary>The request took longer than <see cref="CrawlOptions.RequestTimeout"/>.</summary>
    Timeout,

    /// <summary>The connection failed or broke.</summary>
    NetworkError,
}

/// <summary>The outcome of a crawl.</summary>
/// <param name="Visited">Every page fetched successfully (absolute, without fragment), each once.</param>
/// <param name="Failures">Every page that was tried and failed, with the reason.</param>
public sealed record CrawlResult(IReadOnlyList<Uri> Visited, IReadOnlyDictionary<Uri, CrawlFailure> Failures);

/// <summary>
/// Kata concurrency.scraper: an async, polite web crawler (what you would write in Python with aiohttp and an
/// <c>asyncio.Semaphore</c> per host).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Breadth-first: fetch every page of one depth concurrently, collect their links, then go one level
/// deeper, until <see cref="CrawlOptions.MaxDepth"/>. Never fetch a page twice (pages link in cycles).</description></item>
/// <item><description>Politeness: at most <see cref="CrawlOptions.MaxConcurrencyPerHost"/> requests in flight per host
/// (one <c>SemaphoreSlim</c> per host), while different hosts proceed in parallel.</description></item>
/// <item><description>Per-request timeout on the injected <see cref="TimeProvider"/>:
/// <c>new CancellationTokenSource(timeout, timeProvider)</c> linked with the caller's token. A timed-out or failing page
/// is recorded in <see cref="CrawlResult.Failures"/> and the crawl goes on; the caller's cancellation, however, ends the
/// whole crawl with <see cref="OperationCanceledException"/>.</description></item>
/// <item><description>Reuse the one <see cref="HttpClient"/> you are given: a new client per request exhausts sockets.</description></item>
/// </list>
/// </remarks>
public sealed class Crawler
{
    private readonly HttpClient http;
    private readonly TimeProvider timeProvider;

    /// <summary>A crawler that sends every request through <paramref name="http"/> and measures timeouts on
    /// <paramref name="timeProvider"/> (the system clock when null).</summary>
    public Crawler(HttpClient http, TimeProvider? timeProvider = null)
    {
        this.http = http ?? throw new ArgumentNullException(nameof(http));
        this.timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Crawls from <paramref name="start"/> breadth-first to <see cref="CrawlOptions.MaxDepth"/>, following links to any
    /// http or https host.
    /// </summary>
    public async Task<CrawlResult> CrawlAsync(Uri start, CrawlOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxDepth);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrencyPerHost, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.RequestTimeout, TimeSpan.Zero);

        // One semaphore per host (scheme://name:port), created on first use. The dictionary is only touched from this
        // method's own flow (between awaits of Task.WhenAll), so it needs no lock.
        var hostLimits = new Dictionary<string, SemaphoreSlim>(StringComparer.OrdinalIgnoreCase);
        var first = WithoutFragment(start);
        var seen = new HashSet<Uri> { first };
        var visited = new List<Uri>();
        var failures = new Dictionary<Uri, CrawlFailure>();
        try
        {
            List<Uri> level = [first];
            for (var depth = 0; level.Count > 0; depth++)
            {
                var pages = await Task.WhenAll(level.Select(uri =>
                {
                    if (!hostLimits.TryGetValue(uri.GetLeftPart(UriPartial.Authority), out var limit))
                    {
                        limit = new SemaphoreSlim(options.MaxConcurrencyPerHost, options.MaxConcurrencyPerHost);
                        hostLimits.Add(uri.GetLeftPart(UriPartial.Authority), limit);
                    }
                    return FetchAsync(uri, limit, options.RequestTimeout, cancellationToken);
                }));

                List<Uri> next = [];
                foreach (var page in pages)
                {
                    if (page.Failure is { } failure)
                    {
                        failures.Add(page.Uri, failure);
                        continue;
                    }
                    visited.Add(page.Uri);
                    if (depth == options.MaxDepth) continue;
                    foreach (var link in ExtractLinks(page.Uri, page.Html!))
                    {
                        if (seen.Add(link)) next.Add(link);
                    }
                }
                level = next;
            }
        }
        finally
        {
            foreach (var limit in hostLimits.Values) limit.Dispose();
        }
        return new CrawlResult(visited, failures);
    }

    private async Task<(Uri Uri, string? Html, CrawlFailure? Failure)> FetchAsync(
        Uri uri, SemaphoreSlim hostLimit, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await hostLimit.WaitAsync(cancellationToken);
        try
        {
            // The timeout starts once the request may go out: time spent queueing for the host is not the server's fault.
            // It runs on the injected clock, so a test drives it with FakeTimeProvider.Advance.
            using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
            try
            {
                using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, linked.Token);
                if (!response.IsSuccessStatusCode) return (uri, null, CrawlFailure.HttpError);
                var html = await response.Content.ReadAsStringAsync(linked.Token);
                return (uri, html, null);
            }
            catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return (uri, null, CrawlFailure.Timeout);
            }
            catch (HttpRequestException)
            {
                // A broken connection, while sending or reading headers or body (ReadAsStringAsync wraps the body's
                // IOException in an HttpRequestException too).
                return (uri, null, CrawlFailure.NetworkError);
            }
        }
        finally
        {
            hostLimit.Release();
        }
    }

    /// <summary>
    /// The links (<c>&lt;a href&gt;</c>) of an HTML page, in document order, each once, resolved, without fragments,
    /// http and https only.
    /// </summary>
    public static IReadOnlyList<Uri> ExtractLinks(Uri pageUri, string html)
    {
        ArgumentNullException.ThrowIfNull(pageUri);
        ArgumentNullException.ThrowIfNull(html);
        // A real parser copes with single quotes, unquoted attributes, entities (&amp;) and comments, which a regex does not.
        var document = new HtmlParser().ParseDocument(html);
        var links = new List<Uri>();
        var seen = new HashSet<Uri>();
        foreach (var anchor in document.QuerySelectorAll("a[href]"))
        {
            if (!Uri.TryCreate(pageUri, anchor.GetAttribute("href"), out var absolute)) continue;
            if (absolute.Scheme != Uri.UriSchemeHttp && absolute.Scheme != Uri.UriSchemeHttps) continue;
            var link = WithoutFragment(absolute);
            if (seen.Add(link)) links.Add(link);
        }
        return links;
    }

    private static Uri WithoutFragment(Uri uri) => new(uri.GetLeftPart(UriPartial.Query));
}
