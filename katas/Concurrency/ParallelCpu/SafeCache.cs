namespace Koans.Concurrency.ParallelCpu;

/// <summary>
/// Kata concurrency.parallel-cpu, part 3: fix the racy cache (<c>RacyCache</c> in the tests file).
/// </summary>
/// <remarks>
/// <para>A <see cref="Dictionary{TKey, TValue}"/> written from several threads can corrupt itself (lost entries,
/// exceptions, even infinite loops on a corrupted bucket chain). <c>ConcurrentDictionary</c> is safe, but
/// <c>GetOrAdd(key, factory)</c> may still run the factory <em>more than once</em> for one key when threads race:
/// only one result is stored, the others are thrown away. If the factory is expensive or has side effects (opens a
/// connection, charges a card), store a <c>Lazy&lt;TValue&gt;</c> instead: the dictionary may create two Lazy objects,
/// but only the stored one is ever asked for its <c>Value</c>, and <c>Lazy</c> (default mode
/// <c>ExecutionAndPublication</c>) runs the factory once.</para>
/// </remarks>
public sealed class SafeCache<TKey, TValue> where TKey : notnull
{
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public SafeCache(Func<TKey, TValue> factory) => throw new NotImplementedException();

    /// <summary>The value for <paramref name="key"/>, creating it with the factory exactly once per key, whatever the contention.</summary>
    public TValue Get(TKey key) => throw new NotImplementedException();
}
