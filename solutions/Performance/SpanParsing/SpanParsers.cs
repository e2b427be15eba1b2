using System.Buffers.Text;
using System.Globalization;

namespace Koans.Performance.SpanParsing;

public static class SpanParsers
{
    public static long SumColumn(ReadOnlySpan<byte> utf8Csv, int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        long sum = 0;
        // MemoryExtensions.Split over a span yields Ranges: slicing with them is a view into the input, not a copy.
        foreach (var rowRange in utf8Csv.Split((byte)'\n'))
        {
            var row = utf8Csv[rowRange];
            if (row.EndsWith((byte)'\r'))
            {
                row = row[..^1];
            }

            if (row.IsEmpty)
            {
                continue;
            }

            var field = Field(row, column);
            // Utf8Parser stops at the first byte that is not part of a number and reports how far it got: "12x" gives
            // 12 with bytesConsumed = 2. Only a field consumed to its end is a number.
            if (!Utf8Parser.TryParse(field, out long value, out var consumed) || consumed != field.Length)
            {
                throw new FormatException($"A row has no 64-bit integer in column {column}.");
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

        var count = 0;
        foreach (var range in text.Split(separator))
        {
            if (count == destination.Length)
            {
                throw new ArgumentException("The destination is too short for all the values.", nameof(destination));
            }

            // TryParse, not Parse: out-of-range is a FormatException here, and Parse would throw OverflowException.
            // NumberStyles.Integer allows the surrounding spaces; the invariant culture makes '-' the sign everywhere.
            if (!int.TryParse(text[range], NumberStyles.Integer, CultureInfo.InvariantCulture, out destination[count]))
            {
                throw new FormatException($"Value {count + 1} is not a 32-bit integer.");
            }

            count++;
        }

        return count;
    }

    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> row, int column)
    {
        var index = 0;
        foreach (var range in row.Split((byte)','))
        {
            if (index++ == column)
            {
                return row[range];
            }
        }

        throw new FormatException($"A row has no column {column}.");
    }
}
