using System.Security.Cryptography;
using Koans.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Koans.Concurrency.Downloader;

public sealed class DownloaderTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string directory = Directory.CreateTempSubdirectory("koans-downloader-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>Deterministic test content: 100,000 bytes from a seeded generator.</summary>
    private static byte[] Content(int seed, int length = 100_000)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    // The expected digest comes from the BCL's SHA-256 over the content the server sends, not from the reference code.
    private static string Sha256Hex(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private DownloadRequest Request(LoopbackHttpServer server, string path, byte[] content) =>
        new(server.Url(path), Path.Combine(directory, path.Trim('/')), Sha256Hex(content));

    /// <summary>A synchronous IProgress: Report runs inline, so the test sees every report, in order, with no
    /// SynchronizationContext or thread-pool hop (Progress&lt;T&gt; would post them asynchronously).</summary>
    private sealed class RecordingProgress : IProgress<DownloadProgress>
    {
        private readonly List<DownloadProgress> reports = [];

        public void Report(DownloadProgress value)
        {
            lock (reports) reports.Add(value);
        }

        public IReadOnlyList<DownloadProgress> For(Uri source)
        {
            lock (reports) return reports.Where(r => r.Source == source).ToList();
        }
    }

    /// <summary>A file that supports Range requests (206 + Content-Range), whose first <paramref name="drops"/>
    /// responses break after <paramref name="dropAfter"/> bytes. Every Range header received is recorded.</summary>
    private static IResult ServeWithFaults(HttpContext context, byte[] content, List<string> ranges, int drops, int dropAfter)
    {
        int attempt;
        lock (ranges)
        {
            ranges.Add(context.Request.Headers.Range.ToString());
            attempt = ranges.Count;
        }
        if (attempt <= drops)
        {
            return Results.Extensions.Abort(content, dropAfter);
        }
        return Results.Bytes(content, "application/octet-stream", enableRangeProcessing: true);
    }

    [Fact]
    public async Task Downloads_a_file_and_verifies_its_sha256()
    {
        var content = Content(1);
        await using var server = await LoopbackHttpServer.StartAsync(app =>
            app.MapGet("/data.bin", () => Results.Bytes(content, "application/octet-stream", enableRangeProcessing: true)), Ct);
        using var http = new HttpClient();
        var request = Request(server, "/data.bin", content);

        await new Downloader(http).DownloadAsync(request, cancellationToken: Ct);

        File.ReadAllBytes(request.DestinationPath).Should().Equal(content, "the file on disk is exactly what the server sent");
        server.RequestCount("/data.bin").Should().Be(1, "nothing went wrong, so one request is enough");
    }

    [Fact]
    public async Task Resumes_with_a_Range_request_after_the_server_drops_the_connection_mid_body()
    {
        var content = Content(2);
        List<string> ranges = [];
        await using var server = await LoopbackHttpServer.StartAsync(app =>
            app.MapGet("/data.bin", (HttpContext context) => ServeWithFaults(context, content, ranges, drops: 1, dropAfter: 30_000)), Ct);
        using var http = new HttpClient();
        var request = Request(server, "/data.bin", content);

        await new Downloader(http).DownloadAsync(request, cancellationToken: Ct);

        ranges.Should().Equal(["", "bytes=30000-"],
            "the first response broke after 30,000 bytes; the second request must ask only for the rest " +
            "(Range: bytes=30000-, RFC 9110 section 14.2) instead of downloading everything again");
        File.ReadAllBytes(request.DestinationPath).Should().Equal(content,
            "the first 30,000 bytes and the 206 Partial Content body together are the whole file");
    }

    [Fact]
    public async Task Reports_progress_that_never_goes_backwards_across_a_resume_and_ends_at_the_total()
    {
        var content = Content(3);
        List<string> ranges = [];
        await using var server = await LoopbackHttpServer.StartAsync(app =>
            app.MapGet("/data.bin", (HttpContext context) => ServeWithFaults(context, content, ranges, drops: 1, dropAfter: 40_000)), Ct);
        using var http = new HttpClient();
        var request = Request(server, "/data.bin", content);
        var progress = new RecordingProgress();

        await new Downloader(http).DownloadAsync(request, progress, Ct);

        var received = progress.For(request.Source).Select(p => p.BytesReceived).ToList();
        received.Should().NotBeEmpty("progress is reported after every chunk written");
        received.Should().BeInAscendingOrder(
            "BytesReceived counts bytes on disk: after the resume it continues from 40,000, it does not restart at 0");
        received.Should().Contain(40_000, "the progress reported everything the broken response delivered");
        progress.For(request.Source)[^1].Should().Be(new DownloadProgress(request.Source, content.Length, content.Length),
            "the last report is the whole file, with the total known from Content-Length or Content-Range");
    }

    [Fact]
    public async Task Throws_ChecksumMismatchException_and_deletes_the_file_when_the_content_is_wrong()
    {
        var content = Content(4);
        var tampered = (byte[])content.Clone();
        tampered[12_345] ^= 0x01;
        await using var server = await LoopbackHttpServer.StartAsync(app =>
            app.MapGet("/data.bin", () => Results.Bytes(tampered, "application/octet-stream", enableRangeProcessing: true)), Ct);
        using var http = new HttpClient();
        var request = Request(server, "/data.bin", content);

        var thrown = await FluentActions.Awaiting(() => new Downloader(http).DownloadAsync(request, cancellationToken: Ct))
            .Should().ThrowAsync<ChecksumMismatchException>("one flipped bit changes the SHA-256 completely");
        thrown.Which.ExpectedSha256Hex.Should().Be(request.ExpectedSha256Hex);
        thrown.Which.ActualSha256Hex.Should().Be(Sha256Hex(tampered), "the exception names the digest actually received");
        File.Exists(request.DestinationPath).Should().BeFalse(
            "a file that failed verification must not be left where the next step would use it");
    }

    [Fact]
    public async Task Gives_up_after_the_maximum_number_of_attempts_when_every_response_breaks()
    {
        var content = Content(5);
        List<string> ranges = [];
        await using var server = await LoopbackHttpServer.StartAsync(app =>
            app.MapGet("/data.bin", (HttpContext context) => ServeWithFaults(context, content, ranges, drops: int.MaxValue, dropAfter: 1_000)), Ct);
        using var http = new HttpClient();
        var request = Request(server, "/data.bin", content);

        await FluentActions.Awaiting(() => new Downloader(http, maxAttempts: 3).DownloadAsync(request, cancellationToken: Ct))
            .Should().ThrowAsync<IOException>("every response ended prematurely (HttpIOException is an IOException); after the last attempt that error is the answer");
        server.RequestCount("/data.bin").Should().Be(3,
            $"maxAttempts is 3 requests in all, but the server saw {server.RequestCount("/data.bin")}: retrying forever hammers a broken server");
    }

    [Fact]
    public async Task Never_runs_more_downloads_at_once_than_the_limit()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var files = Enumerable.Range(0, 6).Select(i => (Path: $"/file{i}.bin", Content: Content(100 + i, 10_000))).ToList();
        await using var server = await LoopbackHttpServer.StartAsync(app =>
        {
            foreach (var file in files)
            {
                app.MapGet(file.Path, async (HttpContext context) =>
                {
                    await gate.Task.WaitAsync(context.RequestAborted);
                    return Results.Bytes(file.Content, "application/octet-stream", enableRangeProcessing: true);
                });
            }
        }, Ct);
        using var http = new HttpClient();
        var requests = files.Select(f => Request(server, f.Path, f.Content)).ToList();

        var all = new Downloader(http, maxConcurrency: 2).DownloadAllAsync(requests, cancellationToken: Ct);
        var twoInFlight = server.WaitUntilAsync(s => s.TotalInFlight >= 2, Ct);
        var first = await Task.WhenAny(twoInFlight, all).WaitAsync(TimeSpan.FromSeconds(30), Ct); // hang guard only
        if (first == all) await all;
        gate.SetResult();
        await all;

        server.PeakTotalInFlight.Should().BeLessThanOrEqualTo(2,
            $"peak concurrency was {server.PeakTotalInFlight} downloads, expected at most 2 (maxConcurrency)");
        server.PeakTotalInFlight.Should().Be(2, "six files and a limit of 2: two downloads should run side by side");
        foreach (var (file, request) in files.Zip(requests))
        {
            File.ReadAllBytes(request.DestinationPath).Should().Equal(file.Content, $"{file.Path} downloaded completely");
        }
    }

    [Fact]
    public async Task Cancelling_DownloadAllAsync_stops_the_downloads_in_flight()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // never opened
        var files = Enumerable.Range(0, 4).Select(i => (Path: $"/file{i}.bin", Content: Content(200 + i, 10_000))).ToList();
        await using var server = await LoopbackHttpServer.StartAsync(app =>
        {
            foreach (var file in files)
            {
                app.MapGet(file.Path, async (HttpContext context) =>
                {
                    await gate.Task.WaitAsync(context.RequestAborted);
                    return Results.Bytes(file.Content, "application/octet-stream", enableRangeProcessing: true);
                });
            }
        }, Ct);
        using var http = new HttpClient();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var requests = files.Select(f => Request(server, f.Path, f.Content)).ToList();

        var all = new Downloader(http, maxConcurrency: 2).DownloadAllAsync(requests, cancellationToken: cts.Token);
        await server.WaitUntilAsync(s => s.TotalInFlight >= 2, Ct);
        await cts.CancelAsync();

        // The servers never answer: only the caller's token can end these downloads. The wait is a hang guard only.
        var ended = await Record.ExceptionAsync(() => all.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        ended.Should().BeAssignableTo<OperationCanceledException>(
            "the caller's token must reach every download in flight (ParallelOptions.CancellationToken); a " +
            "TimeoutException here means the downloads never saw the cancellation and would wait forever");
    }

    [Fact]
    public async Task Refuses_missing_requests_and_impossible_limits_by_name()
    {
        using var http = new HttpClient();
        var downloader = new Downloader(http);

        await FluentActions.Awaiting(() => downloader.DownloadAsync(null!, cancellationToken: Ct))
            .Should().ThrowAsync<ArgumentNullException>("a missing request is the caller's bug").WithParameterName("request");
        await FluentActions.Awaiting(() => downloader.DownloadAllAsync(null!, cancellationToken: Ct))
            .Should().ThrowAsync<ArgumentNullException>("the caller passed 'requests', not Parallel's 'source'")
            .WithParameterName("requests");
        FluentActions.Invoking(() => new Downloader(null!)).Should().Throw<ArgumentNullException>().WithParameterName("http");
        FluentActions.Invoking(() => new Downloader(http, maxConcurrency: 0)).Should()
            .Throw<ArgumentOutOfRangeException>("zero downloads at once would never finish").WithParameterName("maxConcurrency");
        FluentActions.Invoking(() => new Downloader(http, maxAttempts: 0)).Should()
            .Throw<ArgumentOutOfRangeException>("zero attempts would never send a request").WithParameterName("maxAttempts");
    }

    [Fact]
    public async Task Starts_the_file_over_when_the_server_ignores_the_Range_request()
    {
        var content = Content(6);
        List<string> ranges = [];
        await using var server = await LoopbackHttpServer.StartAsync(app =>
            app.MapGet("/data.bin", (HttpContext context) =>
            {
                lock (ranges) ranges.Add(context.Request.Headers.Range.ToString());
                // First response breaks after 25,000 bytes; then a server that knows nothing of ranges: 200, everything.
                return ranges.Count == 1
                    ? Results.Extensions.Abort(content, 25_000)
                    : Results.Bytes(content, "application/octet-stream", enableRangeProcessing: false);
            }), Ct);
        using var http = new HttpClient();
        var request = Request(server, "/data.bin", content);
        var progress = new RecordingProgress();

        await new Downloader(http).DownloadAsync(request, progress, Ct);

        ranges.Should().Equal(["", "bytes=25000-"], "the second request asked for the rest");
        File.ReadAllBytes(request.DestinationPath).Should().Equal(content,
            "the answer was 200 with the whole file, not 206: appending it to the first 25,000 bytes would corrupt the file");
        progress.For(request.Source)[^1].BytesReceived.Should().Be(content.Length,
            "after starting over, the bytes on disk are counted from zero again");
    }

    [Fact]
    public async Task Treats_a_206_that_starts_at_the_wrong_byte_as_a_broken_response()
    {
        var content = Content(7);
        List<string> ranges = [];
        await using var server = await LoopbackHttpServer.StartAsync(app =>
            app.MapGet("/data.bin", async (HttpContext context) =>
            {
                int attempt;
                lock (ranges) { ranges.Add(context.Request.Headers.Range.ToString()); attempt = ranges.Count; }
                if (attempt == 1) return Results.Extensions.Abort(content, 20_000);
                if (attempt == 2)
                {
                    // A broken proxy: 206 Partial Content, but from byte 0 instead of the byte that was asked for.
                    context.Response.StatusCode = StatusCodes.Status206PartialContent;
                    context.Response.Headers.ContentRange = $"bytes 0-{content.Length - 1}/{content.Length}";
                    context.Response.ContentLength = content.Length;
                    await context.Response.Body.WriteAsync(content, context.RequestAborted);
                    return Results.Empty;
                }
                return Results.Bytes(content, "application/octet-stream", enableRangeProcessing: true);
            }), Ct);
        using var http = new HttpClient();
        var request = Request(server, "/data.bin", content);

        await new Downloader(http, maxAttempts: 3).DownloadAsync(request, cancellationToken: Ct);

        ranges.Should().Equal(["", "bytes=20000-", "bytes=20000-"],
            "the 206 did not start at byte 20,000, so its body cannot be appended: that attempt failed, and the next asks again");
        File.ReadAllBytes(request.DestinationPath).Should().Equal(content);
    }

    [Fact]
    public async Task Does_not_retry_an_error_status()
    {
        var content = Content(8);
        await using var server = await LoopbackHttpServer.StartAsync(app =>
            app.MapGet("/data.bin", () => Results.NotFound()), Ct);
        using var http = new HttpClient();
        var request = Request(server, "/data.bin", content);

        await FluentActions.Awaiting(() => new Downloader(http, maxAttempts: 3).DownloadAsync(request, cancellationToken: Ct))
            .Should().ThrowAsync<HttpRequestException>("404 is the server's answer, not a broken connection");
        server.RequestCount("/data.bin").Should().Be(1,
            "asking again for a file that does not exist gets the same 404: only broken connections are retried");
    }
}

/// <summary>Fault injection as an IResult: LoopbackHttpServer.WritePartialThenAbortAsync.</summary>
internal static class AbortResultExtensions
{
    public static IResult Abort(this IResultExtensions _, byte[] content, int bytesBeforeAbort) =>
        new PartialThenAbort(content, bytesBeforeAbort);

    private sealed class PartialThenAbort(byte[] content, int bytesBeforeAbort) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) =>
            LoopbackHttpServer.WritePartialThenAbortAsync(httpContext, content, bytesBeforeAbort);
    }
}
