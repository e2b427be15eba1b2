namespace Koans.Concurrency.TaskCompletionSource;

/// <summary>
/// Kata concurrency.task-completion-source, part 1: wrap an event-based API as a <see cref="Task"/>.
/// </summary>
/// <remarks>
/// <para><see cref="LegacyDownloader"/> (provided, in LegacyDownloader.Provided.cs) uses the old Event-based Asynchronous Pattern
/// (EAP) of <c>WebClient</c>: you call <c>DownloadAsync(url, userState)</c>, and later it raises the
/// <c>DownloadCompleted</c> event, on whatever thread it likes, for <em>every</em> download in flight; the
/// <c>UserState</c> tells you which one finished. In asyncio you would bridge such a callback with
/// <c>loop.create_future()</c> and <c>loop.call_soon_threadsafe(fut.set_result, ...)</c>; in .NET the bridge is
/// <see cref="TaskCompletionSource{TResult}"/>.</para>
/// </remarks>
public static class LegacyAdapters
{
    /// <summary>
    /// Starts a download and returns a task for its result.
    /// <list type="bullet">
    /// <item><description>The awaiting code must never run <em>inline</em> on the thread raising the event, inside the
    /// legacy component (holding its locks, blocking its I/O thread): the tests raise the event under a lock.</description></item>
    /// <item><description>Use a fresh <c>object</c> as the user state, and ignore events for other states (other
    /// downloads in flight).</description></item>
    /// <item><description>Completed: result. <c>Error</c> set: fail with that exception. <c>Cancelled</c>: cancel the task.</description></item>
    /// <item><description>When <paramref name="cancellationToken"/> fires: call <c>CancelDownload(state)</c> and cancel
    /// the task (<see cref="OperationCanceledException"/> for the awaiter).</description></item>
    /// <item><description>In every case, unsubscribe the handler and dispose the token registration: a forgotten
    /// handler keeps the closure (and everything it captured) alive as long as the downloader lives.</description></item>
    /// <item><description>A token that is already cancelled starts no download (the caller sees an
    /// <see cref="OperationCanceledException"/>).</description></item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="downloader"/> or <paramref name="url"/> is null.</exception>
    public static Task<string> DownloadStringTaskAsync(
        this LegacyDownloader downloader, string url, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
