using System.Globalization;
using Koans.Testing;

namespace Koans.Performance.Strings;

public class TextBuildingTests
{
    private static readonly string[] ThousandLines = Enumerable.Range(0, 1000).Select(i => $"line number {i:D5}").ToArray();

    private static readonly (int Id, string Name)[] ManyPairs =
        Enumerable.Range(-250, 500).Select(i => (i * 7919, $"name{i}")).ToArray();

    /// <summary>The bytes a string occupies on the 64-bit heap: header, method table, length, UTF-16 chars, terminator.</summary>
    private static long SizeOf(string s) => 22 + (2L * s.Length);

    [Fact]
    public void JoinLines_ends_every_line_with_a_newline()
    {
        TextBuilding.JoinLines(["a", "bc", ""]).Should().Be("a\nbc\n\n");
        TextBuilding.JoinLines([]).Should().Be("", "no lines, no text");
    }

    [Fact]
    public void JoinLines_enumerates_a_one_shot_sequence_once()
    {
        var source = new OneShotSequence(ThousandLines);
        TextBuilding.JoinLines(source).Should().Be(string.Concat(ThousandLines.Select(l => l + "\n")));
        source.Enumerations.Should().Be(1, "a cursor or generator can be read only once: count it and build it in one pass");
    }

    [Fact]
    public void JoinLines_rejects_a_null_line() =>
        FluentActions.Invoking(() => TextBuilding.JoinLines(["a", null!, "c"])).Should().Throw<ArgumentNullException>(
            "a null line is a bug upstream, not an empty line");

    [Fact]
    public void JoinLines_stays_within_four_times_its_result()
    {
        var result = NaiveTextBuilding.JoinLines(ThousandLines);
        var budget = (4 * SizeOf(result)) + 1024;
        Allocations.Measure(() => NaiveTextBuilding.JoinLines(ThousandLines)).Should().BeGreaterThan(budget,
            "the budget must bite: += copies the whole text on every line, about n²/2 characters for n lines");

        Allocations.Measure(() => TextBuilding.JoinLines(ThousandLines)).Should().BeLessThanOrEqualTo(budget,
            "a builder that grows in chunks (or a pooled buffer) copies each character a bounded number of times");
    }

    [Fact]
    public void FormatPairs_writes_id_colon_name_separated_by_commas()
    {
        TextBuilding.FormatPairs([(7, "ann"), (-12, "bo")]).Should().Be("7:ann,-12:bo");
        TextBuilding.FormatPairs([(int.MinValue, ""), (0, "z")]).Should().Be("-2147483648:,0:z", "the longest int and an empty name");
        TextBuilding.FormatPairs([]).Should().Be("");
    }

    [Fact]
    public void FormatPairs_writes_ids_the_same_under_any_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            culture.NumberFormat.NegativeSign = "~";
            CultureInfo.CurrentCulture = culture;
            TextBuilding.FormatPairs([(-5, "x")]).Should().Be("-5:x", "ids are machine data: the invariant culture, not the user's");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void FormatPairs_allocates_only_its_result()
    {
        var result = NaiveTextBuilding.FormatPairs(ManyPairs);
        var budget = SizeOf(result) + 32;
        Allocations.Measure(() => NaiveTextBuilding.FormatPairs(ManyPairs)).Should().BeGreaterThan(budget,
            "the budget must bite: the naive version makes a string per id, per pair and an array for string.Join");

        TextBuilding.FormatPairs(ManyPairs).Should().Be(result);
        Allocations.Measure(() => TextBuilding.FormatPairs(ManyPairs)).Should().BeLessThanOrEqualTo(budget,
            "compute the exact length first, then write every character straight into the new string's memory");
    }

    private sealed class OneShotSequence(IEnumerable<string> items) : IEnumerable<string>
    {
        public int Enumerations { get; private set; }

        public IEnumerator<string> GetEnumerator()
        {
            Enumerations++;
            return items.GetEnumerator();
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
