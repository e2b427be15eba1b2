namespace Koans.Concurrency.Downloader;

/// <summary>One file to download: where from, where to, and the SHA-256 (hex) its content must have.</summary>
public sealed record DownloadRequest(Uri Source, string DestinationPath, string ExpectedSha256Hex);

/// <summary>Progress of one download: bytes of <paramref name="Source"/> on disk so far, of <paramref name="TotalBytes"/> (null if unknown).</summary>
public readonly record struct DownloadProgress(Uri Source, long BytesReceived, long? TotalBytes);

/// <summary>The downloaded content does not have the expected SHA-256: corrupt, truncated, or the wrong file.</summary>
public sealed class ChecksumMismatchException(Uri source, string expectedSha256Hex, string actualSha256Hex)
    : Exception($"{source}: expected SHA-256 {expectedSha256Hex}, got {actualSha256Hex}")
{
    public Uri Url { get; } = source;
    public string ExpectedSha256Hex { get; } = expectedSha256Hex;
    public string ActualSha256Hex { get; } = actualSha256Hex;
}

/// <summary>
/// Kata concurrency.downloader: robust concurrent downloads (what Python does with aiohttp, <c>asyncio.Semaphore</c>,
/// <c>hashlib</c> and a progress callback).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Stream the body to the file in chunks (<c>HttpCompletionOption.ResponseHeadersRead</c>), never the
/// whole file in memory. After every chunk, report <see cref="DownloadProgress"/> with the bytes on disk so far.</description></item>
/// <item><description>Connections break. When reading the body throws an <see cref="IOException"/> (.NET's
/// <c>HttpIOException</c>: "the response ended prematurely") or the request fails with an <see cref="HttpRequestException"/>
/// without a status code, try again, up to <c>maxAttempts</c> requests in all, and <em>resume</em>: keep the bytes you have
/// and ask for the rest with <c>Range: bytes=&lt;bytes on disk&gt;-</c>. The server answers 206 Partial Content with a
/// <c>Content-Range</c> starting there; if it answers 200 instead (it ignores ranges), start the file over. A 206
/// that starts anywhere else cannot be appended: that attempt has failed like a broken connection. An error status
/// (404, 500...) is the server's answer, not a broken connection: it is not retried.
/// After the last attempt, let its exception propagate.</description></item>
/// <item><description>Verify: the SHA-256 of the finished file must equal the expected one; if not, delete the file and
/// throw <see cref="ChecksumMismatchException"/>.</description></item>
/// <item><description><see cref="DownloadAllAsync"/> runs at most <c>maxConcurrency</c> downloads at once.</description></item>
/// </list>
/// </remarks>
public sealed class Downloader
{
    private readonly HttpClient http;
    private readonly int maxConcurrency;
    private readonly int maxAttempts;

    /// <summary>A downloader that sends every request through <paramref name="http"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="http"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrency"/> or <paramref name="maxAttempts"/> is less than 1.</exception>
    public Downloader(HttpClient http, int maxConcurrency = 4, int maxAttempts = 3)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        this.http = http;
        this.maxConcurrency = maxConcurrency;
        this.maxAttempts = maxAttempts;
    }

    /// <summary>Downloads one file, resuming after broken connections, then verifies its SHA-256.</summary>
    /// <exception cref="ChecksumMismatchException">The content's SHA-256 is not the expected one (the file is deleted).</exception>
    /// <exception cref="IOException">The connection broke on every one of the <c>maxAttempts</c> attempts.</exception>
    /// <exception cref="HttpRequestException">The server answered with an error status.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public Task DownloadAsync(DownloadRequest request, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Downloads every file, at most <c>maxConcurrency</c> at a time. Completes when all are done; if any fails, the
    /// returned task faults (after the others have finished or been cancelled).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="requests"/> is null.</exception>
    public Task DownloadAllAsync(IReadOnlyList<DownloadRequest> requests, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
