using System.Buffers;
using System.Collections.Frozen;
using System.Runtime.InteropServices;

namespace Koans.Performance.Collections;

public static class Lookups
{
    // Built once, on first use of the class. FrozenDictionary spends extra time at creation choosing a layout and hash
    // strategy for exactly these keys (for short ASCII keys under OrdinalIgnoreCase it can hash without case-folding
    // copies), and pays it back on every read.
    private static readonly FrozenDictionary<string, string> CountryNames =
        CountryData.Pairs.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    // SearchValues analyses the set once (here: all ASCII, so a bitmap probed with vector instructions).
    private static readonly SearchValues<char> Delimiters = SearchValues.Create(",;|\"\t\r\n");

    public static FrozenDictionary<string, string> Countries => CountryNames;

    public static Dictionary<string, int> CountWords(IReadOnlyList<string> words, IEqualityComparer<string> comparer)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(comparer);
        // There cannot be more distinct words than words: with this capacity the tables are allocated once. (When most
        // words repeat, this over-allocates; TrimExcess afterwards, or a smaller estimate, trades that back.)
        var counts = new Dictionary<string, int>(words.Count, comparer);
        foreach (var word in words)
        {
            // One hash lookup: a reference to the value slot, added with default(int) = 0 when missing.
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, word, out _);
            count++;
        }

        return counts;
    }

    public static int IndexOfDelimiter(ReadOnlySpan<char> text) => text.IndexOfAny(Delimiters);
}
