namespace Koans.Concurrency.ParallelCpu;

/// <summary>
/// Kata concurrency.parallel-cpu, part 1: CPU-bound work on all cores.
/// </summary>
/// <remarks>
/// <para>CPython's GIL lets one thread run Python bytecode at a time, so CPU-bound Python code reaches for
/// <c>multiprocessing</c> / <c>ProcessPoolExecutor</c> (or the free-threaded build: experimental in 3.13, officially
/// supported but optional since 3.14, https://peps.python.org/pep-0779/). .NET has
/// no GIL: threads run managed code truly in parallel, so one process uses every core, with shared memory and no
/// pickling. The price: every shared mutable variable is a data race unless you synchronise it.</para>
/// <para><c>async</c>/<c>await</c> is for <em>waiting</em> (I/O); it does not make computation faster. Each method
/// below spreads its work over the cores and still gives
/// exactly the sequential answer.</para>
/// </remarks>
public static class CpuWork
{
    /// <summary>
    /// The sum of <c>v * v</c> (as <c>long</c>) over <paramref name="values"/>, computed in parallel. The total is
    /// shared by every worker: a plain <c>total += v * v</c> from several threads loses updates, and a lock taken for
    /// every item serialises the work again. Exact, every time.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static long SumOfSquares(int[] values) => throw new NotImplementedException();

    /// <summary>
    /// How many primes are &lt;= <paramref name="upTo"/>, counted in parallel (a query, not a loop). Below 2 there are
    /// none (0 for any smaller number, negative ones included).
    /// </summary>
    public static int CountPrimes(int upTo) => throw new NotImplementedException();

    /// <summary>
    /// <c>v * v</c> for each value, computed in parallel, returned in the <em>input order</em>: parallel work finishes
    /// in any order.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static long[] SquaresInOrder(int[] values) => throw new NotImplementedException();
}
