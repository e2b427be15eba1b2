using System.Buffers;
using System.Reflection;
using System.Reflection.Emit;
using Koans.Testing;

namespace Koans.Performance.Collections;

public class LookupsTests
{
    private static readonly string[] DistinctWords = Enumerable.Range(0, 1000).Select(i => $"word{i}").ToArray();

    private static readonly string[] Text =
        "the quick brown fox jumps over the lazy dog The Dog sleeps".Split(' ');

    [Fact]
    public void CountWords_counts_with_the_given_comparer()
    {
        Lookups.CountWords(Text, StringComparer.Ordinal).Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["the"] = 2, ["quick"] = 1, ["brown"] = 1, ["fox"] = 1, ["jumps"] = 1, ["over"] = 1, ["lazy"] = 1,
            ["dog"] = 1, ["The"] = 1, ["Dog"] = 1, ["sleeps"] = 1,
        });
        var ignoringCase = Lookups.CountWords(Text, StringComparer.OrdinalIgnoreCase);
        ignoringCase["THE"].Should().Be(3, "the comparer decides what counts as the same word");
        ignoringCase["dog"].Should().Be(2);
        ignoringCase.Should().HaveCount(9);
        Lookups.CountWords([], StringComparer.Ordinal).Should().BeEmpty();
    }

    [Fact]
    public void CountWords_hashes_each_word_once()
    {
        var naive = new CountingComparer();
        NaiveLookups.CountWords(Text, naive);
        naive.Hashes.Should().BeGreaterThan(Text.Length, "the check must bite: ContainsKey, then get, then set hash a repeated word three times");

        var counting = new CountingComparer();
        Lookups.CountWords(Text, counting);
        counting.Hashes.Should().Be(Text.Length,
            "one lookup per word: get a reference to the value slot (adding it if missing) and increment through it");
    }

    [Fact]
    public void CountWords_never_grows_the_dictionary()
    {
        var budget = Allocations.Measure(() => new Dictionary<string, int>(DistinctWords.Length, StringComparer.Ordinal)) + 256;
        Allocations.Measure(() => NaiveLookups.CountWords(DistinctWords, StringComparer.Ordinal)).Should().BeGreaterThan(budget,
            "the budget must bite: a dictionary that starts small doubles its tables again and again, throwing each old pair away");

        Allocations.Measure(() => Lookups.CountWords(DistinctWords, StringComparer.Ordinal)).Should().BeLessThanOrEqualTo(budget,
            "give the dictionary room for every word up front: there can be no more distinct words than words");
    }

    [Fact]
    public void CountWords_rejects_null_arguments()
    {
        FluentActions.Invoking(() => Lookups.CountWords(null!, StringComparer.Ordinal)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Lookups.CountWords(Text, null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Countries_finds_names_in_any_case_and_nothing_else()
    {
        Lookups.Countries["de"].Should().Be("Germany");
        Lookups.Countries["De"].Should().Be("Germany");
        Lookups.Countries["JP"].Should().Be("Japan");
        Lookups.Countries.Should().HaveCount(CountryData.Pairs.Count);
        Lookups.Countries.TryGetValue("XX", out _).Should().BeFalse("XX is not an assigned code");
        Lookups.Countries.TryGetValue("DEU", out _).Should().BeFalse("DEU is alpha-3, not alpha-2");
    }

    [Fact]
    public void Countries_is_built_once_and_looked_up_without_allocating()
    {
        Lookups.Countries.Should().BeSameAs(Lookups.Countries, "a read-mostly table is built once, not on every access");
        Allocations.Measure(() => NaiveLookups.CountryName("de")).Should().BeGreaterThan(0,
            "the budget must bite: the naive lookup upper-cases a copy of the key and scans a list through LINQ");
        Allocations.Measure(() => Lookups.Countries.TryGetValue("de", out var name) ? name : null).Should().Be(0,
            "a case-insensitive comparer hashes and compares the key in place");
    }

    [Fact]
    public void IndexOfDelimiter_finds_the_first_delimiter()
    {
        Lookups.IndexOfDelimiter("plain words only").Should().Be(-1);
        Lookups.IndexOfDelimiter("").Should().Be(-1);
        Lookups.IndexOfDelimiter("a,b").Should().Be(1);
        foreach (var delimiter in ",;|\"\t\r\n")
        {
            var text = new string('x', 40) + delimiter + ",";
            Lookups.IndexOfDelimiter(text).Should().Be(40, $"'{(int)delimiter:X2}' is a delimiter, found before the later comma");
        }

        Lookups.IndexOfDelimiter("a:b.c-d_e").Should().Be(-1, "':', '.', '-' and '_' are not delimiters");
    }

    [Fact]
    public void IndexOfDelimiter_allocates_nothing_and_uses_a_precomputed_set()
    {
        var line = new string('x', 500) + "|";
        Allocations.Measure(() => NaiveLookups.IndexOfDelimiter(line)).Should().BeGreaterThan(0,
            "the budget must bite: the naive version copies the span to a string and builds an array of delimiters");
        Allocations.Measure(() => Lookups.IndexOfDelimiter(line)).Should().Be(0);

        var method = typeof(Lookups).GetMethod(nameof(Lookups.IndexOfDelimiter))!;
        UsesSearchValues(typeof(NaiveLookups).GetMethod(nameof(NaiveLookups.IndexOfDelimiter))!).Should().BeFalse("the check must bite");
        UsesSearchValues(method).Should().BeTrue(
            "IndexOfDelimiter should search with a SearchValues<char> created once (a static readonly field): it picks a " +
            "vectorised strategy for the set when it is created, instead of re-examining the set on every call");
    }

    /// <summary>True when the method's IL touches a SearchValues field or calls a method taking one.</summary>
    private static bool UsesSearchValues(MethodInfo method) =>
        IlReader.ReferencedMembers(method).Any(member => (member switch
        {
            FieldInfo f => [f.FieldType],
            MethodBase m => m.GetParameters().Select(p => p.ParameterType).Append(m.DeclaringType!),
            _ => Enumerable.Empty<Type>(),
        }).Any(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(SearchValues<>)));

    /// <summary>Ordinal string comparison that counts how often it hashes a key.</summary>
    private sealed class CountingComparer : IEqualityComparer<string>
    {
        public int Hashes { get; private set; }

        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string obj)
        {
            Hashes++;
            return StringComparer.Ordinal.GetHashCode(obj);
        }
    }
}
