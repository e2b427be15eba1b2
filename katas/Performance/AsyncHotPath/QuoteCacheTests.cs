using Koans.Testing;

namespace Koans.Performance.AsyncHotPath;

public class QuoteCacheTests
{
    [Fact]
    public async Task A_cached_quote_comes_back_completed_and_allocates_nothing()
    {
        var naive = new NaiveQuoteCache(_ => Task.FromResult(411.22m));
        await naive.GetAsync("MSFT");
        Allocations.Measure(() => naive.GetAsync("MSFT")).Should().BeGreaterThan(0,
            "the budget must bite: an async Task<decimal> method allocates a Task to carry even a cached decimal");

        var cache = new QuoteCache(_ => Task.FromResult(411.22m));
        (await cache.GetAsync("MSFT")).Should().Be(411.22m);
        var hit = cache.GetAsync("MSFT");
        hit.IsCompletedSuccessfully.Should().BeTrue("a cached quote needs no waiting");
        (await hit).Should().Be(411.22m);
        Allocations.Measure(() => cache.GetAsync("MSFT").Result).Should().Be(0,
            "a ValueTask<decimal> that wraps the value itself is a struct: the hit path needs no Task and no closure");
    }

    [Fact]
    public async Task A_miss_waits_for_the_loader_once_and_later_calls_are_hits()
    {
        var loads = new List<string>();
        var quote = new TaskCompletionSource<decimal>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cache = new QuoteCache(symbol => { loads.Add(symbol); return quote.Task; });

        var first = cache.GetAsync("NVDA");
        first.IsCompleted.Should().BeFalse("the loader has not answered yet");
        quote.SetResult(181.5m);
        (await first).Should().Be(181.5m);

        var second = cache.GetAsync("NVDA");
        second.IsCompletedSuccessfully.Should().BeTrue("the quote is cached now");
        (await second).Should().Be(181.5m);
        loads.Should().Equal(["NVDA"], "the service is asked once per symbol");
    }

    [Fact]
    public async Task Callers_that_miss_together_share_one_load()
    {
        var loads = 0;
        var quote = new TaskCompletionSource<decimal>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cache = new QuoteCache(_ => { loads++; return quote.Task; });

        var callers = Enumerable.Range(0, 5).Select(_ => cache.GetAsync("AAPL").AsTask()).ToList();
        loads.Should().Be(1, "five callers missing the same symbol while it loads must share that load, not start five (a cache stampede)");
        quote.SetResult(230.1m);
        (await Task.WhenAll(callers)).Should().AllBeEquivalentTo(230.1m);
    }

    [Fact]
    public async Task Symbols_are_cached_separately()
    {
        var cache = new QuoteCache(symbol => Task.FromResult(symbol == "IBM" ? 250m : 3.5m));
        (await cache.GetAsync("IBM")).Should().Be(250m);
        (await cache.GetAsync("F")).Should().Be(3.5m, "each symbol has its own quote");
        (await cache.GetAsync("IBM")).Should().Be(250m);
    }

    [Fact]
    public async Task A_failed_load_reaches_every_waiting_caller_and_is_not_cached()
    {
        var loads = 0;
        var failing = new TaskCompletionSource<decimal>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cache = new QuoteCache(_ => ++loads == 1 ? failing.Task : Task.FromResult(99.9m));

        var first = cache.GetAsync("ORCL");
        var second = cache.GetAsync("ORCL");
        failing.SetException(new TimeoutException("the quote service timed out"));
        await FluentActions.Awaiting(async () => await first).Should().ThrowAsync<TimeoutException>("the loader's failure is the caller's to see");
        await FluentActions.Awaiting(async () => await second).Should().ThrowAsync<TimeoutException>("the caller that shared the load shares its failure");

        (await cache.GetAsync("ORCL")).Should().Be(99.9m, "a failure is not a quote: caching it would fail every later call until restart");
        loads.Should().Be(2);
    }

    [Fact]
    public async Task A_cancelled_load_is_not_cached_either()
    {
        FluentActions.Invoking(() => new QuoteCache(null!)).Should().Throw<ArgumentNullException>("a cache without a loader is a bug to report at once");
        var loads = 0;
        var cache = new QuoteCache(_ => ++loads == 1 ? Task.FromCanceled<decimal>(new CancellationToken(canceled: true)) : Task.FromResult(12m));

        await FluentActions.Awaiting(async () => await cache.GetAsync("T")).Should().ThrowAsync<OperationCanceledException>();
        (await cache.GetAsync("T")).Should().Be(12m, "a cancelled load is retried like a failed one");
        loads.Should().Be(2);
    }
}
