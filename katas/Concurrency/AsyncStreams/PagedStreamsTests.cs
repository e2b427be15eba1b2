using Koans.Testing;

namespace Koans.Concurrency.AsyncStreams;

/// <summary>Provided fake paged API over 1..total, counting the pages it served and the tokens it saw.</summary>
internal sealed class FakePagedApi(int total, int pageSize) : IPagedApi
{
    public int PagesServed { get; private set; }
    public List<CancellationToken> SeenTokens { get; } = [];

    public Task<Page> GetPageAsync(string? cursor, CancellationToken cancellationToken)
    {
        SeenTokens.Add(cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        PagesServed++;
        var start = cursor is null ? 0 : int.Parse(cursor);
        var items = Enumerable.Range(start + 1, Math.Min(pageSize, total - start)).ToArray();
        var next = start + pageSize < total ? (start + pageSize).ToString() : null;
        return Task.FromResult(new Page(items, next));
    }
}

/// <summary>A paged API whose every call returns the same page task, which the test completes when it wants.</summary>
internal sealed class PendingPageApi(Task<Page> page) : IPagedApi
{
    public Task<Page> GetPageAsync(string? cursor, CancellationToken cancellationToken) => page;
}

public class PagedStreamsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadAllAsync_yields_every_item_of_every_page_in_order()
    {
        var api = new FakePagedApi(total: 7, pageSize: 3);

        var items = new List<int>();
        await foreach (var item in PagedStreams.ReadAllAsync(api, Ct)) items.Add(item);

        items.Should().Equal([1, 2, 3, 4, 5, 6, 7]);
        api.PagesServed.Should().Be(3, "7 items in pages of 3 is three pages, each fetched once");
    }

    [Fact]
    public async Task ReadAllAsync_fetches_nothing_until_enumerated_and_then_one_page_at_a_time()
    {
        var api = new FakePagedApi(total: 9, pageSize: 3);

        var stream = PagedStreams.ReadAllAsync(api, Ct);
        api.PagesServed.Should().Be(0, "creating the sequence must not fetch: async iterators are lazy");

        await using var e = stream.GetAsyncEnumerator(Ct);
        (await e.MoveNextAsync()).Should().BeTrue();
        api.PagesServed.Should().Be(1, "the first item needs only the first page");
        for (var i = 0; i < 3; i++) (await e.MoveNextAsync()).Should().BeTrue();
        e.Current.Should().Be(4);
        api.PagesServed.Should().Be(2, "the fourth item is the first of page two; page three is not needed yet");
    }

