namespace Koans.Concurrency.ThreadPoolStarvation;

/// <summary>Reference: async all the way; every fetch started at once, awaited together.</summary>
public sealed class StockService(IInventoryClient inventory)
{
    public async Task<int> TotalStockAsync(IReadOnlyList<string> skus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skus);
        // Start every fetch before awaiting any (Task.WhenAll is asyncio.gather): no thread waits while they run,
        // and the request takes as long as its slowest SKU. The token goes to each one.
        var fetches = skus.Select(sku => inventory.GetStockAsync(sku, cancellationToken));
        var stocks = await Task.WhenAll(fetches).ConfigureAwait(false);
        return stocks.Sum();
    }
}
