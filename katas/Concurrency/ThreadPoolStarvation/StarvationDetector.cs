namespace Koans.Concurrency.ThreadPoolStarvation;

/// <summary>
/// Kata concurrency.thread-pool-starvation, part 1: recognise starvation from the pool's counters, the way
/// <c>dotnet-counters monitor System.Runtime</c> shows it in production (<c>threadpool-queue-length</c>,
/// <c>threadpool-completed-items-count</c>, <c>threadpool-thread-count</c>).
/// </summary>
public static class StarvationDetector
{
    /// <summary>
    /// True when two samples of the same pool, <paramref name="earlier"/> then <paramref name="later"/>, show a
    /// starved pool: work is waiting for a thread, and none of the pool's threads got anything done in between.
    /// </summary>
    /// <remarks>A busy but healthy pool also has a queue; an idle pool also completes nothing. Neither is
    /// starved.</remarks>
    public static bool IsStarved(PoolCounters earlier, PoolCounters later) => throw new NotImplementedException();
}
