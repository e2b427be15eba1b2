namespace Koans.Metaprogramming.Scripting;

/// <summary>What a pricing script sees: each public member is a variable of the script (<c>Price * Quantity</c>).</summary>
public sealed class OrderGlobals
{
    public decimal Price { get; init; }
    public int Quantity { get; init; }
    public string Customer { get; init; } = "";

    /// <summary>Looks up a discount for a customer; scripts <c>await</c> it.</summary>
    public Func<string, Task<decimal>> LookupDiscountAsync { get; init; } = _ => Task.FromResult(0m);
}
