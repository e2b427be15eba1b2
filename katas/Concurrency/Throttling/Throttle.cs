namespace Koans.Concurrency.Throttling;

/// <summary>
/// Kata concurrency.throttling: run N jobs with at most K at once.
/// </summary>
/// <remarks>
/// <para>asyncio's answer is <c>asyncio.Semaphore(k)</c> with <c>async with sem:</c> around each job; threads use
/// <c>ThreadPoolExecutor(max_workers=k)</c>. .NET has both shapes: <see cref="SemaphoreSlim"/> with
/// <c>await WaitAsync()</c> / <c>Release()</c> (in a <c>finally</c>!), and <c>Parallel.ForEachAsync</c> with
/// <c>ParallelOptions.MaxDegreeOfParallelism</c>.</para>
/// <para>Why throttle at all: <c>Task.WhenAll(urls.Select(FetchAsync))</c> over 10 000 URLs opens 10 000 connections
/// at once; the server (or your socket pool, or the database connection pool) will not thank you.</para>
/// <para>Bad arguments are refused by the call itself (not by the returned task), naming the argument. And this is
/// library code: called from a UI thread or a classic ASP.NET request, it never resumes on the caller's
/// <see cref="SynchronizationContext"/> after an await (not after waiting for a slot, for a job, or for all of
/// them): each hop back would queue behind the UI's messages, and a caller that blocks on the task would
/// deadlock.</para>
/// </remarks>
public static class Throttle
{
    /// <summary>
    /// Runs every job, at most <paramref name="maxConcurrency"/> at a time, using a <see cref="SemaphoreSlim"/>, and
    /// returns the results in list order. A failing job must still give back its slot (otherwise the remaining jobs
    /// wait forever); after all jobs have run, the first failure is thrown.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="jobs"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrency"/> is zero or negative.</exception>
    public static Task<int[]> RunWithSemaphoreAsync(
        IReadOnlyList<Func<CancellationToken, Task<int>>> jobs, int maxConcurrency, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>
    /// Calls <paramref name="body"/> for every item, at most <paramref name="maxConcurrency"/> at a time, with
    /// <c>Parallel.ForEachAsync</c> and <c>MaxDegreeOfParallelism</c>. Pass the token in the <c>ParallelOptions</c>
    /// so a cancellation stops the loop (it throws <see cref="OperationCanceledException"/>).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> or <paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrency"/> is zero or negative.</exception>
    public static Task RunWithParallelForEachAsync(
        IEnumerable<int> items, int maxConcurrency, Func<int, CancellationToken, ValueTask> body,
        CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
