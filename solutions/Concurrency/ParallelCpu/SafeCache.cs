using System.Collections.Concurrent;

namespace Koans.Concurrency.ParallelCpu;

/// <summary>Reference: a thread-safe cache whose factory runs once per key.</summary>
public sealed class SafeCache<TKey, TValue> where TKey : notnull
{
    private readonly Func<TKey, TValue> _factory;
    private readonly ConcurrentDictionary<TKey, Lazy<TValue>> _items = new();

    public SafeCache(Func<TKey, TValue> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
    }

    // GetOrAdd may create several Lazy objects under a race, but only the stored one is ever evaluated, and Lazy's
    // default mode (ExecutionAndPublication) runs the factory once. Note: Lazy caches a factory exception too.
    public TValue Get(TKey key) =>
        _items.GetOrAdd(key, k => new Lazy<TValue>(() => _factory(k))).Value;
}
