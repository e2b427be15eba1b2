using System.Runtime.CompilerServices;

namespace Koans.Concurrency.AsyncStreams;

public sealed record Page(IReadOnlyList<int> Items, string? NextCursor);

public interface IPagedApi
{
    Task<Page> GetPageAsync(string? cursor, CancellationToken cancellationToken);
}

/// <summary>Reference: async iterators over a paged API, and LINQ over async sequences.</summary>
public static class PagedStreams
{
    public static async IAsyncEnumerable<int> ReadAllAsync(
        IPagedApi api, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api); // note: in an iterator this runs at the first MoveNextAsync
        string? cursor = null;
        do
        {
            var page = await api.GetPageAsync(cursor, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items) yield return item;
            cursor = page.NextCursor;
        } while (cursor is not null);
    }

    public static async IAsyncEnumerable<T> WhereAsync<T>(
        this IAsyncEnumerable<T> source, Func<T, bool> predicate,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in source.WithCancellation(cancellationToken).ConfigureAwait(false))
            if (predicate(item)) yield return item;
    }

    public static async IAsyncEnumerable<TResult> SelectAsync<T, TResult>(
        this IAsyncEnumerable<T> source, Func<T, CancellationToken, ValueTask<TResult>> selector,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in source.WithCancellation(cancellationToken).ConfigureAwait(false))
            yield return await selector(item, cancellationToken).ConfigureAwait(false);
    }

    public static async IAsyncEnumerable<T> TakeAsync<T>(
        this IAsyncEnumerable<T> source, int count,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (count <= 0) yield break;
        var taken = 0;
        await foreach (var item in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
            // Check *after* yielding: checking before the next MoveNextAsync would pull one item too many.
            if (++taken == count) yield break;
        }
    }

    public static Task<List<int>> FirstEvenSquaresAsync(IPagedApi api, int count, CancellationToken cancellationToken) =>
        ReadAllAsync(api, cancellationToken)
            .Where(x => x % 2 == 0)
            .Select(x => x * x)
            .Take(count)
            .ToListAsync(cancellationToken)
            .AsTask();
}
