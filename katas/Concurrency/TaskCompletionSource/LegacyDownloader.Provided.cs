namespace Koans.Concurrency.TaskCompletionSource;

/// <summary>Provided: what <see cref="LegacyDownloader.DownloadCompleted"/> reports for one download.</summary>
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
