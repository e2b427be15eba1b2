namespace Koans.Performance.Memoization;

/// <summary>
/// Kata performance.memoization: a thread-safe cache of an expensive function's results (a parsed configuration per
/// tenant, a compiled template per name, a price per instrument): <c>Get(key)</c> returns <c>factory(key)</c>,
/// computed <b>at most once per key</b> while it succeeds, however many threads ask at the same moment.
/// </summary>
/// <remarks>
/// The contract the tests hold you to:
/// <list type="number">
/// <item><b>Exactly once under contention.</b> When many threads ask for the same missing key at once, the factory
/// runs once; the other callers wait for that run and get the same result (the same instance, for reference
/// types).</item>
/// <item><b>No lock held while the factory runs.</b> A slow factory for one key never blocks a <c>Get</c> of another
/// key, nor a hit on an already cached key.</item>
/// <item><b>Failures are not cached.</b> When the factory throws, the caller whose call ran it and every caller that
/// was waiting for that same run get that exception (the factory's own exception, not a wrapper; the factory is not
/// re-run once per waiter). The key is then as if never asked for: the next <c>Get</c> for it after the failure runs
/// the factory again. (A transient failure, a timeout to a database, must not poison the key for the life of the
/// process.)</item>
/// <item><b>A hit allocates nothing:</b> 0 bytes for <c>Get</c> of a cached key (after warm-up), however the lookup is
/// written.</item>
/// </list>
/// Keys are compared with <c>comparer</c> (the default equality comparer when null). The tests observe
/// contention through that comparer and the factory (who is inside <c>Get</c>, how often the factory ran), never
/// through sleeps or timing. <see cref="NaiveMemoizer{TKey, TValue}"/> and <see cref="NaiveLazyMemoizer{TKey, TValue}"/>
/// are the usual first and second attempts; the tests show where each breaks the contract.
/// </remarks>
public sealed class Memoizer<TKey, TValue>
    where TKey : notnull
{
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public Memoizer(Func<TKey, TValue> factory, IEqualityComparer<TKey>? comparer = null) => throw new NotImplementedException();

    /// <summary>The cached result for <paramref name="key"/>, computing it (once) if there is none.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public TValue Get(TKey key) => throw new NotImplementedException();
}
