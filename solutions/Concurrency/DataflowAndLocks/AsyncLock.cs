namespace Koans.Concurrency.DataflowAndLocks;

/// <summary>Reference: an async lock on SemaphoreSlim(1, 1) with a release-once releaser.</summary>
public sealed class AsyncLock : IDisposable
{
    // maxCount 1: a stray extra Release() throws SemaphoreFullException instead of silently admitting two holders.
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public bool IsHeld => _semaphore.CurrentCount == 0;

    public async Task<LockReleaser> LockAsync(CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            // SemaphoreSlim can grant the slot to a waiter whose token was cancelled in the same instant (a Release
            // that ran before the cancellation was processed). The caller will see a cancellation, so give it back.
            _semaphore.Release();
            cancellationToken.ThrowIfCancellationRequested();
        }
        return new LockReleaser(_semaphore);
    }

    public async Task<T> RunExclusiveAsync<T>(Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        using (await LockAsync(cancellationToken).ConfigureAwait(false))
        {
            // The using's finally releases the lock whether the body returns or throws.
            return await body(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _semaphore.Dispose();
}

/// <summary>Reference: releases its semaphore slot exactly once.</summary>
public sealed class LockReleaser : IDisposable, IAsyncDisposable
{
    private SemaphoreSlim? _semaphore;

    internal LockReleaser(SemaphoreSlim semaphore) => _semaphore = semaphore;

    public void Dispose()
    {
        // Atomically take the reference: of two racing or repeated Dispose calls, exactly one sees it.
        Interlocked.Exchange(ref _semaphore, null)?.Release();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
