namespace Koans.Concurrency.ThreadPoolStarvation;

/// <summary>Reference: async all the way; every fetch started at once, awaited together.</summary>
public sealed class StockService(IInventoryClient inventory)
{
    public async Task<int> TotalStockAsync(IReadOnlyList<string> skus, CancellationToken cancellationToken)
    {
        // Start every fetch before awaiting any (Task.WhenAll is asyncio.gather): no thread waits while they run,
        // and the request takes as long as its slowest SKU. The token goes to each one. (A null list is refused by
        // Select with ArgumentNullException.) No ConfigureAwait(false): this is a request handler, application code,
        // and ASP.NET Core has no SynchronizationContext to avoid.
        var stocks = await Task.WhenAll(skus.Select(sku => inventory.GetStockAsync(sku, cancellationToken)));
        return stocks.Sum();
    }
}
