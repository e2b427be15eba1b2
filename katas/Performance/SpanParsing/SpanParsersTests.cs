using System.Text;
using Koans.Testing;

namespace Koans.Performance.SpanParsing;

public class SpanParsersTests
{
    // Rows of "id,quantity,price": the quantity column sums to 1 + 2 + ... + 1000 = 500500, the price column to
    // -(1 + 2 + ... + 1000) * 3 = -1501500 (Gauss: n(n+1)/2).
    private static readonly byte[] ThousandRows = Encoding.UTF8.GetBytes(
        string.Concat(Enumerable.Range(1, 1000).Select(i => $"{i:D4},{i},{-3 * i}\n")));

    private const string ManyIntegers = "10, -20,30 ,40,50,60,70,80,90,100,110,120,130,140,150,160,170,180,190,200";

    [Fact]
    public void SumColumn_sums_the_chosen_column_of_every_row()
    {
        SpanParsers.SumColumn("1,10,x\n2,20,y\n3,-5,z\n"u8, 1).Should().Be(25, "10 + 20 - 5");
        SpanParsers.SumColumn(ThousandRows, 1).Should().Be(500_500, "1 + 2 + ... + 1000 = 1000 * 1001 / 2");
        SpanParsers.SumColumn(ThousandRows, 2).Should().Be(-1_501_500, "the price column is -3 times the quantity");
    }

    [Fact]
    public void SumColumn_accepts_CRLF_a_missing_final_newline_and_empty_rows()
    {
        SpanParsers.SumColumn("a,1\r\nb,2\r\n\r\nc,3"u8, 1).Should().Be(6,
            "\\r\\n ends a row like \\n, an empty row is skipped, and the last row needs no line ending");
        SpanParsers.SumColumn(""u8, 0).Should().Be(0, "an empty file has no rows");
    }

    [Fact]
    public void SumColumn_reads_the_extremes_of_a_64_bit_integer()
    {
        SpanParsers.SumColumn("9223372036854775807\n-9223372036854775808\n"u8, 0).Should().Be(-1,
            "long.MaxValue + long.MinValue = -1, and both fit");
    }

    [Theory]
    [InlineData("1,12x\n", "a number followed by other characters is not that number (the parser stops at 'x')")]
    [InlineData("1,\n", "an empty field is not zero")]
    [InlineData("1, 12\n", "no spaces inside a CSV number field")]
    [InlineData("1,9223372036854775808\n", "2^63 does not fit in a long")]
    [InlineData("1,0x10\n", "only decimal digits")]
    public void SumColumn_rejects_a_field_that_is_not_entirely_an_integer(string csv, string because)
    {
        var act = () => SpanParsers.SumColumn(Encoding.UTF8.GetBytes(csv), 1);
        act.Should().Throw<FormatException>(because);
    }

    [Fact]
    public void SumColumn_rejects_a_row_without_the_column()
    {
        var act = () => SpanParsers.SumColumn("1,2,3\n4,5\n"u8, 2);
        act.Should().Throw<FormatException>("the second row has only two columns, so it has no column 2");
    }

    [Fact]
    public void SumColumn_throws_OverflowException_rather_than_wrapping_around()
    {
        var act = () => SpanParsers.SumColumn("9223372036854775807\n1\n"u8, 0);
        act.Should().Throw<OverflowException>(
            "long.MaxValue + 1 wraps to long.MinValue in unchecked arithmetic: a silently wrong total is worse than an error");
    }

    [Fact]
    public void SumColumn_rejects_a_negative_column() =>
        FluentActions.Invoking(() => SpanParsers.SumColumn("1\n"u8, -1)).Should().Throw<ArgumentOutOfRangeException>();

