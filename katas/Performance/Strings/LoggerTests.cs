using System.Globalization;
using Koans.Testing;

namespace Koans.Performance.Strings;

public class LoggerTests
{
    [Fact]
    public void An_enabled_message_is_formatted_with_the_invariant_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            culture.NumberFormat.NumberDecimalSeparator = ",";
            CultureInfo.CurrentCulture = culture;

            var logger = new Logger(LogLevel.Information);
            var (percent, host, disk) = (93.456, "db1", 2);
            logger.Log(LogLevel.Warning, $"disk {disk} on {host} is {percent:F1}% full");
            logger.Messages.Should().Equal(["disk 2 on db1 is 93.5% full"], "log lines are read by machines: '.' as the decimal point everywhere");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void A_disabled_message_formats_nothing()
    {
        var logger = new Logger(LogLevel.Warning);
        var value = new CountingValue();
        logger.Log(LogLevel.Debug, $"state: {value}");
        logger.Log(LogLevel.Information, $"state: {value:X}");

        value.Formatted.Should().Be(0, "below the minimum level the values must not be formatted at all");
        logger.Messages.Should().BeEmpty();
    }

    [Fact]
    public void An_enabled_message_formats_each_value_once()
    {
        var logger = new Logger(LogLevel.Debug);
        var value = new CountingValue();
        logger.Log(LogLevel.Error, $"a {value} b {value:X}");

        logger.Messages.Should().Equal(["a counted b counted:X"]);
        value.Formatted.Should().Be(2, "two holes, two formatting calls: measuring the length first and formatting again doubles the work");
    }

    [Fact]
    public void A_disabled_call_allocates_nothing()
    {
        var naive = new NaiveLogger(LogLevel.Warning);
        var (id, ratio) = (42, 0.25);
        Allocations.Measure(() => naive.Log(LogLevel.Debug, $"request {id} ratio {ratio}")).Should().BeGreaterThan(0,
            "the budget must bite: a FormattableString is an object with an object[] of boxed values, built before the level is checked");

        var logger = new Logger(LogLevel.Warning);
        Allocations.Measure(() => logger.Log(LogLevel.Debug, $"request {id} ratio {ratio}")).Should().Be(0,
            "a disabled handler tells the compiler to skip the rest: no string, no boxing, no array");
    }

    [Fact]
    public void An_enabled_call_allocates_only_the_message()
    {
        var (id, ratio) = (42, 0.25);
        var naive = new NaiveLogger(LogLevel.Debug);
        var budget = 22 + (2 * "request 42 ratio 0.25".Length) + 32;
        Allocations.Measure(() => naive.Log(LogLevel.Debug, $"request {id} ratio {ratio}")).Should().BeGreaterThan(budget,
            "the budget must bite: the naive logger boxes both values and allocates the FormattableString and its array");

        var logger = new Logger(LogLevel.Debug);
        Allocations.Measure(() => logger.Log(LogLevel.Debug, $"request {id} ratio {ratio}")).Should().BeLessThanOrEqualTo(budget,
            "format into a pooled or stack buffer and allocate only the final string");
        logger.Messages[^1].Should().Be("request 42 ratio 0.25");
    }

    [Fact]
    public void The_minimum_level_itself_is_enabled()
    {
        var logger = new Logger(LogLevel.Warning);
        logger.Log(LogLevel.Warning, $"at {1}");
        logger.Log(LogLevel.Error, $"above {2}");
        logger.Log(LogLevel.Information, $"below {3}");
        logger.Messages.Should().Equal(["at 1", "above 2"], "Warning and above are recorded when the minimum is Warning");
    }

    /// <summary>A value that counts how often it is formatted, through either interface.</summary>
    private sealed class CountingValue : ISpanFormattable
    {
        public int Formatted { get; private set; }

        public string ToString(string? format, IFormatProvider? formatProvider)
        {
            Formatted++;
            return format is null ? "counted" : "counted:" + format;
        }

        public override string ToString() => ToString(null, null);

        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        {
            Formatted++;
            var text = format.IsEmpty ? "counted" : "counted:" + format.ToString();
            charsWritten = 0;
            if (!text.AsSpan().TryCopyTo(destination))
            {
                return false;
            }

            charsWritten = text.Length;
            return true;
        }
    }
}
