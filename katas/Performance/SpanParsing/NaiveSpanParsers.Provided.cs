using System.Globalization;
using System.Text;

namespace Koans.Performance.SpanParsing;

/// <summary>
/// The baseline: how the job is usually done first, in Python and in C#. Correct, and it allocates a string per row and
/// per field and an array per split. The tests use it to prove the allocation budget bites; `./run-katas.sh bench`
/// measures your <see cref="SpanParsers"/> against it.
/// </summary>
public static class NaiveSpanParsers
{
    public static long SumColumn(ReadOnlySpan<byte> utf8Csv, int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        long sum = 0;
        foreach (var row in Encoding.UTF8.GetString(utf8Csv).Split('\n'))
        {
            var line = row.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(',');
            if (column >= fields.Length
                || !long.TryParse(fields[column], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException($"Row '{line}' has no integer in column {column}.");
            }

            sum = checked(sum + value);
        }

        return sum;
    }

    public static int ParseIntegers(ReadOnlySpan<char> text, char separator, Span<int> destination)
    {
        if (text.IsEmpty)
        {
            return 0;
        }

        var values = text.ToString().Split(separator)
            .Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new FormatException($"'{v}' is not an integer."))
            .ToArray();
        if (values.Length > destination.Length)
        {
            throw new ArgumentException($"{values.Length} values do not fit in {destination.Length}.", nameof(destination));
        }

        values.CopyTo(destination);
        return values.Length;
    }
}
