using System.Collections.Concurrent;

namespace Koans.Concurrency.Tasks;

/// <summary>Reference: a cache whose hits complete synchronously, returning <see cref="ValueTask{TResult}"/>.</summary>
public sealed class CachedLookup
{
    private readonly Func<string, Task<int>> _fetch;

    // Store Task (awaitable any number of times, by any number of callers), never ValueTask.
    // Lazy makes sure the fetch starts once even if two threads race in GetOrAdd (its factory may run twice).
    private readonly ConcurrentDictionary<string, Lazy<Task<int>>> _cache = new();

    public CachedLookup(Func<string, Task<int>> fetch)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        _fetch = fetch;
    }

    public ValueTask<int> GetAsync(string key)
    {
        var entry = _cache.GetOrAdd(key, k => new Lazy<Task<int>>(() => _fetch(k)));
        var task = entry.Value;
        // Hit: wrap the value itself. No Task, no state machine, no allocation.
        if (task.IsCompletedSuccessfully) return new ValueTask<int>(task.Result);
        return new ValueTask<int>(AwaitAndEvictOnFailureAsync(key, entry));
    }

    private async Task<int> AwaitAndEvictOnFailureAsync(string key, Lazy<Task<int>> entry)
    {
        try
        {
            return await entry.Value;
        }
        catch
        {
            // Remove only this entry: a newer fetch for the same key may already have replaced it.
            _cache.TryRemove(new KeyValuePair<string, Lazy<Task<int>>>(key, entry));
            throw;
        }
    }
}
