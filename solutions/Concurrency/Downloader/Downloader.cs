using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

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
/// <c>Content-Range</c> starting there; if it answers 200 instead (it ignores ranges), start the file over.
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
    public async Task DownloadAsync(DownloadRequest request, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var expected = Convert.FromHexString(request.ExpectedSha256Hex);

        await using (var file = new FileStream(request.DestinationPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None,
                         bufferSize: 0, FileOptions.Asynchronous))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await TransferAsync(request.Source, file, progress, cancellationToken);
                    break;
                }
                catch (Exception e) when (attempt < maxAttempts && IsTransient(e) && !cancellationToken.IsCancellationRequested)
                {
                    // Keep what is on disk; the next attempt asks for the rest.
                }
            }

            // Hash what is on disk, not what we think we wrote.
            file.Position = 0;
            var actual = await SHA256.HashDataAsync(file, cancellationToken);
            if (!CryptographicOperations.FixedTimeEquals(actual, expected))
            {
                await file.DisposeAsync();
                File.Delete(request.DestinationPath);
                throw new ChecksumMismatchException(request.Source, request.ExpectedSha256Hex.ToLowerInvariant(), Convert.ToHexStringLower(actual));
            }
        }
    }

    /// <summary>Downloads every file, at most <c>maxConcurrency</c> at a time.</summary>
    public Task DownloadAllAsync(IReadOnlyList<DownloadRequest> requests, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        // Parallel.ForEachAsync is the bounded "gather with a semaphore": it starts the next item as one finishes, and
        // on the first failure cancels the rest and rethrows once they have stopped.
        return Parallel.ForEachAsync(requests,
            new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken },
            async (request, token) => await DownloadAsync(request, progress, token));
    }

    private static bool IsTransient(Exception e) =>
        e is IOException || e is HttpRequestException { StatusCode: null };

    private async Task TransferAsync(Uri source, FileStream file, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var offset = file.Length;
        file.Position = offset;
        using var message = new HttpRequestMessage(HttpMethod.Get, source);
        if (offset > 0) message.Headers.Range = new RangeHeaderValue(offset, null);

        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        long? total;
        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            var range = response.Content.Headers.ContentRange;
            if (range?.From != offset)
                throw new IOException($"{source}: asked to resume at byte {offset}, the server sent {range}");
            total = range.Length;
        }
        else
        {
            response.EnsureSuccessStatusCode();
            if (offset > 0)
            {
                // 200 to a Range request: the server ignores ranges and sends everything again. Start over.
                file.SetLength(0);
                offset = 0;
            }
            total = response.Content.Headers.ContentLength;
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                offset += read;
                progress?.Report(new DownloadProgress(source, offset, total));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
