namespace Koans.Performance.Strings;

/// <summary>
/// Kata performance.strings: build strings without building garbage. A .NET string is immutable, so every <c>+=</c>
/// copies everything so far; the tools that avoid it each fit a different situation.
/// </summary>
/// <remarks>
/// The tests hold each method to an allocation budget (bytes allocated on the calling thread, after a warm-up call),
/// expressed in terms of the size of the string returned. <see cref="NaiveTextBuilding"/> shows the usual first
/// version; the tests run it through the same budget to show that it fails.
/// </remarks>
public static class TextBuilding
{
    /// <summary>
    /// Each line followed by <c>\n</c>, in order: <c>["a", "bc"]</c> gives <c>"a\nbc\n"</c>; no lines give <c>""</c>.
    /// </summary>
    /// <remarks>
    /// <paramref name="lines"/> may be a one-shot sequence (a database cursor, a generator): enumerate it exactly once.
    /// Its length is not known in advance. Budget: at most four times the size of the result plus 1 KB, whatever the
    /// number of lines; appending to a string in a loop copies it on every line and is quadratic.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="lines"/> or one of its lines is null.</exception>
    public static string JoinLines(IEnumerable<string> lines) => throw new NotImplementedException();

    /// <summary>
    /// <c>id:name</c> pairs separated by commas: <c>[(7, "ann"), (-12, "bo")]</c> gives <c>"7:ann,-12:bo"</c>; an empty
    /// list gives <c>""</c>. The ids are written the same on every machine, whatever the current culture.
    /// </summary>
    /// <remarks>
    /// Here everything is known up front, so the exact length can be computed first. Budget: the result string and
    /// nothing else (within 32 bytes): no intermediate strings, no builder, no array.
    /// </remarks>
    public static string FormatPairs(IReadOnlyList<(int Id, string Name)> pairs) => throw new NotImplementedException();
}
