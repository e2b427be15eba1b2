using System.Text.RegularExpressions;

namespace Koans.Security.Redos;

/// <summary>
/// Provided: validation regexes as they are found in the wild, run by the default backtracking engine. The tests
/// run them with a short match timeout, so that the attack shows as a <see cref="RegexMatchTimeoutException"/> instead
/// of a hung test.
/// </summary>
public static class NaivePatterns
{
    /// <summary>The e-mail regex OWASP uses as its ReDoS example: the nested <c>([a-zA-Z0-9]+)*</c> is exponential.</summary>
    public const string Email =
        @"^([a-zA-Z0-9])(([\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$";

    /// <summary>Runs <paramref name="pattern"/> the naive way (backtracking), giving up after <paramref name="timeout"/>.</summary>
    public static bool IsMatch(string pattern, string input, TimeSpan timeout) =>
        new Regex(pattern, RegexOptions.None, timeout).IsMatch(input);
}
