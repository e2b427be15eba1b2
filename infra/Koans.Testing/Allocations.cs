namespace Koans.Testing;

/// <summary>
/// Allocation budgets, the machine-independent half of "is it fast": how many bytes of managed heap a call allocates on
/// the calling thread, measured with <see cref="GC.GetAllocatedBytesForCurrentThread"/>. The call runs first as a
/// warm-up (the JIT, type initializers and lazy caches allocate once), then again under measurement.
/// </summary>
public static class Allocations
{
    /// <summary>Bytes allocated on this thread by one call of <paramref name="action"/>, after warm-up calls.</summary>
    public static long Measure(Action action, int warmUps = 2)
    {
        ArgumentNullException.ThrowIfNull(action);
        for (var i = 0; i < warmUps; i++)
        {
            action();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>Bytes allocated on this thread by one call of <paramref name="function"/>, after warm-up calls.</summary>
    public static long Measure<T>(Func<T> function, int warmUps = 2)
    {
        ArgumentNullException.ThrowIfNull(function);
        T result = default!;
        var bytes = Measure(() => { result = function(); }, warmUps);
        GC.KeepAlive(result);
        return bytes;
    }
}
