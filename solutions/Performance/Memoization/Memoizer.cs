using System.Collections.Concurrent;

namespace Koans.Performance.Memoization;

public sealed class Memoizer<TKey, TValue>
    where TKey : notnull
{
    // The dictionary holds a Lazy per key, not the value: GetOrAdd may create several Lazy objects for one key when
    // threads race (its factory runs outside its locks), but only one is published, and every caller then reads
    // .Value of that one. Creating a Lazy is cheap and has no side effects; running the real factory inside it
    // happens once (ExecutionAndPublication: one thread runs it, the others block on the Lazy, not on a global lock).
    private readonly ConcurrentDictionary<TKey, Lazy<TValue>> _cache;

    // Made once, here: a lambda written inline in Get that captures the factory would allocate a delegate and a
    // closure on every call, hits included (the NaiveLazyMemoizer mistake).
    private readonly Func<TKey, Lazy<TValue>> _createEntry;

    public Memoizer(Func<TKey, TValue> factory, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _cache = new ConcurrentDictionary<TKey, Lazy<TValue>>(comparer);
        _createEntry = key => new Lazy<TValue>(() => factory(key), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public TValue Get(TKey key)
    {
        // A null key: ConcurrentDictionary throws ArgumentNullException (parameter "key") itself.
        var entry = _cache.GetOrAdd(key, _createEntry);
        try
        {
            return entry.Value;
        }
        catch
        {
            // A Lazy in ExecutionAndPublication mode caches the exception and rethrows it to every caller that reads
            // it: that is what makes the waiters of this run share the failure. Then evict it, so the next caller
            // starts a fresh run. Remove only this entry (key AND the same Lazy instance): another thread may
            // already have evicted it and published a newer, successful one, which must stay.
            _cache.TryRemove(new KeyValuePair<TKey, Lazy<TValue>>(key, entry));
            throw;
        }
    }
}
