namespace Koans.Performance.Complexity;

/// <summary>A half-open interval [<see cref="Start"/>, <see cref="End"/>): a meeting, a lease, a reserved range.</summary>
public readonly record struct Interval<T>(T Start, T End);

/// <summary>
/// Thrown by the tests' counting comparer at the first call over the comparison budget, so an over-budget solution
/// stops there instead of running for minutes. (Inside <c>Array.Sort</c> it arrives wrapped in an
/// <see cref="InvalidOperationException"/>; the tests look for it in the chain.)
/// </summary>
public sealed class ComparisonBudgetExceededException(string message) : Exception(message);

/// <summary>The usual first versions: correct, and quadratic (every element against every other).</summary>
public static class NaiveAlgorithms
{
    public static int[] CompetitionRanks<T>(IReadOnlyList<T> items, IComparer<T> comparer)
    {
        var ranks = new int[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var better = 0;
            for (var j = 0; j < items.Count; j++)
            {
                if (comparer.Compare(items[j], items[i]) < 0)
                {
                    better++;
                }
            }

            ranks[i] = better + 1;
        }

        return ranks;
    }

    public static bool AnyOverlap<T>(IReadOnlyList<Interval<T>> intervals, IComparer<T> comparer)
    {
        for (var i = 0; i < intervals.Count; i++)
        {
            for (var j = i + 1; j < intervals.Count; j++)
            {
                if (comparer.Compare(intervals[i].Start, intervals[j].End) < 0 && comparer.Compare(intervals[j].Start, intervals[i].End) < 0)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
