using System.Collections.Frozen;

namespace Koans.Performance.Collections;

/// <summary>
/// Kata performance.collections: pick the collection for the access pattern, size it once, and touch each key once.
/// </summary>
/// <remarks>
/// The tests count operations and bytes, never time: how many times a key is hashed (through an instrumented
/// comparer), how many bytes a call allocates (a dictionary that grows allocates a bigger table and throws the old one
/// away, so an allocation budget proves there was no resize). <see cref="NaiveLookups"/> is the usual first version;
/// the tests run it through the same budgets to show that they bite.
/// </remarks>
public static class Lookups
{
    /// <summary>
    /// How often each word occurs, keys compared with <paramref name="comparer"/>.
    /// </summary>
    /// <remarks>
    /// Budgets: each word is hashed exactly <b>once</b> (the usual <c>ContainsKey</c>, then read, then write hashes it
    /// three times); and the dictionary never grows while counting: the call allocates no more than an empty dictionary
    /// created with room for every word would (plus 256 bytes).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="words"/> or <paramref name="comparer"/> is null.</exception>
    public static Dictionary<string, int> CountWords(IReadOnlyList<string> words, IEqualityComparer<string> comparer) =>
        throw new NotImplementedException();

    /// <summary>
    /// ISO 3166-1 alpha-2 code to English short name, for the codes in <see cref="CountryData.Pairs"/>, looked up
    /// without regard to case (<c>"de"</c>, <c>"DE"</c> and <c>"De"</c> all find Germany).
    /// </summary>
    /// <remarks>
    /// Built once, read millions of times, never changed: pay at build time for the fastest reads. A lookup allocates
    /// nothing (no upper-cased copy of the key).
    /// </remarks>
    public static FrozenDictionary<string, string> Countries => throw new NotImplementedException();

    /// <summary>
    /// The index of the first CSV delimiter or quote in <paramref name="text"/>: any of <c>, ; | " \t \r \n</c>;
    /// -1 when there is none. Allocates nothing, and examines the text many characters at a time (a test inspects the
    /// compiled code for the vectorised search API built for sets of values).
    /// </summary>
    public static int IndexOfDelimiter(ReadOnlySpan<char> text) => throw new NotImplementedException();
}
