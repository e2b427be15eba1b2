namespace Koans.Concurrency.TaskCompletionSource;

/// <summary>Reference: the EAP-to-TAP bridge.</summary>
public static class LegacyAdapters
{
    public static Task<string> DownloadStringTaskAsync(
        this LegacyDownloader downloader, string url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(downloader);
        ArgumentNullException.ThrowIfNull(url);
        cancellationToken.ThrowIfCancellationRequested();

        // Continuations must not run on the thread raising the event (inside the component, maybe under its locks).
        var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var state = new object(); // identifies this download among all the events the component raises
        CancellationTokenRegistration registration = default;

        void OnCompleted(object? sender, DownloadCompletedEventArgs e)
        {
            if (!ReferenceEquals(e.UserState, state)) return; // someone else's download
            Cleanup();
            if (e.Error is not null) tcs.TrySetException(e.Error);
            else if (e.Cancelled) tcs.TrySetCanceled(cancellationToken);
            else tcs.TrySetResult(e.Result ?? "");
        }

        void Cleanup()
        {
            downloader.DownloadCompleted -= OnCompleted;
            registration.Dispose();
        }

        downloader.DownloadCompleted += OnCompleted;
        registration = cancellationToken.Register(() =>
        {
            // TrySet* so a race with a completing event is harmless: whoever comes first wins.
            if (tcs.TrySetCanceled(cancellationToken))
            {
                downloader.DownloadCompleted -= OnCompleted;
                downloader.CancelDownload(state);
            }
        });
        downloader.DownloadAsync(url, state);
        return tcs.Task;
    }
}
