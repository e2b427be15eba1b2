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
            if (_quotes.TryGetValue(symbol, out load) && load.IsCompletedSuccessfully)
            {
                // The hot path: a ValueTask wrapping the value itself is a struct, no Task is needed to carry it.
                return new ValueTask<decimal>(load.Result);
            }

            // A faulted or cancelled load counts as a miss, so a failure is retried rather than cached. The loader
            // starts inside the lock (until its first await) so that two callers cannot both start one.
            if (load is null || load.IsFaulted || load.IsCanceled)
            {
                load = _loadQuote(symbol);
                _quotes[symbol] = load;
            }
        }

        // The slow path: wrapping the task costs nothing more than the task the loader already made.
        return new ValueTask<decimal>(load);
    }
}
