namespace Koans.Concurrency.Tasks;

/// <summary>Reference: running jobs concurrently with <c>Task.WhenAll</c>, and how failures surface.</summary>
public static class TaskCombinators
{
    public static async Task<int[]> RunAllAsync(
        IReadOnlyList<Func<CancellationToken, Task<int>>> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        // ToArray forces every job to start now; a lazy Select would start them inside WhenAll, which also works,
        // but materialising makes "start all, then await" explicit.
        var tasks = jobs.Select(job => job(cancellationToken)).ToArray();
        return await Task.WhenAll(tasks);
    }

    public static async Task<int[]> RunSequentiallyAsync(
        IReadOnlyList<Func<CancellationToken, Task<int>>> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var results = new int[jobs.Count];
        for (var i = 0; i < jobs.Count; i++)
            results[i] = await jobs[i](cancellationToken);
        return results;
    }

    public static async Task<int[]> RunAllReportingEveryFailureAsync(
        IReadOnlyList<Func<CancellationToken, Task<int>>> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var all = Task.WhenAll(jobs.Select(job => job(cancellationToken)).ToArray());
        try
        {
            return await all;
        }
        catch when (all.Exception is { } aggregate)
        {
            // await rethrew only the first inner exception; the task itself still holds all of them.
            throw aggregate.Flatten();
        }
    }
}