    [Fact]
    public async Task Cancelling_with_WithCancellation_stops_fetching_mid_stream()
    {
        var api = new FakePagedApi(total: 9, pageSize: 3);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var seen = new List<int>();

        var act = async () =>
        {
            await foreach (var item in PagedStreams.ReadAllAsync(api).WithCancellation(cts.Token))
            {
                seen.Add(item);
                if (item == 3) await cts.CancelAsync();
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>(
            "the consumer cancelled; the next page fetch must observe the token");
        seen.Should().Equal([1, 2, 3]);
        api.PagesServed.Should().Be(1,
            "the token given to WithCancellation must reach GetPageAsync: mark the producer's token parameter " +
            "with [EnumeratorCancellation], or it is silently ignored and page two is fetched anyway");
    }

    [Fact]
    public async Task TakeAsync_stops_pulling_once_it_has_enough()
    {
        var api = new FakePagedApi(total: 100, pageSize: 2);

        var items = new List<int>();
        await foreach (var item in PagedStreams.ReadAllAsync(api, Ct).TakeAsync(4, Ct)) items.Add(item);

        items.Should().Equal([1, 2, 3, 4]);
        api.PagesServed.Should().Be(2,
            "four items are two pages of two; asking the source for a fifth item before stopping fetches a third page");
    }

    [Fact]
    public async Task WhereAsync_and_SelectAsync_compose_lazily()
    {
        var api = new FakePagedApi(total: 10, pageSize: 5);
        var selectorCalls = 0;

        var query = PagedStreams.ReadAllAsync(api, Ct)
            .WhereAsync(x => x % 3 == 0, Ct)
            .SelectAsync(async (x, ct) => { selectorCalls++; await Task.Yield(); return $"#{x}"; }, Ct);
        api.PagesServed.Should().Be(0, "composing operators must not start the enumeration");

        var items = new List<string>();
        await foreach (var item in query.TakeAsync(2, Ct)) items.Add(item);

        items.Should().Equal(["#3", "#6"]);
        selectorCalls.Should().Be(2, "the selector runs once per item that reaches it, and only those");
        api.PagesServed.Should().Be(2, "6 is on page two; 9 (page two too) was never requested");
    }

    [Fact]
    public async Task FirstEvenSquaresAsync_uses_the_BCL_async_LINQ_and_fetches_only_what_it_needs()
    {
        var api = new FakePagedApi(total: 1000, pageSize: 10);

        var squares = await PagedStreams.FirstEvenSquaresAsync(api, 3, Ct);

        squares.Should().Equal([4, 16, 36]);
        api.PagesServed.Should().Be(1, "the first three even numbers are all on page one");
        api.SeenTokens.Should().OnlyContain(t => t.CanBeCanceled, "the token must flow to every page fetch");
    }

    [Fact]
    public async Task ReadAllAsync_refuses_a_null_api_by_name()
    {
        var act = async () => { await foreach (var _ in PagedStreams.ReadAllAsync(null!, Ct)) { } };

        await act.Should().ThrowAsync<ArgumentNullException>(
            "a null api is the caller's bug: name it, instead of a NullReferenceException at the first page fetch")
            .WithParameterName("api");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task TakeAsync_of_zero_or_less_is_empty_and_fetches_nothing(int count)
    {
        var api = new FakePagedApi(total: 10, pageSize: 5);

        var items = new List<int>();
        await foreach (var item in PagedStreams.ReadAllAsync(api, Ct).TakeAsync(count, Ct)) items.Add(item);

        items.Should().BeEmpty($"Take({count}) is empty, as in LINQ");
        api.PagesServed.Should().Be(0, "taking nothing needs nothing from the source: not even its first page");
    }

    private static async IAsyncEnumerable<int> AfterGate(Task gate, params int[] items)
    {
        await gate.ConfigureAwait(false);
        foreach (var item in items) yield return item;
    }

    [Fact]
    public async Task The_iterators_never_resume_on_the_consumers_synchronization_context()
    {
        // The consumer is a UI thread: each first MoveNextAsync starts on its context and has to wait for something.
        var context = new CallerContext();
        var page = new TaskCompletionSource<Page>(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var selected = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        IAsyncEnumerator<int>[] enumerators =
        [
            PagedStreams.ReadAllAsync(new PendingPageApi(page.Task), Ct).GetAsyncEnumerator(Ct), // waits for a page
            AfterGate(gate.Task, 1, 2).WhereAsync(x => x == 2, Ct).GetAsyncEnumerator(Ct), // waits for its source
            AfterGate(gate.Task, 3).SelectAsync((x, _) => ValueTask.FromResult(x * 10), Ct).GetAsyncEnumerator(Ct), // for its source
            new[] { 4 }.ToAsyncEnumerable()
                .SelectAsync((_, _) => new ValueTask<int>(selected.Task), Ct).GetAsyncEnumerator(Ct), // for its selector
            AfterGate(gate.Task, 5, 6).TakeAsync(1, Ct).GetAsyncEnumerator(Ct), // waits for its source
        ];

        var moves = context.Run(() => enumerators.Select(e => e.MoveNextAsync().AsTask()).ToArray());
        moves.Should().OnlyContain(m => !m.IsCompleted, "each iterator is waiting for its page, source or selector");
        page.SetResult(new Page([1], null));
        gate.SetResult();
        selected.SetResult(40);

        (await Task.WhenAll(moves).WaitAsync(Ct)).Should().OnlyContain(moved => moved);
        enumerators.Select(e => e.Current).Should().Equal([1, 2, 30, 40, 5]);
        foreach (var e in enumerators) await e.DisposeAsync();
        context.Posts.Should().Be(0,
            "library iterators must not resume on the consumer's context after an await (a page fetch, the source's " +
            "MoveNextAsync in await foreach, a selector): each hop queues behind the UI, and a blocked consumer deadlocks");
    }
}
