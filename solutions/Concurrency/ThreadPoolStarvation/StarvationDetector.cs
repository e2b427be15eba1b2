namespace Koans.Concurrency.ThreadPoolStarvation;

/// <summary>Reference: starved = work queued now, and no work item completed since the earlier sample.</summary>
public static class StarvationDetector
{
    public static bool IsStarved(PoolCounters earlier, PoolCounters later) =>
        // A queue alone is load, not starvation: a healthy pool drains it, so its completed count moves.
        later.PendingWorkItemCount > 0 && later.CompletedWorkItemCount == earlier.CompletedWorkItemCount;
}
