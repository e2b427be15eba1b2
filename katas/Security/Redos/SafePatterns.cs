using System.Text.RegularExpressions;

namespace Koans.Security.Redos;

/// <summary>
/// Kata security.redos: validation and user-supplied search patterns that answer in time linear in the input, whatever
/// the input.
/// </summary>
/// <remarks>
/// <para>.NET's default regex engine backtracks: a pattern with nested or overlapping quantifiers (<c>(a+)+</c>,
/// <c>(\w|\d)+</c>, <c>.*.*=</c>) tries exponentially many ways to fail on an input that almost matches. One request
/// with forty characters then holds a CPU for hours (ReDoS). Two defences, used together: an engine or a pattern whose
/// running time is linear in the input, and a match timeout as a backstop for anything that slips through.</para>
/// <para>An e-mail address here is (a deliberately simple grammar, not RFC 5322): at most
/// <see cref="MaxEmailLength"/> characters; a local part of at most 64 characters made of runs of ASCII letters and
/// digits separated by single <c>.</c>, <c>-</c> or <c>_</c>; <c>@</c>; then two or more dot-separated domain labels of
/// 1 to 63 ASCII letters, digits and inner hyphens, the last of which has 2 to 63 letters only. Letters in any case.
/// Nothing may follow the last label, not even a newline.</para>
/// </remarks>
public static class SafePatterns
{
    /// <summary>The longest e-mail address accepted (RFC 5321's path limit less the angle brackets).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>The longest user-supplied pattern accepted, in characters.</summary>
    public const int MaxUserPatternLength = 256;

    /// <summary>The compiled e-mail pattern: linear in its input and with a finite match timeout of at most one second.</summary>
    public static Regex EmailPattern => throw new NotImplementedException();

    /// <summary>True when <paramref name="input"/> is an e-mail address by the grammar above. Never throws for any
    /// string; inputs over <see cref="MaxEmailLength"/> are false before any pattern runs.</summary>
    public static bool IsValidEmail(string input) => throw new NotImplementedException();

    /// <summary>
    /// Compiles a pattern a user typed into a search box so that matching it is linear in the input, whatever the pattern,
    /// with a finite match timeout of at most one second. Constructs that need backtracking (backreferences,
    /// lookarounds, atomic groups) and patterns whose automaton would be too large are refused.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    /// <exception cref="ArgumentException">The pattern is longer than <see cref="MaxUserPatternLength"/>, is not a valid
    /// regex, or uses a construct that cannot run in linear time.</exception>
    public static Regex CompileUserPattern(string pattern) => throw new NotImplementedException();

    /// <summary>
    /// The lines that match <paramref name="userPattern"/> (compiled as <see cref="CompileUserPattern"/> does), in order.
    /// Checks <paramref name="cancellationToken"/> before each line, so a caller can stop a search over an endless
    /// source.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="CompileUserPattern"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static IReadOnlyList<string> Search(string userPattern, IEnumerable<string> lines, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