    [Fact]
    public void SumColumn_throws_only_FormatException_on_random_bytes()
    {
        // Hostile input: random bytes, including invalid UTF-8, separators and digits in odd places. Fixed seed.
        var random = new Random(20261130);
        var alphabet = "0123456789-+,\r\n x"u8.ToArray();
        for (var i = 0; i < 3000; i++)
        {
            var input = new byte[random.Next(0, 40)];
            for (var j = 0; j < input.Length; j++)
            {
                input[j] = random.Next(3) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }

            try
            {
                SpanParsers.SumColumn(input, random.Next(3));
            }
            catch (FormatException)
            {
            }
            catch (OverflowException)
            {
            }
            catch (Exception e) when (e is not NotImplementedException)
            {
                throw new InvalidOperationException(
                    $"SumColumn threw {e.GetType().Name} on the bytes {Convert.ToHexString(input)}: only FormatException is documented", e);
            }
        }
    }

    [Fact]
    public void SumColumn_allocates_nothing_on_a_thousand_rows()
    {
        var naive = Allocations.Measure(() => NaiveSpanParsers.SumColumn(ThousandRows, 1));
        naive.Should().BeGreaterThan(10_000,
            "the budget must bite: the naive parser allocates the decoded text, a string per row and per field, and the arrays");

        Allocations.Measure(() => SpanParsers.SumColumn(ThousandRows, 1)).Should().Be(0,
            "slicing a ReadOnlySpan<byte> allocates nothing, and neither does parsing a number out of a slice; " +
            "a string, an array or a ToString() anywhere on the success path shows up here");
    }

    [Fact]
    public void ParseIntegers_reads_values_with_spaces_around_them()
    {
        Span<int> values = stackalloc int[8];
        var count = SpanParsers.ParseIntegers(" 1, -2 ,3", ',', values);
        values[..count].ToArray().Should().Equal([1, -2, 3], "spaces around a value are allowed");
        SpanParsers.ParseIntegers("7;2147483647;-2147483648", ';', values).Should().Be(3, "the separator is the caller's");
        values[1].Should().Be(int.MaxValue);
        values[2].Should().Be(int.MinValue);
    }

    [Fact]
    public void ParseIntegers_of_empty_text_is_none() =>
        SpanParsers.ParseIntegers("", ',', new int[4]).Should().Be(0, "empty text holds no values");

    [Theory]
    [InlineData("1,,2", "an empty value between separators")]
    [InlineData("1,2,", "a trailing separator leaves an empty last value")]
    [InlineData("1,2147483648", "int.MaxValue + 1 is out of range: FormatException, as documented, not OverflowException")]
    [InlineData("1,two", "not a number")]
    [InlineData("1,1.5", "not an integer")]
    public void ParseIntegers_rejects_a_value_that_is_not_an_int(string text, string because)
    {
        var act = () => SpanParsers.ParseIntegers(text, ',', new int[8]);
        act.Should().Throw<FormatException>(because);
    }

    [Fact]
    public void ParseIntegers_rejects_a_destination_that_is_too_short()
    {
        var destination = new int[3];
        var act = () => SpanParsers.ParseIntegers("1,2,3,4", ',', destination);
        act.Should().Throw<ArgumentException>("four values do not fit in three slots");
    }

    [Fact]
    public void ParseIntegers_reads_the_same_under_any_culture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            // Under a culture whose negative sign is not '-', "-2" would not parse as the current culture reads it.
            var culture = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            culture.NumberFormat.NegativeSign = "~";
            System.Globalization.CultureInfo.CurrentCulture = culture;
            var values = new int[2];
            SpanParsers.ParseIntegers("1,-2", ',', values).Should().Be(2);
            values.Should().Equal([1, -2], "the values are machine data, read with the invariant culture");
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void ParseIntegers_allocates_nothing()
    {
        var destination = new int[32];
        var naive = Allocations.Measure(() => NaiveSpanParsers.ParseIntegers(ManyIntegers, ',', destination));
        naive.Should().BeGreaterThan(500,
            "the budget must bite: the naive parser copies the text to a string, splits it into an array of strings and builds an int[]");

        Allocations.Measure(() => SpanParsers.ParseIntegers(ManyIntegers, ',', destination)).Should().Be(0,
            "splitting a ReadOnlySpan<char> yields ranges, not strings, and int.Parse reads a span directly");
    }
}
