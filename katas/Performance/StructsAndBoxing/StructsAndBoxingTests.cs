using Koans.Testing;

namespace Koans.Performance.StructsAndBoxing;

public class StructsAndBoxingTests
{
    private static readonly int[] Numbers = [3, -7, 42, 0, 41, -100, 42, 17];

    private static readonly Trade[] Trades =
    [
        new(Id: 1, InstrumentId: 7, PriceTicks: 10_050, Quantity: 3, Timestamp: 1_700_000_000, AccountId: 11),
        new(Id: 2, InstrumentId: 8, PriceTicks: 99_999, Quantity: 1_000, Timestamp: 1_700_000_001, AccountId: 12),
        new(Id: 3, InstrumentId: 7, PriceTicks: 10_075, Quantity: -2, Timestamp: 1_700_000_002, AccountId: 11),
        new(Id: 4, InstrumentId: 7, PriceTicks: 10_100, Quantity: 10, Timestamp: 1_700_000_003, AccountId: 13),
    ];

    [Fact]
    public void Largest_returns_the_largest_value_by_the_types_own_ordering()
    {
        HotPath.Largest<int>(Numbers).Should().Be(42);
        HotPath.Largest<int>([-5, -3, -9]).Should().Be(-3, "all negative: the largest is the one closest to zero, not 0");
        HotPath.Largest<int>([7]).Should().Be(7, "one value is its own maximum");
        HotPath.Largest<int>([1, 2, 3, 4, 99]).Should().Be(99, "the last element is compared too");
        HotPath.Largest<int>([99, 1, 2, 3, 4]).Should().Be(99, "the first element is a candidate too");
        HotPath.Largest<DateTime>([new DateTime(2024, 2, 29), new DateTime(2025, 1, 1), new DateTime(1999, 12, 31)])
            .Should().Be(new DateTime(2025, 1, 1));
        HotPath.Largest<double>([0.5, double.NegativeInfinity, 2.25]).Should().Be(2.25);
    }

    [Fact]
    public void Largest_returns_the_first_of_equal_maxima()
    {
        ReadOnlySpan<Scored> values = [new(1, "a"), new(5, "first five"), new(3, "c"), new(5, "second five"), new(5, "third five")];
        HotPath.Largest(values).Name.Should().Be("first five",
            "values that compare equal are not interchangeable (same score, different names): only a strictly larger value replaces the current best");
    }

    [Fact]
    public void Largest_of_nothing_throws_InvalidOperationException()
    {
        FluentActions.Invoking(() => HotPath.Largest(ReadOnlySpan<int>.Empty)).Should().Throw<InvalidOperationException>(
            "an empty sequence has no largest value, and default(int) = 0 would be a lie (LINQ's Max throws the same)");
    }

    [Fact]
    public void Largest_compares_value_types_without_boxing()
    {
        var scores = Enumerable.Range(0, 64).Select(i => new Scored((i * 37) % 64, "s")).ToArray();
        Allocations.Measure(() => NaiveStructs.Largest(Numbers)).Should().BeGreaterThan(Numbers.Length * 24L,
            "the budget must bite: the naive version casts each value to IComparable, a new box on the heap per cast");

        Allocations.Measure(() => HotPath.Largest<int>(Numbers)).Should().Be(0,
            "call CompareTo on T itself: the IComparable<T> constraint lets the JIT call int.CompareTo(int) with no box");
        Allocations.Measure(() => HotPath.Largest<Scored>(scores)).Should().Be(0,
            "the same for a struct of your own: no cast to IComparable, object or a non-generic comparer anywhere");
    }

    [Fact]
    public void Notional_is_price_times_quantity_and_never_wraps()
    {
        HotPath.Notional(Trades[0]).Should().Be(30_150);
        HotPath.Notional(Trades[2]).Should().Be(-20_150, "a negative quantity (a correction) gives a negative notional");
        var huge = new Trade(9, 7, PriceTicks: long.MaxValue / 2 + 1, Quantity: 2, 0, 0);
        FluentActions.Invoking(() => HotPath.Notional(huge)).Should().Throw<OverflowException>(
            "(2^62) * 2 = 2^63 does not fit in a long; unchecked arithmetic would report a large negative amount of money");
    }

    [Fact]
    public void TotalNotional_sums_the_trades_of_one_instrument()
    {
        HotPath.TotalNotional(Trades, 7).Should().Be(30_150 - 20_150 + 101_000, "trades 1, 3 and 4 are instrument 7");
        HotPath.TotalNotional(Trades, 8).Should().Be(99_999_000);
        HotPath.TotalNotional(Trades, 9).Should().Be(0, "no trades of instrument 9");
        HotPath.TotalNotional([], 7).Should().Be(0);
    }

    [Fact]
    public void TotalNotional_throws_OverflowException_when_the_sum_does_not_fit()
    {
        var big = new Trade(1, 7, PriceTicks: long.MaxValue / 4, Quantity: 3, 0, 0);
        Trade[] trades = [big, big];
        FluentActions.Invoking(() => HotPath.TotalNotional(trades, 7)).Should().Throw<OverflowException>(
            "each notional fits in a long, their sum (6/4 of long.MaxValue) does not: the running total is checked too");
        FluentActions.Invoking(() => HotPath.TotalNotional(trades, 8)).Should().NotThrow(
            "the trades of other instruments are not added at all");
    }

