namespace Koans.Concurrency.DataflowAndLocks;

/// <summary>
/// Kata concurrency.dataflow-and-locks, part 2: an async lock (C#'s <c>lock</c> statement cannot contain an
/// <c>await</c>; this is the lock that can, like <c>asyncio.Lock</c> with <c>async with</c>).
/// </summary>
/// <remarks>
/// Usage: <c>using (await gate.LockAsync(token)) { ... await ... }</c>, or <c>await using</c>. The standard: one
/// holder at a time; a waiter whose token is cancelled never ends up holding the lock; the lock is released when the
/// protected code throws; disposing a releaser twice (or late, after someone else took the lock) releases nothing.
/// And it is library code: called on a UI thread (or in a classic ASP.NET request), it never resumes on the caller's
/// <see cref="SynchronizationContext"/> after waiting for the lock or for the body.
/// </remarks>
public sealed class AsyncLock : IDisposable
{
    /// <summary>Creates a free lock.</summary>
    public AsyncLock() => throw new NotImplementedException();

    /// <summary>True while some caller holds the lock.</summary>
    public bool IsHeld => throw new NotImplementedException();

    /// <summary>
    /// Waits until the lock is free and takes it. The returned releaser gives it back when disposed (once).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the
    /// lock was taken. A caller that sees this exception does not hold the lock, even if the lock became free at the
    /// same moment as the cancellation.</exception>
    public Task<LockReleaser> LockAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>
    /// Takes the lock, runs <paramref name="body"/>, and releases the lock however <paramref name="body"/> ends
    /// (its result or its exception goes to the caller unchanged).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null (before the lock is taken).</exception>
    public Task<T> RunExclusiveAsync<T>(Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>Frees the underlying resources.</summary>
    public void Dispose() => throw new NotImplementedException();
}

/// <summary>Holds an <see cref="AsyncLock"/> until disposed. Disposing it more than once has no further effect.</summary>
public sealed class LockReleaser : IDisposable, IAsyncDisposable
{
    /// <summary>Releases the lock, the first time only.</summary>
    public void Dispose() => throw new NotImplementedException();

    /// <summary>Releases the lock, the first time only.</summary>
    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
