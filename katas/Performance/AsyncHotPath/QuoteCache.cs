namespace Koans.Performance.AsyncHotPath;

/// <summary>
/// Kata performance.async-hot-path, part 1: a cache in front of a slow quote service whose hit path, the path taken by
/// almost every call, allocates nothing.
/// </summary>
/// <remarks>
/// <para>An <c>async Task&lt;decimal&gt;</c> method that returns a cached value still allocates a
/// <see cref="Task{TResult}"/> to carry it, on every call (the runtime caches only a few tasks, such as those for
/// <c>true</c>, <c>false</c> and small integers). At 100 000 requests a second that is megabytes of garbage a second
/// for a value the cache already had. The return type of <see cref="GetAsync"/> is chosen so that the synchronous case
/// needs no object at all; the slow case may allocate.</para>
/// <para>What the tests hold you to:</para>
/// <list type="bullet">
/// <item><description>A cached quote is returned already completed, and one such call allocates 0 bytes (measured after
/// a warm-up).</description></item>
/// <item><description>The loader runs once per symbol: callers that miss while a load is in flight share that load
/// instead of starting their own (a cache stampede multiplies the load on the service exactly when it is
/// slow).</description></item>
/// <item><description>A failed load is not cached: every caller of that load sees its exception when awaiting, and the
/// next call for that symbol loads again.</description></item>
/// </list>
/// <para>Safe to call from several threads at once.</para>
/// </remarks>
public sealed class QuoteCache
{
    /// <summary>Creates an empty cache over <paramref name="loadQuote"/>, the slow service call for one symbol.</summary>
    public QuoteCache(Func<string, Task<decimal>> loadQuote) => throw new NotImplementedException();

    /// <summary>The quote for <paramref name="symbol"/>: from the cache when it has one, else from the loader.</summary>
    public ValueTask<decimal> GetAsync(string symbol) => throw new NotImplementedException();
}
