namespace Koans.Concurrency.Throttling;

/// <summary>Reference: bounded concurrency with SemaphoreSlim and with Parallel.ForEachAsync.</summary>
public static class Throttle
{
    public static Task<int[]> RunWithSemaphoreAsync(
        IReadOnlyList<Func<CancellationToken, Task<int>>> jobs, int maxConcurrency, CancellationToken cancellationToken)
    {
        // Validate eagerly (not inside the async method) so a bad argument throws at the call.
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxConcurrency);
        return RunCoreAsync(jobs, maxConcurrency, cancellationToken);
    }

    private static async Task<int[]> RunCoreAsync(
        IReadOnlyList<Func<CancellationToken, Task<int>>> jobs, int maxConcurrency, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);

        async Task<int> RunOneAsync(Func<CancellationToken, Task<int>> job)
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await job(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                slots.Release(); // in finally: a failed job must give its slot back
            }
        }

        return await Task.WhenAll(jobs.Select(RunOneAsync)).ConfigureAwait(false);
    }

    public static Task RunWithParallelForEachAsync(
        IEnumerable<int> items, int maxConcurrency, Func<int, CancellationToken, ValueTask> body,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items); // Parallel.ForEachAsync would name it "source"
        // A null body: Parallel.ForEachAsync itself throws ArgumentNullException("body") at the call.
        // ParallelOptions treats -1 as "unlimited"; here that would defeat the point.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxConcurrency);
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxConcurrency,
            CancellationToken = cancellationToken,
        };
        return Parallel.ForEachAsync(items, options, body);
    }
}
