using System.Runtime.CompilerServices;

namespace Koans.Concurrency.TaskCompletionSource;

public class LegacyAdaptersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_task_completes_with_the_result_of_its_own_download()
    {
        var downloader = new LegacyDownloader();

        var first = downloader.DownloadStringTaskAsync("https://example.test/a", Ct);
        var second = downloader.DownloadStringTaskAsync("https://example.test/b", Ct);
        downloader.Started.Should().HaveCount(2, "each call starts one download");
        downloader.Complete(downloader.Started[1].State, "body of b");

        first.IsCompleted.Should().BeFalse(
            "the event fires for every download: the adapter must check UserState and ignore other downloads");
        (await second).Should().Be("body of b");
        downloader.Complete(downloader.Started[0].State, "body of a");
        (await first).Should().Be("body of a");
    }

    [Fact]
    public async Task The_handler_is_unsubscribed_once_the_download_completed()
    {
        var downloader = new LegacyDownloader();

        var task = downloader.DownloadStringTaskAsync("https://example.test/a", Ct);
        downloader.SubscriberCount.Should().Be(1);
        downloader.Complete(downloader.Started[0].State, "done");
        await task;

        downloader.SubscriberCount.Should().Be(0,
            "a handler left subscribed leaks its closure for the downloader's lifetime and runs on every later event");
    }

    [Fact]
    public async Task Continuations_do_not_run_inline_on_the_thread_raising_the_event()
    {
        var downloader = new LegacyDownloader();
        var task = downloader.DownloadStringTaskAsync("https://example.test/a", Ct);
        var ranInline = task.ContinueWith(
            _ => downloader.RaisingThreadId == Environment.CurrentManagedThreadId,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        downloader.Complete(downloader.Started[0].State, "done");

        (await ranInline).Should().BeFalse(
            "the continuation ran inside the event handler, on the legacy component's thread: create the " +
            "TaskCompletionSource with TaskCreationOptions.RunContinuationsAsynchronously");
    }

    [Fact]
    public async Task An_error_in_the_event_fails_the_task_with_that_exception()
    {
        var downloader = new LegacyDownloader();

        var task = downloader.DownloadStringTaskAsync("https://example.test/a", Ct);
        downloader.Fail(downloader.Started[0].State, new IOException("connection reset"));

        await ((Func<Task>)(() => task)).Should().ThrowExactlyAsync<IOException>(
            "the legacy error must surface as the task's exception, unchanged")
            .WithMessage("connection reset");
        downloader.SubscriberCount.Should().Be(0, "the handler is removed on failure too");
    }

    [Fact]
    public async Task Cancelling_the_token_cancels_the_download_and_unsubscribes()
    {
        var downloader = new LegacyDownloader();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var task = downloader.DownloadStringTaskAsync("https://example.test/a", cts.Token);
        await cts.CancelAsync();

        await ((Func<Task>)(() => task)).Should().ThrowAsync<OperationCanceledException>(
            "the caller cancelled: the task must not wait for an event that may never come");
        downloader.CancelRequests.Should().ContainSingle(
            "the legacy download must be told to stop, or it keeps running after nobody wants the result")
            .Which.Should().BeSameAs(downloader.Started[0].State);
        downloader.SubscriberCount.Should().Be(0, "the handler is removed on cancellation too");
    }

    [Fact]
    public async Task A_download_cancelled_by_the_component_cancels_the_task()
    {
        var downloader = new LegacyDownloader();

        var task = downloader.DownloadStringTaskAsync("https://example.test/a", Ct);
        downloader.Cancel(downloader.Started[0].State);

        await ((Func<Task>)(() => task)).Should().ThrowAsync<OperationCanceledException>(
            "Cancelled = true in the event args means the task is cancelled, not completed with null");
    }

    [Fact]
    public void A_null_downloader_or_url_is_refused_by_name()
    {
        var downloader = new LegacyDownloader();

        Action noDownloader = () => LegacyAdapters.DownloadStringTaskAsync(null!, "https://example.test/a", Ct);
        Action noUrl = () => downloader.DownloadStringTaskAsync(null!, Ct);

        noDownloader.Should().ThrowExactly<ArgumentNullException>("an extension method can be called on null: say so")
            .WithParameterName("downloader");
        noUrl.Should().ThrowExactly<ArgumentNullException>("a download of nothing is the caller's bug")
            .WithParameterName("url");
        downloader.Started.Should().BeEmpty("nothing starts when the arguments are refused");
        downloader.SubscriberCount.Should().Be(0);
    }

    [Fact]
    public async Task An_already_cancelled_token_starts_no_download()
    {
        var downloader = new LegacyDownloader();

        var act = () => downloader.DownloadStringTaskAsync("https://example.test/a", new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>("the caller had given up before asking");
        downloader.Started.Should().BeEmpty(
            "a download nobody will wait for must not start: the legacy component would do all the work for nothing");
        downloader.SubscriberCount.Should().Be(0, "and no handler is left behind");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference DownloadOnce(CancellationToken longLivedToken)
    {
        var downloader = new LegacyDownloader();
        var task = downloader.DownloadStringTaskAsync("https://example.test/a", longLivedToken);
        downloader.Complete(downloader.Started[0].State, "body");
        task.IsCompletedSuccessfully.Should().BeTrue();
        return new WeakReference(downloader);
    }

    [Fact]
    public void A_finished_download_leaves_nothing_registered_on_the_callers_token()
    {
        // The caller's token lives long (an application's shutdown token, say); the download is long finished.
        using var applicationLifetime = new CancellationTokenSource();

        var downloader = DownloadOnce(applicationLifetime.Token);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        downloader.IsAlive.Should().BeFalse(
            "a token registration that is never disposed keeps its callback, and everything the callback captured " +
            "(here the whole downloader), alive for as long as the token's source lives");
    }
}
