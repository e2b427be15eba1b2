namespace Koans.Concurrency.TaskCompletionSource;

public sealed class DownloadCompletedEventArgs(string? result, Exception? error, bool cancelled, object? userState)
    : EventArgs
{
    public string? Result { get; } = result;
    public Exception? Error { get; } = error;
    public bool Cancelled { get; } = cancelled;
    public object? UserState { get; } = userState;
}

/// <summary>
/// Provided fake of a legacy EAP component (think <c>WebClient</c>). It never completes anything by itself: the test
/// raises <see cref="DownloadCompleted"/> with <see cref="Complete"/>, <see cref="Fail"/> or <see cref="Cancel"/>.
/// It records subscriptions and cancellation requests so the tests can check the adapter cleans up.
/// </summary>
public sealed class LegacyDownloader
{
    private EventHandler<DownloadCompletedEventArgs>? _handlers;
    private int _raisingThreadId = -1;

    public event EventHandler<DownloadCompletedEventArgs> DownloadCompleted
    {
        add { _handlers += value; SubscriberCount++; }
        remove { _handlers -= value; SubscriberCount--; }
    }

    public int SubscriberCount { get; private set; }
    public List<(string Url, object? State)> Started { get; } = [];
    public List<object?> CancelRequests { get; } = [];

    /// <summary>The id of the thread currently inside <see cref="Raise"/>, or -1.</summary>
    public int RaisingThreadId => Volatile.Read(ref _raisingThreadId);

    public void DownloadAsync(string url, object? userState) => Started.Add((url, userState));
    public void CancelDownload(object? userState) => CancelRequests.Add(userState);

    public void Complete(object? userState, string result) => Raise(new(result, null, false, userState));
    public void Fail(object? userState, Exception error) => Raise(new(null, error, false, userState));
    public void Cancel(object? userState) => Raise(new(null, null, true, userState));

    private void Raise(DownloadCompletedEventArgs args)
    {
        Volatile.Write(ref _raisingThreadId, Environment.CurrentManagedThreadId);
        try { _handlers?.Invoke(this, args); }
        finally { Volatile.Write(ref _raisingThreadId, -1); }
    }
}

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
}
