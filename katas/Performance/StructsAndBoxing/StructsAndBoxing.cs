namespace Koans.Performance.StructsAndBoxing;

/// <summary>
/// Kata performance.structs-and-boxing: value types on a hot path that stay value types. A struct that is boxed (converted
/// to <see cref="object"/> or to an interface) is copied to a new heap object, one allocation per box; a large struct
/// passed or iterated by value is copied every time.
/// </summary>
/// <remarks>
/// The tests count bytes allocated (after a warm-up) and read the compiled method for copies; they never time anything.
/// <see cref="NaiveStructs"/> and <see cref="NaiveSheetCell"/> are the usual first versions; the tests run them through
/// the same checks to show the budgets bite. <c>./run-katas.sh bench performance.structs-and-boxing</c> shows the speed.
/// </remarks>
public static class HotPath
{
    /// <summary>
    /// The largest of <paramref name="values"/> by <typeparamref name="T"/>'s own ordering; when several values compare
    /// equal to the largest, the <b>first</b> of them is returned.
    /// </summary>
    /// <remarks>
    /// Budget: 0 bytes allocated for any value type <typeparamref name="T"/> (ints, dates, your own structs). The
    /// comparison must reach <typeparamref name="T"/>'s comparison method without converting a value to an interface
    /// or to <see cref="object"/> first: that conversion allocates a box per value, twice per comparison.
    /// </remarks>
    /// <exception cref="InvalidOperationException"><paramref name="values"/> is empty (as LINQ's <c>Max</c> does).</exception>
    public static T Largest<T>(ReadOnlySpan<T> values)
        where T : IComparable<T> =>
        throw new NotImplementedException();

    /// <summary>
    /// The notional of one trade: <see cref="Trade.PriceTicks"/> times <see cref="Trade.Quantity"/>, in ticks.
    /// The trade is passed by reference (no 48-byte copy), read-only.
    /// </summary>
    /// <exception cref="OverflowException">The product does not fit in a <see cref="long"/>: money never wraps around.</exception>
    public static long Notional(in Trade trade) => throw new NotImplementedException();

    /// <summary>
    /// The sum of <see cref="Notional"/> over the trades of instrument <paramref name="instrumentId"/>; 0 when there
    /// are none.
    /// </summary>
    /// <remarks>
    /// Budgets: 0 bytes allocated, and no <see cref="Trade"/> is ever copied: the method declares no local variable of
    /// type <see cref="Trade"/> (a test reads the compiled method's locals). A loop variable, a <c>var t = ...</c>
    /// or passing a trade to a by-value parameter each copy 48 bytes per element; read the elements where they lie.
    /// </remarks>
    /// <exception cref="OverflowException">A notional or the running total does not fit in a <see cref="long"/>.</exception>
    public static long TotalNotional(ReadOnlySpan<Trade> trades, int instrumentId) => throw new NotImplementedException();
}

/// <summary>
/// A cell of a spreadsheet (sheet name, row, column), used as a dictionary key millions of times
/// (<c>Dictionary&lt;SheetCell, T&gt;</c>, a recalculation engine's cache).
/// </summary>
/// <remarks>
/// Make it a proper key type:
/// <list type="bullet">
/// <item>value equality: two cells are equal exactly when the sheet names (ordinal, case-sensitive) and both
/// coordinates are equal, through <c>Equals(SheetCell)</c>, <c>Equals(object)</c> (false for anything that is not a
/// <see cref="SheetCell"/>), <c>==</c> and <c>!=</c>;</item>
/// <item>a hash code that depends on all three fields and their order: the cells of one sheet get different hash codes,
/// and so do (1, 2) and (2, 1), or a dictionary of them degrades into long collision chains;</item>
/// <item>a dictionary lookup allocates 0 bytes: the dictionary's default comparer must be able to compare two cells
/// as cells, never as boxed objects.</item>
/// </list>
/// <see cref="NaiveSheetCell"/> fails all three budgets. Look at what kind of type <see cref="SheetCell"/> is declared
/// as, and what the compiler would write for it if the two hand-written members below did not replace it.
/// </remarks>
public readonly record struct SheetCell(string Sheet, int Row, int Column)
{
    public bool Equals(SheetCell other) => throw new NotImplementedException();

    public override int GetHashCode() => throw new NotImplementedException();
}
