namespace Koans.Concurrency.ThreadPoolStarvation;

/// <summary>
/// Provided fake inventory: every call stays in flight until the test answers it. Like a real HTTP client, the
/// response arrives off the pool, and the rest of <see cref="GetStockAsync"/> (after its <c>await</c>) is queued to the
/// scheduler the call started on: on a starved pool, that continuation waits for a thread.
/// </summary>
internal sealed class InventoryFake : IInventoryClient, IDisposable
{
    private readonly Lock _sync = new();
    private readonly List<(string Sku, TaskCompletionSource<int> Response)> _inFlight = [];
    private readonly CancellationTokenSource _disposed = new();
    private IReadOnlyDictionary<string, Exception>? _failures;
    private bool _answering;
    private int _calls;
    private int _cancelledCalls;

    public static int StockOf(string sku) => sku.Length * 10;

    /// <summary>Calls made and not yet answered.</summary>
    public int CallsInFlight { get { lock (_sync) return _inFlight.Count(call => !call.Response.Task.IsCompleted); } }

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Calls whose caller's token was cancelled while they were in flight (counted inside Cancel()).</summary>
    public int CancelledCalls => Volatile.Read(ref _cancelledCalls);

    public async Task<int> GetStockAsync(string sku, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var response = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool answerNow;
        lock (_sync)
        {
            _inFlight.Add((sku, response));
            answerNow = _answering;
        }
        if (answerNow) Answer(sku, response);
        using var whenCancelled = cancellationToken.Register(() =>
        {
            Interlocked.Increment(ref _cancelledCalls);
            response.TrySetCanceled(cancellationToken);
        });
        using var whenDisposed = _disposed.Token.Register(() => response.TrySetCanceled());
        return await response.Task;
    }

    /// <summary>
    /// Answers every call in flight, and every later call at once, with its SKU's stock, except the SKUs in
    /// <paramref name="failures"/>, which fail with the given exception.
    /// </summary>
    public void RespondToAll(IReadOnlyDictionary<string, Exception>? failures = null)
    {
        (string Sku, TaskCompletionSource<int> Response)[] calls;
        lock (_sync)
        {
            _failures = failures;
            _answering = true;
            calls = [.. _inFlight];
        }
        foreach (var (sku, response) in calls) Answer(sku, response);
    }

    private void Answer(string sku, TaskCompletionSource<int> response)
    {
        if (_failures?.TryGetValue(sku, out var failure) == true) response.TrySetException(failure);
        else response.TrySetResult(StockOf(sku));
    }

    public void Dispose() => _disposed.Cancel();
}

