namespace Koans.Concurrency.Tasks;

/// <summary>
/// Kata concurrency.tasks, part 2: <see cref="ValueTask{TResult}"/> and its rules.
/// </summary>
/// <remarks>
/// <para>A cache hit needs no asynchrony: returning <c>ValueTask&lt;int&gt;</c> lets a hit complete synchronously
/// without allocating a <c>Task</c>. The price is a set of rules: a <c>ValueTask</c> may be awaited <em>once</em>,
/// must not be awaited concurrently, and must not be stored for later (its backing object may be reused). So the cache
/// stores <c>Task&lt;int&gt;</c> (which many callers may await, any number of times) and hands each caller a fresh
/// <c>ValueTask</c>.</para>
/// </remarks>
public sealed class CachedLookup
{
    /// <param name="fetch">The slow source (a database, an HTTP call). Each call counts.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fetch"/> is null: refused here, not at the first lookup.</exception>
    public CachedLookup(Func<string, Task<int>> fetch) => throw new NotImplementedException();

    /// <summary>
    /// Returns the value for <paramref name="key"/>, calling the fetch function at most once per key:
    /// <list type="bullet">
    /// <item><description>a cached value returns an already completed <c>ValueTask</c> (<c>IsCompletedSuccessfully</c>
    /// is true; no <c>Task</c> allocated);</description></item>
    /// <item><description>concurrent callers for a key whose fetch is still in flight share that one fetch (store the
    /// in-flight <c>Task</c>, never a <c>ValueTask</c>);</description></item>
    /// <item><description>a failed fetch is not cached: the caller sees the exception, the next call fetches again.</description></item>
    /// </list>
    /// </summary>
    public ValueTask<int> GetAsync(string key) => throw new NotImplementedException();
}
