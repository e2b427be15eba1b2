namespace Koans.Concurrency.AsyncStreams;

/// <summary>One page of a paged HTTP API: the items, and the cursor of the next page (<c>null</c> on the last page).</summary>
public sealed record Page(IReadOnlyList<int> Items, string? NextCursor);

/// <summary>A paged API: <c>GetPageAsync(null, ...)</c> returns the first page, then pass <c>NextCursor</c>.</summary>
public interface IPagedApi
{
    Task<Page> GetPageAsync(string? cursor, CancellationToken cancellationToken);
}

/// <summary>
/// Kata concurrency.async-streams: <see cref="IAsyncEnumerable{T}"/>, the counterpart of Python's async generators
/// (<c>async def f(): ... yield x</c>, consumed with <c>async for</c>).
/// </summary>
/// <remarks>
/// <para>An <c>async IAsyncEnumerable&lt;T&gt;</c> method with <c>yield return</c> is lazy like a Python async generator:
/// nothing runs until the consumer asks for the first item with <c>await foreach</c>, and each page is fetched only
/// when the consumer has used up the previous one.</para>
/// <para>Cancellation: the consumer may pass a token either as an argument or with <c>.WithCancellation(token)</c> on
/// the sequence. The second only reaches your code if the token parameter has the <c>[EnumeratorCancellation]</c>
/// attribute (System.Runtime.CompilerServices); without it that token is silently ignored.</para>
/// <para>.NET 10 ships LINQ for async sequences in the BCL (<c>System.Linq.AsyncEnumerable</c>: <c>Where</c>,
/// <c>Select</c>, <c>Take</c>, <c>ToListAsync</c>...). The operators below are written by hand to learn how they
/// work; <see cref="FirstEvenSquaresAsync"/> uses the BCL ones.</para>
/// <para>This is library code: a consumer on a UI thread (or in a classic ASP.NET request) calls
/// <c>MoveNextAsync</c> on its <see cref="SynchronizationContext"/>, and none of these iterators may resume on that
/// context after an await (not after a page fetch, a source's next item, or a selector): each hop back would queue
/// behind the UI's messages, and a consumer that blocks on <c>MoveNextAsync</c> would deadlock.</para>
/// </remarks>
public static class PagedStreams
{
    /// <summary>
    /// Every item of every page, in order, fetching a page only when the consumer needs its first item (so a consumer
    /// that stops early never fetches the rest). Pass the token to every <c>GetPageAsync</c> call, and honour
    /// <c>WithCancellation</c>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="api"/> is null (raised when the sequence is enumerated,
    /// at the latest).</exception>
    public static IAsyncEnumerable<int> ReadAllAsync(IPagedApi api, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>The items of <paramref name="source"/> that satisfy <paramref name="predicate"/> (written with <c>await foreach</c>).</summary>
    public static IAsyncEnumerable<T> WhereAsync<T>(
        this IAsyncEnumerable<T> source, Func<T, bool> predicate, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Each item transformed by an <em>asynchronous</em> <paramref name="selector"/>, in order.</summary>
    public static IAsyncEnumerable<TResult> SelectAsync<T, TResult>(
        this IAsyncEnumerable<T> source, Func<T, CancellationToken, ValueTask<TResult>> selector,
        CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// The first <paramref name="count"/> items. Stop pulling from <paramref name="source"/> as soon as you have them:
    /// asking the source for one more item could fetch a whole page for nothing. A <paramref name="count"/> of zero or
    /// less is an empty sequence that never asks the source for anything.
    /// </summary>
    public static IAsyncEnumerable<T> TakeAsync<T>(
        this IAsyncEnumerable<T> source, int count, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// The squares of the first <paramref name="count"/> even items of the API, as a list, using the BCL's
    /// <c>System.Linq.AsyncEnumerable</c> operators (<c>Where</c>, <c>Select</c>, <c>Take</c>, <c>ToListAsync</c>).
    /// </summary>
    public static Task<List<int>> FirstEvenSquaresAsync(IPagedApi api, int count, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
