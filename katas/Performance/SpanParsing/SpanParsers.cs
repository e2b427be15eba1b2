namespace Koans.Performance.SpanParsing;

/// <summary>
/// Kata performance.span-parsing: parse numbers and CSV fields straight out of the input, allocating nothing.
/// </summary>
/// <remarks>
/// <para>The Python habit (and the naive C# one, in <see cref="NaiveSpanParsers"/>) is to decode the bytes into one big
/// string, split it into an array of line strings, split each line into an array of field strings, then parse each field.
/// Every one of those strings and arrays is garbage a moment later: for a 100 KB file that is several hundred KB of
/// allocations and work for the garbage collector, to produce one number.</para>
/// <para>The standard to meet: after a warm-up call, these methods allocate <b>zero bytes</b> on success (the tests
/// measure it with <c>GC.GetAllocatedBytesForCurrentThread()</c>). The error paths may allocate (an exception is an
/// object).</para>
/// <para>Both methods parse untrusted input: any bytes or characters at all either give a result or throw
/// <see cref="FormatException"/>, never anything else (except the documented argument and overflow checks).</para>
/// </remarks>
public static class SpanParsers
{
    /// <summary>
    /// The sum of the integers in column <paramref name="column"/> (0-based) of a CSV file given as UTF-8 bytes.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item><description>Rows end with <c>\n</c> or <c>\r\n</c>; the last row may lack its line ending. Empty rows are
    /// skipped. There is no header row.</description></item>
    /// <item><description>Fields are separated by <c>,</c>; there is no quoting. Other columns are not looked at (they
    /// need not be numbers).</description></item>
    /// <item><description>The chosen field must be, in its entirety, a decimal 64-bit integer with an optional leading
    /// <c>-</c>: no spaces, no trailing characters (<c>12x</c> is not 12), nothing out of range.</description></item>
    /// </list>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="column"/> is negative.</exception>
    /// <exception cref="FormatException">A row has no such column, or the field is not a 64-bit integer.</exception>
    /// <exception cref="OverflowException">The sum does not fit in a <see cref="long"/> (it never wraps around).</exception>
    public static long SumColumn(ReadOnlySpan<byte> utf8Csv, int column) => throw new NotImplementedException();

    /// <summary>
    /// Parses the 32-bit integers in <paramref name="text"/>, separated by <paramref name="separator"/>, into
    /// <paramref name="destination"/>, and returns how many there were. Empty text holds none.
    /// </summary>
    /// <remarks>
    /// Each value may have spaces around it (<c>" 1, -2 ,3"</c> is 1, -2, 3) and is read the same on every machine,
    /// whatever the current culture. An empty value (<c>"1,,2"</c>, or a trailing separator) is an error.
    /// </remarks>
    /// <exception cref="FormatException">A value is empty, not an integer, or outside the range of <see cref="int"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short for all the values.</exception>
    public static int ParseIntegers(ReadOnlySpan<char> text, char separator, Span<int> destination) =>
        throw new NotImplementedException();
}
