namespace Koans.Concurrency.ParallelCpu;

/// <summary>
/// Kata concurrency.parallel-cpu, part 3: fix the racy cache (<c>RacyCache</c> in the tests file).
/// </summary>
/// <remarks>
/// <para>A <see cref="Dictionary{TKey, TValue}"/> written from several threads can corrupt itself (lost entries,
/// exceptions, even infinite loops on a corrupted bucket chain). A thread-safe dictionary stops the corruption, but
/// read its documentation carefully: does "get or add" promise to run your factory only once per key when threads
/// race? The factory here is expensive and has side effects (think: opens a connection, charges a card), so it must run
/// exactly once per key, whatever the contention; the tests race many threads on one key.</para>
/// </remarks>
public sealed class SafeCache<TKey, TValue> where TKey : notnull
{
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public SafeCache(Func<TKey, TValue> factory) => throw new NotImplementedException();

    /// <summary>The value for <paramref name="key"/>, creating it with the factory exactly once per key, whatever the contention.</summary>
    public TValue Get(TKey key) => throw new NotImplementedException();
}
