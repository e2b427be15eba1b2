namespace Koans.Performance.AsyncHotPath;

/// <summary>
/// The usual first version of a quote cache: correct for one caller at a time, and a new <see cref="Task{TResult}"/> on
/// every call, even when the quote is already cached.
/// </summary>
public sealed class NaiveQuoteCache(Func<string, Task<decimal>> loadQuote)
{
    private readonly Dictionary<string, decimal> _quotes = [];

    public async Task<decimal> GetAsync(string symbol)
    {
        if (_quotes.TryGetValue(symbol, out var quote))
        {
            return quote;
        }

        quote = await loadQuote(symbol);
        _quotes[symbol] = quote;
        return quote;
    }
}

/// <summary>
/// The usual first version of a single-consumer mailbox: a new <see cref="TaskCompletionSource{TResult}"/> (and its
/// task) for every receive that has to wait, and a new completed task for every one that does not.
/// </summary>
public sealed class NaiveMailbox
{
    private readonly Queue<long> _values = new();
    private TaskCompletionSource<long>? _waiting;

    public void Post(long value)
    {
        var waiting = _waiting;
        if (waiting is null)
        {
            _values.Enqueue(value);
            return;
        }

        _waiting = null;
        waiting.SetResult(value);
    }

    public Task<long> ReceiveAsync()
    {
        if (_values.TryDequeue(out var value))
        {
            return Task.FromResult(value);
        }

        _waiting = new TaskCompletionSource<long>();
        return _waiting.Task;
    }
}
