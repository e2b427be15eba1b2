using System.Text.RegularExpressions;

namespace Koans.Security.Redos;

/// <summary>Reference solution for security.redos.</summary>
public static class SafePatterns
{
    public const int MaxEmailLength = 254;

    public const int MaxUserPatternLength = 256;

    private const int MaxLocalPartLength = 64;

    // The backstop: a linear engine on at most a few hundred characters answers in microseconds, so one second is only
    // ever reached by a mistake, and then it costs one second instead of a CPU for good.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private const RegexOptions Linear = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    // Unambiguous as well as run by the linear engine: every repetition is separated by a mandatory character, so even
    // the backtracking engine could not try two ways to match the same text. \z, not $ ($ also matches before a final \n).
    private static readonly Regex Email = new(
        @"^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\z",
        Linear, MatchTimeout);

    public static Regex EmailPattern => Email;

    public static bool IsValidEmail(string input)
    {
        // Length first: no pattern, however linear, should see a megabyte from a form field.
        if (string.IsNullOrEmpty(input) || input.Length > MaxEmailLength)
        {
            return false;
        }

        // The engine cannot count the local part without a lookahead; the string can.
        var at = input.IndexOf('@');
        return at is > 0 and <= MaxLocalPartLength && Email.IsMatch(input);
    }

    public static Regex CompileUserPattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length > MaxUserPatternLength)
        {
            throw new ArgumentException($"The pattern is longer than {MaxUserPatternLength} characters.", nameof(pattern));
        }

        try
        {
            // RegexParseException (an ArgumentException) for bad syntax; NotSupportedException for constructs the linear
            // engine cannot run (backreferences, lookarounds, atomic groups) or an automaton over its size limit.
            return new Regex(pattern, Linear, MatchTimeout);
        }
        catch (NotSupportedException e)
        {
            throw new ArgumentException($"The pattern cannot be matched in linear time: {e.Message}", nameof(pattern), e);
        }
    }

    public static IReadOnlyList<string> Search(string userPattern, IEnumerable<string> lines, CancellationToken cancellationToken)
    {
        var regex = CompileUserPattern(userPattern);
        var found = new List<string>();
        foreach (var line in lines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (regex.IsMatch(line))
            {
                found.Add(line);
            }
        }

        return found;
    }
}
