namespace Koans.Concurrency.CancellationAndTimeouts;

/// <summary>Reference: cooperative cancellation, linked token sources and TimeProvider-driven timeouts.</summary>
public static class Timeouts
{
    public static async Task<string> FetchWithTimeoutAsync(
        Func<CancellationToken, Task<string>> fetch, TimeSpan timeout, TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(time);

        // The timer lives on the TimeProvider, so tests (and simulations) control it.
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            return await fetch(linked.Token);
        }
        catch (OperationCanceledException ex)
            when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The caller did not ask for cancellation; tell them what really happened.
            throw new TimeoutException($"The operation did not complete within {timeout}.", ex);
        }
    }

    public static Task<string> WaitWithTimeoutAsync(
        Task<string> uncancellable, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uncancellable);
        ArgumentNullException.ThrowIfNull(time);
        return uncancellable.WaitAsync(timeout, time, cancellationToken);
    }

    public static async Task<int> ProcessAllAsync(
        IEnumerable<string> items, Func<string, CancellationToken, Task> process, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(process);
        var count = 0;
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await process(item, cancellationToken);
            count++;
        }
        return count;
    }
}
