namespace Koans.Security.InputValidation;

/// <summary>
/// Kata security.input-validation: parse an untrusted sign-up form into a typed <see cref="Signup"/> by allow-list,
/// and report every problem at once.
/// </summary>
/// <remarks>
/// <para>Validation is parsing: the output is a value that is valid by construction, in the one canonical form the rest
/// of the system stores and compares, or the complete list of reasons it is not. Deny-lists ("no &lt;script&gt;, no
/// quotes") always miss something; allow-lists say what is accepted and refuse everything else.</para>
/// <para>The rules, all of which the tests attack:</para>
/// <list type="bullet">
/// <item><description>Any field: <c>null</c>, empty or only spaces is <see cref="Problem.Required"/> (and nothing else is
/// reported for it). Raw input longer than <see cref="MaxRawLength"/> characters is <see cref="Problem.TooLong"/> and is
/// not examined further: never normalize or scan a megabyte an attacker sent.</description></item>
/// <item><description><b>Username</b>: its canonical form is the Unicode compatibility normalization (NFKC) of the
/// input, lower-cased invariantly. The canonical form is what every later rule checks, so that two inputs that look or
/// fold the same are the same name: it must be <see cref="MinUsernameLength"/> to <see cref="MaxUsernameLength"/>
/// characters (<see cref="Problem.TooShort"/>, <see cref="Problem.TooLong"/>), only <c>a-z</c>, <c>0-9</c> and
/// <c>_</c> (<see cref="Problem.NotAllowedCharacter"/>: a Cyrillic <c>а</c> is not a Latin <c>a</c>), and not one of
/// <see cref="ReservedUsernames"/> (<see cref="Problem.Reserved"/>).</description></item>
/// <item><description><b>Display name</b>: any script is welcome, so its canonical form is the canonical composition
/// (NFC) of the input with ordinary spaces (U+0020) trimmed from both ends, at most
/// <see cref="MaxDisplayNameLength"/> UTF-16 characters. It may not contain characters that render as nothing or
/// reorder text: controls, format characters (zero-width space, bidi overrides such as U+202E, the BOM), private-use,
/// unassigned and line/paragraph separator characters, spaces other than U+0020, or a lone surrogate
/// (<see cref="Problem.InvisibleCharacter"/>).</description></item>
/// <item><description><b>Age</b>: only plain ASCII digits with no sign, no spaces, no leading zero, no exponent and at
/// most three digits are a number (<see cref="Problem.NotANumber"/>); it must be <see cref="MinAge"/> to
/// <see cref="MaxAge"/> (<see cref="Problem.OutOfRange"/>). A twenty-digit age is a problem to report, not an
/// exception to throw.</description></item>
/// </list>
/// <para>Report every field's problems, in field order (username, display name, age); a field may break several rules
/// at once (a username can be too long and contain a disallowed character). Never throw for any input.</para>
/// </remarks>
public static class SignupParser
{
    /// <summary>Raw input longer than this is refused before any normalization.</summary>
    public const int MaxRawLength = 256;

    public const int MinUsernameLength = 3;
    public const int MaxUsernameLength = 20;
    public const int MaxDisplayNameLength = 40;
    public const int MinAge = 13;
    public const int MaxAge = 130;

    /// <summary>Canonical usernames no one may register.</summary>
    public static IReadOnlySet<string> ReservedUsernames { get; } =
        new HashSet<string>(["admin", "administrator", "root", "system", "support"], StringComparer.Ordinal);

    /// <summary>Parses the three raw form fields. Never throws.</summary>
    public static SignupResult Parse(string? username, string? displayName, string? age) =>
        throw new NotImplementedException();
}
