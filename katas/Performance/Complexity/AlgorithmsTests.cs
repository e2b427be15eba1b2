namespace Koans.Performance.Complexity;

public class AlgorithmsTests
{
    private const int LargeN = 100_000;

    /// <summary>3 · n · ⌈log₂ n⌉ comparisons, as the stub's documentation states.</summary>
    private static long Budget(int n) => 3L * n * (long)Math.Ceiling(Math.Log2(Math.Max(n, 2)));

    public static TheoryData<string> Orders => ["shuffled", "sorted", "reversed", "all equal", "ten distinct values"];

    [Fact]
    public void CompetitionRanks_ranks_ties_alike_and_skips_after_them()
    {
        Algorithms.CompetitionRanks([30, 10, 20, 20], Comparer<int>.Default).Should().Equal([4, 1, 2, 2],
            "scores 10, 20, 20, 30 rank 1, 2, 2, 4, reported in the input's order");
        Algorithms.CompetitionRanks([5, 5, 5], Comparer<int>.Default).Should().Equal([1, 1, 1], "all tied: all first");
        Algorithms.CompetitionRanks([3, 2, 1], Comparer<int>.Default).Should().Equal([3, 2, 1]);
        Algorithms.CompetitionRanks([1, 1, 2, 2, 2, 3], Comparer<int>.Default).Should().Equal([1, 1, 3, 3, 3, 6],
            "after a tie of k items the next rank is k higher, not 1 higher (that would be dense ranking, 1 1 2 2 2 3)");
        Algorithms.CompetitionRanks([42], Comparer<int>.Default).Should().Equal([1]);
        Algorithms.CompetitionRanks(Array.Empty<int>(), Comparer<int>.Default).Should().BeEmpty();
    }

    [Fact]
    public void CompetitionRanks_uses_the_given_comparer_for_ties_not_Equals()
    {
        Algorithms.CompetitionRanks(["b", "A", "a", "B", "c"], StringComparer.OrdinalIgnoreCase).Should().Equal([3, 1, 1, 3, 5],
            "\"A\" and \"a\" are different strings but equal under the comparer you were given, so they share a rank");
        Algorithms.CompetitionRanks([3, 1, 2], Comparer<int>.Create((x, y) => y.CompareTo(x))).Should().Equal([1, 3, 2],
            "a descending comparer ranks the largest first: the comparer decides the order, not the type");
    }

    [Fact]
    public void CompetitionRanks_leaves_the_input_alone()
    {
        int[] scores = [30, 10, 20, 20];
        Algorithms.CompetitionRanks(scores, Comparer<int>.Default);
        scores.Should().Equal([30, 10, 20, 20], "the caller's list is read-only to you: sort a copy, not the caller's array");
    }

