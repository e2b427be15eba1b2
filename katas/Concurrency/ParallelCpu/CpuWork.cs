namespace Koans.Concurrency.ParallelCpu;

/// <summary>
/// Kata concurrency.parallel-cpu, part 1: CPU-bound work on all cores with <c>Parallel.For</c> and PLINQ.
/// </summary>
/// <remarks>
/// <para>CPython's GIL lets one thread run Python bytecode at a time, so CPU-bound Python code reaches for
/// <c>multiprocessing</c> / <c>ProcessPoolExecutor</c> (or, since 3.13, the experimental free-threaded build). .NET has
/// no GIL: threads run managed code truly in parallel, so one process uses every core, with shared memory and no
/// pickling. The price: every shared mutable variable is a data race unless you synchronise it.</para>
/// <para><c>async</c>/<c>await</c> is for <em>waiting</em> (I/O); it does not make computation faster. For computation,
/// use <c>Parallel.For</c>/<c>Parallel.ForEach</c> or PLINQ (<c>AsParallel()</c>).</para>
/// </remarks>
public static class CpuWork
{
    /// <summary>
    /// The sum of <c>v * v</c> (as <c>long</c>) over <paramref name="values"/>, with
    /// <c>Parallel.For&lt;long&gt;(fromInclusive, toExclusive, localInit, body, localFinally)</c>: each worker thread keeps
    /// its own partial sum (no sharing, no locking per item), and adds it once to the total with
    /// <c>Interlocked.Add</c> in <c>localFinally</c>. A plain <c>total += v * v</c> from several threads loses updates.
    /// </summary>
    public static long SumOfSquares(int[] values) => throw new NotImplementedException();

    /// <summary>How many primes are &lt;= <paramref name="upTo"/>, with PLINQ (<c>AsParallel()</c>, then <c>Count</c>).</summary>
    public static int CountPrimes(int upTo) => throw new NotImplementedException();

    /// <summary>
    /// <c>v * v</c> for each value, in the <em>input order</em>, computed with PLINQ. PLINQ does not keep order
    /// unless asked: <c>AsOrdered()</c>.
    /// </summary>
    public static long[] SquaresInOrder(int[] values) => throw new NotImplementedException();
}
