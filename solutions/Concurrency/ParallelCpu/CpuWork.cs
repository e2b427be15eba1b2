namespace Koans.Concurrency.ParallelCpu;

/// <summary>Reference: Parallel.For with thread-local partial sums, and PLINQ.</summary>
public static class CpuWork
{
    public static long SumOfSquares(int[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        long total = 0;
        Parallel.For(0, values.Length,
            localInit: () => 0L,                                       // one partial sum per worker
            body: (i, _, partial) => partial + (long)values[i] * values[i], // no shared state touched per item
            localFinally: partial => Interlocked.Add(ref total, partial)); // one atomic add per worker
        return total;
    }

    public static int CountPrimes(int upTo) =>
        ParallelEnumerable.Range(2, Math.Max(0, upTo - 1)).Count(IsPrime);

    private static bool IsPrime(int n)
    {
        if (n < 4) return n >= 2;
        if (n % 2 == 0) return false;
        for (var d = 3; (long)d * d <= n; d += 2)
            if (n % d == 0) return false;
        return true;
    }

    public static long[] SquaresInOrder(int[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.AsParallel().AsOrdered().Select(v => (long)v * v).ToArray();
    }
}