    [Fact]
    public void TotalNotional_allocates_nothing_and_copies_no_trade()
    {
        var trades = Enumerable.Range(0, 1000).Select(i => new Trade(i, i % 3, 100 + i, 1 + (i % 5), i, 1)).ToArray();
        Allocations.Measure(() => NaiveStructs.TotalNotional(trades, 1)).Should().BeGreaterThan(0,
            "the budget must bite: enumerating an array through IEnumerable<Trade> allocates an enumerator");
        TradeLocals(typeof(NaiveStructs).GetMethod(nameof(NaiveStructs.TotalNotional))!).Should().NotBeEmpty(
            "the check must bite: the naive foreach copies every trade into its loop variable");

        Allocations.Measure(() => HotPath.TotalNotional(trades, 1)).Should().Be(0);
        TradeLocals(typeof(HotPath).GetMethod(nameof(HotPath.TotalNotional))!).Should().BeEmpty(
            "a local variable of type Trade is a 48-byte copy per element; iterate by reference (a ref readonly loop " +
            "variable, or index the span and pass the element on by reference)");
    }

    [Fact]
    public void SheetCell_has_value_equality()
    {
        var cell = new SheetCell("Q1", 3, 4);
        cell.Equals(new SheetCell("Q1", 3, 4)).Should().BeTrue();
        cell.Equals(new SheetCell(string.Concat("Q", "1"), 3, 4)).Should().BeTrue("sheet names are compared by content, not by reference");
        (cell == new SheetCell("Q1", 3, 4)).Should().BeTrue();
        (cell != new SheetCell("Q1", 3, 4)).Should().BeFalse();
        cell.Equals(new SheetCell("Q1", 4, 3)).Should().BeFalse("the coordinates are ordered: (3, 4) is not (4, 3)");
        cell.Equals(new SheetCell("Q1", 3, 5)).Should().BeFalse("the column counts");
        cell.Equals(new SheetCell("Q1", 2, 4)).Should().BeFalse("the row counts");
        cell.Equals(new SheetCell("Q2", 3, 4)).Should().BeFalse("the sheet counts");
        cell.Equals(new SheetCell("q1", 3, 4)).Should().BeFalse("sheet names are compared ordinally, case-sensitive");
        (cell == new SheetCell("Q1", 3, 5)).Should().BeFalse();
        (cell != new SheetCell("Q1", 4, 4)).Should().BeTrue();
        cell.Equals((object)new SheetCell("Q1", 3, 4)).Should().BeTrue("Equals(object) with a boxed equal cell is true");
        cell.Equals((object)("Q1", 3, 4)).Should().BeFalse("a tuple with the same values is not a SheetCell");
        cell.Equals(null).Should().BeFalse();
        cell.GetHashCode().Should().Be(new SheetCell(string.Concat("Q", "1"), 3, 4).GetHashCode(), "equal values must have equal hash codes");
    }

    [Fact]
    public void SheetCell_hash_codes_tell_the_cells_of_a_sheet_apart()
    {
        DistinctHashes(i => new NaiveSheetCell("Q1", i / 10, i % 10).GetHashCode()).Should().Be(1,
            "the check must bite: for a struct holding a reference, the runtime's default hash uses only the first non-null field, the sheet name");

        DistinctHashes(i => new SheetCell("Q1", i / 10, i % 10).GetHashCode()).Should().BeGreaterThanOrEqualTo(98,
            "100 different cells of one sheet need (nearly) 100 different hash codes: mix in every field");
        DistinctHashes(k => new SheetCell("Q1", k, k).GetHashCode()).Should().BeGreaterThanOrEqualTo(98,
            "the diagonal cells (k, k) must not share a hash: combining the coordinates with XOR gives 0 for all of them");
        DistinctHashes(k => new SheetCell("Q1", k, 99 - k).GetHashCode()).Should().BeGreaterThanOrEqualTo(98,
            "an anti-diagonal must not share a hash either: adding the coordinates gives 99 for all of them");
        new SheetCell("Q1", 1, 2).GetHashCode().Should().NotBe(new SheetCell("Q1", 2, 1).GetHashCode(),
            "the hash must depend on the order of the coordinates, not only on the set of them");
    }

    [Fact]
    public void SheetCell_dictionary_lookups_allocate_nothing()
    {
        var naive = Enumerable.Range(0, 100).ToDictionary(i => new NaiveSheetCell("Q1", i / 10, i % 10), i => i);
        Allocations.Measure(() => naive[new NaiveSheetCell("Q1", 4, 2)]).Should().BeGreaterThan(0,
            "the budget must bite: without IEquatable<T>, the dictionary's default comparer boxes both cells to call Equals(object)");

        var sheet = Enumerable.Range(0, 100).ToDictionary(i => new SheetCell("Q1", i / 10, i % 10), i => i);
        sheet[new SheetCell("Q1", 4, 2)].Should().Be(42);
        sheet.ContainsKey(new SheetCell("Q1", 2, 4)).Should().BeTrue();
        sheet.ContainsKey(new SheetCell("Q1", 10, 0)).Should().BeFalse();
        sheet.ContainsKey(new SheetCell("Q2", 4, 2)).Should().BeFalse("another sheet's cell is another key");
        Allocations.Measure(() => sheet[new SheetCell("Q1", 4, 2)]).Should().Be(0,
            "a key type that is IEquatable<itself> is compared as itself: no box per lookup");
    }

    private static int DistinctHashes(Func<int, int> hashOfCell) => Enumerable.Range(0, 100).Select(hashOfCell).Distinct().Count();

    /// <summary>The method's local variables whose type is Trade itself (a copy); a ref to a Trade is not one.</summary>
    private static List<Type> TradeLocals(System.Reflection.MethodInfo method) =>
        method.GetMethodBody()!.LocalVariables.Select(l => l.LocalType).Where(t => t == typeof(Trade)).ToList();

    /// <summary>A value that orders by score only, so equal maxima can be told apart by name.</summary>
    private readonly record struct Scored(int Score, string Name) : IComparable<Scored>
    {
        public int CompareTo(Scored other) => Score.CompareTo(other.Score);
    }
}
