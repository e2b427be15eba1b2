namespace Koans.Performance.Complexity;

public static class Algorithms
{
    public static int[] CompetitionRanks<T>(IReadOnlyList<T> items, IComparer<T> comparer)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(comparer);
        // Sort a copy of the items together with their original positions: Array.Sort(keys, items, comparer) moves
        // both arrays in step. It is introsort (quicksort, falling back to heapsort past a depth of 2 log n, and
        // insertion sort for small partitions): O(n log n) comparisons even for adversarial input.
        var keys = items.ToArray();
        var positions = new int[keys.Length];
        for (var i = 0; i < positions.Length; i++)
        {
            positions[i] = i;
        }

        Array.Sort(keys, positions, comparer);

        // One pass over the sorted order: an item equal (under the comparer, not Equals) to its predecessor shares
        // its rank; otherwise its rank is its 1-based place in the order, which skips past every tie before it.
        var ranks = new int[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            ranks[positions[i]] = i > 0 && comparer.Compare(keys[i - 1], keys[i]) == 0 ? ranks[positions[i - 1]] : i + 1;
        }

        return ranks;
    }

    public static bool AnyOverlap<T>(IReadOnlyList<Interval<T>> intervals, IComparer<T> comparer)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        ArgumentNullException.ThrowIfNull(comparer);
        var byStart = intervals.ToArray();
        foreach (var interval in byStart)
        {
            if (comparer.Compare(interval.Start, interval.End) >= 0)
            {
                throw new ArgumentException($"Every interval needs Start < End; found [{interval.Start}, {interval.End}).", nameof(intervals));
            }
        }

        // Sweep line: sorted by start, intervals that do not overlap so far are disjoint and in order, so the
        // previous interval has the furthest end seen; an overlap anywhere shows up between neighbours.
        Array.Sort(byStart, (a, b) => comparer.Compare(a.Start, b.Start));
        for (var i = 1; i < byStart.Length; i++)
        {
            // Half-open: [a, b) and [b, c) touch without sharing a point, hence strictly less.
            if (comparer.Compare(byStart[i].Start, byStart[i - 1].End) < 0)
            {
                return true;
            }
        }

        return false;
    }
}
