namespace Koans.Performance.AsyncHotPath;

/// <summary>A quote cache whose hit path allocates nothing (reference solution).</summary>
public sealed class QuoteCache
{
    private readonly Func<string, Task<decimal>> _loadQuote;

    // The cache holds the load itself, not its result: a caller that misses while a load is in flight gets the same
    // task, so the service sees one request per symbol however many callers arrive at once.
    private readonly Dictionary<string, Task<decimal>> _quotes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public QuoteCache(Func<string, Task<decimal>> loadQuote)
    {
        ArgumentNullException.ThrowIfNull(loadQuote);
        _loadQuote = loadQuote;
    }

    public ValueTask<decimal> GetAsync(string symbol)
    {
        Task<decimal>? load;
        lock (_gate)
        {
            // A faulted or cancelled load counts as a miss, so a failure is retried rather than cached. The loader
            // starts inside the lock (until its first await) so that two callers cannot both start one.
            if (!_quotes.TryGetValue(symbol, out load) || load.IsFaulted || load.IsCanceled)
            {
                load = _loadQuote(symbol);
                _quotes[symbol] = load;
            }
        }

        // Hit, in-flight load or fresh miss, one path: a ValueTask over an existing Task is a struct holding a
        // reference, so handing out the cached, completed task again allocates nothing. (Had the cache kept decimals,
        // new ValueTask<decimal>(value) would be the allocation-free hit; keeping the tasks is what makes concurrent
        // misses share one load.)
        return new ValueTask<decimal>(load);
    }
}
