namespace Koans.Performance.Complexity;

/// <summary>
/// Kata performance.complexity: the same answers as <see cref="NaiveAlgorithms"/>, in O(n log n) comparisons instead
/// of O(n²). At n = 100 000 that is a few million comparisons instead of ten billion: milliseconds instead of minutes.
/// </summary>
/// <remarks>
/// The tests never time anything: they count the calls your code makes to the comparer they pass in. For n items the
/// budget is <c>3 · n · ⌈log₂ n⌉</c> comparisons (n ≥ 2), for sorted, reversed, shuffled and all-equal inputs up to
/// n = 100 000; the counting comparer throws <see cref="ComparisonBudgetExceededException"/> as soon as a call goes over
/// it, so a quadratic solution fails fast and by name. The tests run <see cref="NaiveAlgorithms"/> through the same
/// budget to show it bites. Use the comparer you are given for every ordering decision: items may be equal under it
/// without being <c>Equals</c> (a case-insensitive comparer, a comparer by score only).
/// </remarks>
public static class Algorithms
{
    /// <summary>
    /// Standard competition ranking ("1224" ranking, what sports tables use) in ascending order:
    /// <c>ranks[i] = 1 + the number of items that compare less than items[i]</c>. Items that compare equal share a
    /// rank, and the next rank skips accordingly (scores 10, 20, 20, 30 rank 1, 2, 2, 4). <c>ranks[i]</c> belongs to
    /// <c>items[i]</c>: the result is in the input's order, and <paramref name="items"/> is not modified.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> or <paramref name="comparer"/> is null.</exception>
    public static int[] CompetitionRanks<T>(IReadOnlyList<T> items, IComparer<T> comparer) => throw new NotImplementedException();

    /// <summary>
    /// Whether any two of the half-open intervals overlap (share at least one point): [1, 3) and [2, 5) do;
    /// [1, 2) and [2, 3) only touch and do not. The intervals come in any order.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="intervals"/> or <paramref name="comparer"/> is null.</exception>
    /// <exception cref="ArgumentException">An interval's <c>Start</c> is not less than its <c>End</c> (an empty or
    /// reversed interval is a caller's bug, reported rather than silently ignored).</exception>
    public static bool AnyOverlap<T>(IReadOnlyList<Interval<T>> intervals, IComparer<T> comparer) => throw new NotImplementedException();
}