    [Fact]
    public void CompetitionRanks_rejects_null_arguments()
    {
        FluentActions.Invoking(() => Algorithms.CompetitionRanks<int>(null!, Comparer<int>.Default)).Should().Throw<ArgumentNullException>()
            .WithParameterName("items", "the exception names your parameter, not a helper's inside your method");
        FluentActions.Invoking(() => Algorithms.CompetitionRanks([1, 2], null!)).Should().Throw<ArgumentNullException>()
            .WithParameterName("comparer", "a null comparer is the caller's bug; silently falling back to the default ordering hides it");
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void CompetitionRanks_stays_within_n_log_n_comparisons(string order)
    {
        var naiveValues = Values(order, 2_000);
        OverBudget(naiveValues.Length, c => NaiveAlgorithms.CompetitionRanks(naiveValues, c)).Should().BeTrue(
            "the budget must bite: comparing every item with every other is n² = 4 000 000 comparisons for 2 000 items, " +
            $"the budget {Budget(2_000)}");

        var values = Values(order, LargeN);
        var ranks = AssertWithinBudget($"CompetitionRanks of {LargeN} {order} values", values.Length,
            c => Algorithms.CompetitionRanks(values, c));
        var expected = values.ToArray();
        Array.Sort(expected);
        ranks.Should().HaveCount(LargeN);
        for (var i = 0; i < values.Length; i += 997)
        {
            // The competition rank is 1 + the number of smaller values: the first index of the value in sorted order.
            var firstIndex = Array.BinarySearch(expected, values[i]);
            while (firstIndex > 0 && expected[firstIndex - 1] == values[i])
            {
                firstIndex--;
            }

            ranks[i].Should().Be(firstIndex + 1, $"value {values[i]} at index {i} has {firstIndex} smaller values");
        }
    }

    [Fact]
    public void AnyOverlap_finds_overlaps_in_any_order_and_not_touching_ends()
    {
        var ints = Comparer<int>.Default;
        Algorithms.AnyOverlap([new(1, 3), new(2, 5)], ints).Should().BeTrue("[1, 3) and [2, 5) share 2");
        Algorithms.AnyOverlap([new(1, 2), new(2, 3)], ints).Should().BeFalse("half-open: [1, 2) ends where [2, 3) begins, no shared point");
        Algorithms.AnyOverlap([new(20, 30), new(0, 5), new(10, 15), new(4, 6)], ints).Should().BeTrue(
            "[0, 5) and [4, 6) overlap although they are not next to each other in the input");
        Algorithms.AnyOverlap([new(1, 10), new(2, 3)], ints).Should().BeTrue("an interval inside another overlaps it");
        Algorithms.AnyOverlap([new(20, 30), new(0, 5), new(10, 15), new(5, 10)], ints).Should().BeFalse("four disjoint meetings, shuffled");
        Algorithms.AnyOverlap([new(3, 4), new(3, 4)], ints).Should().BeTrue("the same meeting booked twice overlaps itself");
        Algorithms.AnyOverlap([new(0, 1)], ints).Should().BeFalse("one interval overlaps nothing");
        Algorithms.AnyOverlap(Array.Empty<Interval<int>>(), ints).Should().BeFalse();
        Interval<DateTime>[] meetings =
        [
            new(new DateTime(2026, 1, 1, 9, 0, 0), new DateTime(2026, 1, 1, 10, 0, 0)),
            new(new DateTime(2026, 1, 1, 9, 30, 0), new DateTime(2026, 1, 1, 11, 0, 0)),
        ];
        Algorithms.AnyOverlap(meetings, Comparer<DateTime>.Default).Should().BeTrue("9:00-10:00 and 9:30-11:00 overlap");
    }

    [Fact]
    public void AnyOverlap_rejects_empty_or_reversed_intervals_and_null_arguments()
    {
        var ints = Comparer<int>.Default;
        FluentActions.Invoking(() => Algorithms.AnyOverlap([new(0, 1), new(5, 2)], ints)).Should().Throw<ArgumentException>(
            "[5, 2) ends before it starts: a caller's bug, reported");
        FluentActions.Invoking(() => Algorithms.AnyOverlap([new(3, 3)], ints)).Should().Throw<ArgumentException>(
            "[3, 3) is empty; Start must be strictly less than End, even when it is the only interval");
        FluentActions.Invoking(() => Algorithms.AnyOverlap<int>(null!, ints)).Should().Throw<ArgumentNullException>()
            .WithParameterName("intervals", "the exception names your parameter, not a helper's inside your method");
        FluentActions.Invoking(() => Algorithms.AnyOverlap<int>([new(0, 1)], null!)).Should().Throw<ArgumentNullException>()
            .WithParameterName("comparer");
    }

    [Theory]
    [InlineData("shuffled")]
    [InlineData("sorted")]
    [InlineData("reversed")]
    public void AnyOverlap_stays_within_n_log_n_comparisons(string order)
    {
        var naiveMeetings = Meetings(order, 2_000);
        OverBudget(naiveMeetings.Length, c => NaiveAlgorithms.AnyOverlap(naiveMeetings, c)).Should().BeTrue(
            "the budget must bite: checking every pair of 2 000 disjoint meetings is about 2 000 000 pairs");

        var meetings = Meetings(order, LargeN);
        AssertWithinBudget($"AnyOverlap of {LargeN} disjoint {order} meetings", meetings.Length, c => Algorithms.AnyOverlap(meetings, c))
            .Should().BeFalse("[2i, 2i + 1) for i < n are disjoint");

        meetings[LargeN / 2] = new Interval<int>(meetings[LargeN / 2].Start, meetings[LargeN / 2].End + 2);
        AssertWithinBudget($"AnyOverlap of {LargeN} {order} meetings, one too long", meetings.Length, c => Algorithms.AnyOverlap(meetings, c))
            .Should().BeTrue("one meeting now runs into the next one");
    }

    /// <summary>n ints in the named order (a fixed seed, so every run sees the same input).</summary>
    private static int[] Values(string order, int n)
    {
        var values = Enumerable.Range(0, n).ToArray();
        switch (order)
        {
            case "shuffled":
                new Random(14).Shuffle(values);
                break;
            case "reversed":
                Array.Reverse(values);
                break;
            case "all equal":
                Array.Fill(values, 7);
                break;
            case "ten distinct values":
                new Random(15).Shuffle(values);
                for (var i = 0; i < n; i++)
                {
                    values[i] %= 10;
                }

                break;
        }

        return values;
    }

    /// <summary>n disjoint meetings [2i, 2i + 1) in the named order.</summary>
    private static Interval<int>[] Meetings(string order, int n) =>
        Values(order, n).Select(i => new Interval<int>(2 * i, (2 * i) + 1)).ToArray();

    private static bool OverBudget<TResult>(int n, Func<IComparer<int>, TResult> run)
    {
        var comparer = new CountingComparer(Budget(n));
        try
        {
            run(comparer);
        }
        catch (Exception e) when (comparer.Exceeded && e is not NotImplementedException)
        {
            // The budget exception itself, or Array.Sort's InvalidOperationException wrapping it.
        }

        return comparer.Exceeded;
    }

    private static TResult AssertWithinBudget<TResult>(string what, int n, Func<IComparer<int>, TResult> run)
    {
        var comparer = new CountingComparer(Budget(n));
        TResult result = default!;
        try
        {
            result = run(comparer);
        }
        catch (Exception e) when (comparer.Exceeded && e is not NotImplementedException)
        {
        }

        comparer.Exceeded.Should().BeFalse(
            $"{what} may make at most 3 · n · ⌈log₂ n⌉ = {Budget(n)} comparisons; yours went past that. Sort once " +
            "(O(n log n)), then make one pass over the sorted order; never compare every item with every other");
        return result;
    }

    /// <summary>Ordinal int comparison that counts its calls and throws at the first call over the budget.</summary>
    private sealed class CountingComparer(long budget) : IComparer<int>
    {
        public long Calls { get; private set; }

        public bool Exceeded { get; private set; }

        public int Compare(int x, int y)
        {
            if (++Calls > budget)
            {
                Exceeded = true;
                throw new ComparisonBudgetExceededException($"comparison {Calls} is over the budget of {budget}");
            }

            return x.CompareTo(y);
        }
    }
}