/// <remarks>
/// Every call of the service runs on a <see cref="BoundedPool"/>, never on the test's own thread: a service that blocks
/// then blocks a pool thread (and the settle point shows it), not the test.
/// </remarks>
public class StockServiceTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string[] Basket = ["apples", "pears", "figs"];
    private static readonly int BasketStock = Basket.Sum(InventoryFake.StockOf);

    [Fact]
    public async Task The_total_is_the_sum_of_every_skus_stock()
    {
        using var pool = new BoundedPool(threads: 2);
        using var inventory = new InventoryFake();
        var service = new StockService(inventory);

        var total = pool.Run(() => service.TotalStockAsync(Basket, Ct));
        var none = pool.Run(() => service.TotalStockAsync([], Ct));
        await pool.WhenSettledAsync(Ct).WaitAsync(Guard, Ct);
        inventory.RespondToAll();

        (await total.WaitAsync(Guard, Ct)).Should().Be(BasketStock, "60 + 50 + 40");
        (await none.WaitAsync(Guard, Ct)).Should().Be(0, "no SKUs, no stock, no calls");
        inventory.Calls.Should().Be(3);
    }

    [Fact]
    public async Task Eight_requests_on_a_two_thread_pool_all_get_their_fetches_under_way_without_blocking_a_thread()
    {
        using var pool = new BoundedPool(threads: 2);
        using var inventory = new InventoryFake();
        var service = new StockService(inventory);

        var requests = Enumerable.Range(0, 8).Select(_ => pool.Run(() => service.TotalStockAsync(Basket, Ct))).ToArray();
        await pool.WhenSettledAsync(Ct).WaitAsync(Guard, Ct);

        var busy = pool.BusyThreadCount;
        var blocked = pool.BlockedThreadCount;
        var pending = pool.PendingWorkItemCount;
        busy.Should().Be(0,
            $"{busy} of the pool's {pool.ThreadCount} threads are still inside a request ({blocked} blocked in a wait) while " +
            $"{pending} work items wait in the queue (PendingWorkItemCount): a request that waits with .Result, " +
            ".Wait() or GetAwaiter().GetResult() holds its thread until the response's continuation runs, and that " +
            "continuation needs a pool thread. Await instead, all the way up");
        inventory.CallsInFlight.Should().Be(8 * Basket.Length,
            "every request starts all of its fetches before awaiting any, so with nothing answered yet all 24 are in " +
            "flight; awaiting one SKU at a time leaves only the first SKU of each request in flight");

        inventory.RespondToAll();
        var totals = await Task.WhenAll(requests).WaitAsync(Guard, Ct);

        totals.Should().AllBeEquivalentTo(BasketStock);
    }

    [Fact]
    public async Task The_shipped_blocking_service_starves_the_pool_and_the_counters_show_it()
    {
        using var pool = new BoundedPool(threads: 2);
        using var inventory = new InventoryFake();
        var shipped = new BlockingStockService(inventory);
        var requests = Enumerable.Range(0, 2).Select(_ => pool.Run(() => Task.FromResult(shipped.TotalStock(Basket)))).ToArray();
        // Both threads must be blocked in .Result on their first inventory call before the responses arrive: the pool
        // can look blocked for a moment before that (a garbage collection under load), and a call made after
        // RespondToAll is answered at once and never starves anything.
        await pool.WhenSettledAsync(Ct).WaitAsync(Guard, Ct);
        SpinWait.SpinUntil(() => inventory.CallsInFlight == 2, Guard).Should().BeTrue("each request makes its first inventory call");
        await pool.WhenSettledAsync(Ct).WaitAsync(Guard, Ct);

        inventory.RespondToAll(); // the responses arrive; their continuations queue for a pool thread
        await pool.WhenSettledAsync(Ct).WaitAsync(Guard, Ct);
        var earlier = PoolCounters.Of(pool);
        var later = PoolCounters.Of(pool);

        pool.BlockedThreadCount.Should().Be(2, "both threads sit in .Result (this is the bug being diagnosed)");
        requests.Should().OnlyContain(request => !request.IsCompleted);
        StarvationDetector.IsStarved(earlier, later).Should().BeTrue(
            $"work is queued ({later.PendingWorkItemCount} items) and no work item completed between the samples " +
            $"(CompletedWorkItemCount stayed {later.CompletedWorkItemCount}): the threads exist but none of them " +
            "is doing anything. That is starvation");
    }

    [Fact]
    public void A_busy_pool_that_keeps_completing_work_is_not_starved()
    {
        var earlier = new PoolCounters(ThreadCount: 8, PendingWorkItemCount: 40, CompletedWorkItemCount: 1_000);
        var later = new PoolCounters(ThreadCount: 8, PendingWorkItemCount: 45, CompletedWorkItemCount: 1_003);

        StarvationDetector.IsStarved(earlier, later).Should().BeFalse(
            "a queue alone is load, not starvation: the pool completed 3 work items between the samples");
    }

    [Fact]
    public void An_idle_pool_is_not_starved()
    {
        var earlier = new PoolCounters(ThreadCount: 8, PendingWorkItemCount: 0, CompletedWorkItemCount: 1_000);
        var later = new PoolCounters(ThreadCount: 8, PendingWorkItemCount: 0, CompletedWorkItemCount: 1_000);

        StarvationDetector.IsStarved(earlier, later).Should().BeFalse(
            "nothing completed, but nothing is waiting either: an idle pool is not a starved one");
    }

    [Fact]
    public async Task A_failed_fetch_fails_the_request_instead_of_being_swallowed()
    {
        using var pool = new BoundedPool(threads: 2);
        using var inventory = new InventoryFake();
        var service = new StockService(inventory);

        var total = pool.Run(() => service.TotalStockAsync(Basket, Ct));
        await pool.WhenSettledAsync(Ct).WaitAsync(Guard, Ct);
        inventory.RespondToAll(new Dictionary<string, Exception> { ["pears"] = new HttpRequestException("503 from inventory") });

        var act = () => total.WaitAsync(Guard, Ct);
        await act.Should().ThrowExactlyAsync<HttpRequestException>(
            "a fetch that failed must fail the request with its own exception: a total that quietly leaves out the " +
            "pears is a wrong answer nobody sees");
    }

    [Fact]
    public async Task Cancelling_the_request_cancels_every_fetch_in_flight()
    {
        using var pool = new BoundedPool(threads: 2);
        using var inventory = new InventoryFake();
        var service = new StockService(inventory);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var total = pool.Run(() => service.TotalStockAsync(Basket, cts.Token));
        await pool.WhenSettledAsync(Ct).WaitAsync(Guard, Ct);
        inventory.CallsInFlight.Should().Be(3, "all three fetches start at once");
        cts.Cancel();

        inventory.CancelledCalls.Should().Be(3,
            "the caller's token must reach every fetch (pass it through), or a cancelled request keeps its calls " +
            "running and its connections busy");
        var act = () => total.WaitAsync(Guard, Ct);
        await act.Should().ThrowAsync<OperationCanceledException>(
            "a cancelled request ends in OperationCanceledException; catching it and returning 0 reports a stock " +
            "level nobody measured");
    }
}
