namespace Koans.Concurrency.ParallelCpu;

/// <summary>Reference: a counter that loses no increments.</summary>
public sealed class SafeCounter
{
    private long _count;

    public void Increment() => Interlocked.Increment(ref _count);

    public long Value => Interlocked.Read(ref _count);
}
