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
/// at once, while different hosts proceed in parallel.</description></item>
/// <item><description>Per-request timeout on the injected <see cref="TimeProvider"/>:
/// a page that takes longer than the timeout is abandoned, and the caller's token still cancels everything. A
/// request's timeout starts when the request may go out: time spent queued for its host is not the server's fault. A timed-out or failing page
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
    /// <exception cref="ArgumentNullException"><paramref name="start"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative depth, a concurrency below 1, or a timeout that is not positive.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<CrawlResult> CrawlAsync(Uri start, CrawlOptions options, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// The links (<c>&lt;a href&gt;</c>) of an HTML page, in document order, each once: resolved against
    /// <paramref name="pageUri"/> (relative links like <c>../about.html</c>), without their <c>#fragment</c>, and only
    /// http and https ones (no <c>mailto:</c>, no <c>javascript:</c>). AngleSharp parses HTML properly; a regex on
    /// <c>href="..."</c> also passes these tests, but say why it is fragile. An href that is not a URI is skipped.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="pageUri"/> or <paramref name="html"/> is null.</exception>
    public static IReadOnlyList<Uri> ExtractLinks(Uri pageUri, string html) => throw new NotImplementedException();
}
