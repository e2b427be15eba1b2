using System.Globalization;
using System.Text;

namespace Koans.Security.InputValidation;

/// <summary>Reference solution for security.input-validation.</summary>
public static class SignupParser
{
    public const int MaxRawLength = 256;

    public const int MinUsernameLength = 3;
    public const int MaxUsernameLength = 20;
    public const int MaxDisplayNameLength = 40;
    public const int MinAge = 13;
    public const int MaxAge = 130;

    public static IReadOnlySet<string> ReservedUsernames { get; } =
        new HashSet<string>(["admin", "administrator", "root", "system", "support"], StringComparer.Ordinal);

    public static SignupResult Parse(string? username, string? displayName, string? age)
    {
        var problems = new List<FieldProblem>();
        var canonicalUsername = Field(SignupFields.Username, username, ParseUsername, problems);
        var canonicalDisplayName = Field(SignupFields.DisplayName, displayName, ParseDisplayName, problems);
        var years = Field(SignupFields.Age, age, ParseAge, problems);

        return problems.Count == 0
            ? new SignupResult(new Signup(canonicalUsername!, canonicalDisplayName!, years), [])
            : new SignupResult(null, problems);
    }

    /// <summary>The checks every field shares, then the field's own parser, which adds its problems.</summary>
    private static T? Field<T>(string field, string? raw, Func<string, List<Problem>, T> parse, List<FieldProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            problems.Add(new FieldProblem(field, Problem.Required));
            return default;
        }

        // Bound the work before doing any: normalization and scanning are linear, but linear in a megabyte is still a
        // megabyte per request.
        if (raw.Length > MaxRawLength)
        {
            problems.Add(new FieldProblem(field, Problem.TooLong));
            return default;
        }

        var found = new List<Problem>();
        var value = parse(raw, found);
        problems.AddRange(found.Select(p => new FieldProblem(field, p)));
        return value;
    }

    private static string? ParseUsername(string raw, List<Problem> problems)
    {
        // A lone surrogate makes Normalize throw; it is not a name either.
        if (!IsWellFormed(raw))
        {
            problems.Add(Problem.NotAllowedCharacter);
            return null;
        }

        // NFKC folds compatibility forms (fullwidth letters, ligatures) into the letters they stand for, so every later
        // check (length, alphabet, reserved names) sees the name exactly as it will be stored and compared.
        var canonical = raw.Normalize(NormalizationForm.FormKC).ToLowerInvariant();

        if (canonical.Length < MinUsernameLength)
        {
            problems.Add(Problem.TooShort);
        }
        else if (canonical.Length > MaxUsernameLength)
        {
            problems.Add(Problem.TooLong);
        }

        if (!canonical.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
        {
            problems.Add(Problem.NotAllowedCharacter);
        }

        if (ReservedUsernames.Contains(canonical))
        {
            problems.Add(Problem.Reserved);
        }

        return canonical;
    }

    private static string? ParseDisplayName(string raw, List<Problem> problems)
    {
        // Checked rune by rune before normalizing: Normalize throws on a lone surrogate, and NFC never turns a visible
        // character into an invisible one.
        if (!IsWellFormed(raw) || raw.EnumerateRunes().Any(IsInvisible))
        {
            problems.Add(Problem.InvisibleCharacter);
            return null;
        }

        var canonical = raw.Normalize(NormalizationForm.FormC).Trim(' ');
        if (canonical.Length > MaxDisplayNameLength)
        {
            problems.Add(Problem.TooLong);
        }

        return canonical;
    }

    private static bool IsInvisible(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => true,
        UnicodeCategory.SpaceSeparator => rune.Value != ' ',
        _ => false,
    };

    private static int ParseAge(string raw, List<Problem> problems)
    {
        // One spelling per value: 1-3 ASCII digits, no leading zero. NumberStyles.None refuses signs, spaces, exponents
        // and separators; the length and first-digit checks refuse "0018" and bound the value, so no overflow is possible.
        if (raw.Length > 3 || raw[0] == '0' || !int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var years))
        {
            problems.Add(raw == "0" ? Problem.OutOfRange : Problem.NotANumber);
            return 0;
        }

        if (years is < MinAge or > MaxAge)
        {
            problems.Add(Problem.OutOfRange);
        }

        return years;
    }

    private static bool IsWellFormed(string text)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            rest = rest[consumed..];
        }

        return true;
    }
}
