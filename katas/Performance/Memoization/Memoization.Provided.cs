using System.Collections.Concurrent;

namespace Koans.Performance.Memoization;

/// <summary>
/// The usual first version: thread-safe as a dictionary, not as a cache. Under contention several threads miss at
/// once and each runs the factory (ConcurrentDictionary documents that its value factory is called outside its locks
/// and may run more than once for a key).
/// </summary>
public sealed class NaiveMemoizer<TKey, TValue>(Func<TKey, TValue> factory, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _cache = new(comparer);

    public TValue Get(TKey key) => _cache.GetOrAdd(key, factory);
}

/// <summary>
/// The usual second version: runs the factory once per key, and keeps a failure forever (the cached entry rethrows
/// the first exception on every later call), and allocates on every call, hits included.
/// </summary>
public sealed class NaiveLazyMemoizer<TKey, TValue>(Func<TKey, TValue> factory, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<TValue>> _cache = new(comparer);

    public TValue Get(TKey key) => _cache.GetOrAdd(key, k => new Lazy<TValue>(() => factory(k))).Value;
}
