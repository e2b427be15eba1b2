namespace Koans.Performance.Collections;

/// <summary>The usual first versions: correct, and each does more work than it needs to.</summary>
public static class NaiveLookups
{
    public static Dictionary<string, int> CountWords(IReadOnlyList<string> words, IEqualityComparer<string> comparer)
    {
        var counts = new Dictionary<string, int>(comparer);
        foreach (var word in words)
        {
            if (counts.ContainsKey(word))
            {
                counts[word] = counts[word] + 1;
            }
            else
            {
                counts[word] = 1;
            }
        }

        return counts;
    }

    public static string? CountryName(string code) =>
        CountryData.Pairs.FirstOrDefault(p => p.Key == code.ToUpperInvariant()).Value;

    public static int IndexOfDelimiter(ReadOnlySpan<char> text) => text.ToString().IndexOfAny([',', ';', '|', '"', '\t', '\r', '\n']);
}

/// <summary>A few ISO 3166-1 alpha-2 codes and their English short names (ISO 3166 Maintenance Agency, OBP).</summary>
public static class CountryData
{
    public static readonly IReadOnlyList<KeyValuePair<string, string>> Pairs =
    [
        new("AT", "Austria"), new("BE", "Belgium"), new("CH", "Switzerland"), new("DE", "Germany"), new("DK", "Denmark"),
        new("ES", "Spain"), new("FI", "Finland"), new("FR", "France"), new("GB", "United Kingdom of Great Britain and Northern Ireland"),
        new("IE", "Ireland"), new("IT", "Italy"), new("JP", "Japan"), new("NL", "Netherlands (Kingdom of the)"), new("NO", "Norway"),
        new("PL", "Poland"), new("PT", "Portugal"), new("SE", "Sweden"), new("US", "United States of America"),
    ];
}
