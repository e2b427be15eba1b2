namespace Koans.Concurrency.ThreadPoolStarvation;

/// <summary>
/// Kata concurrency.thread-pool-starvation, part 2: the fix. The stock service of
/// <see cref="BlockingStockService"/>, rewritten so that a request never holds a pool thread while it waits.
/// </summary>
/// <remarks>
/// <para>The incident: under a burst of requests the service stopped answering while CPU sat near zero. Every pool
/// thread was parked in <c>.Result</c>, waiting for an HTTP response whose continuation was queued behind the very
/// requests that were blocking. Thread count crept up by one every half second and the queue grew faster.</para>
/// <para>The standard: on a pool of two threads, any number of requests all get their fetches under way without a
/// single thread blocked; one request's fetches are all in flight at once (a request waits for its slowest SKU, not
/// for the sum); the caller's token reaches every fetch; a fetch's failure or cancellation reaches the caller as
/// itself, never as a swallowed 0.</para>
/// </remarks>
public sealed class StockService
{
    /// <summary>A service that reads stock from <paramref name="inventory"/>.</summary>
    public StockService(IInventoryClient inventory) => throw new NotImplementedException();

    /// <summary>The total stock of <paramref name="skus"/> (0 for none).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>Any exception a fetch throws reaches the caller unchanged.</remarks>
    public Task<int> TotalStockAsync(IReadOnlyList<string> skus, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
