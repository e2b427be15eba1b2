using System.Globalization;

namespace Koans.Security.InputValidation;

/// <summary>A sign-up that passed validation: every value is in its canonical form.</summary>
/// <param name="Username">Lower-case ASCII, NFKC-normalized: the form that is stored and compared.</param>
/// <param name="DisplayName">NFC-normalized, trimmed of spaces at either end.</param>
/// <param name="Age">In years.</param>
public sealed record Signup(string Username, string DisplayName, int Age);

/// <summary>Why a field was refused.</summary>
public enum Problem
{
    /// <summary>Missing, empty or only spaces.</summary>
    Required,
    /// <summary>Shorter than the field's minimum.</summary>
    TooShort,
    /// <summary>Longer than the field's maximum (raw, or after normalization).</summary>
    TooLong,
    /// <summary>A character outside the field's allow-list.</summary>
    NotAllowedCharacter,
    /// <summary>A control, format (zero-width, bidi override), private-use, unassigned or non-ASCII space character, or a lone surrogate.</summary>
    InvisibleCharacter,
    /// <summary>A name kept for the system (admin, root...), compared in canonical form.</summary>
    Reserved,
    /// <summary>Not a number in the one spelling accepted.</summary>
    NotANumber,
    /// <summary>A number outside the accepted range.</summary>
    OutOfRange,
}

/// <summary>The field names used in <see cref="FieldProblem.Field"/>.</summary>
public static class SignupFields
{
    public const string Username = "username";
    public const string DisplayName = "displayName";
    public const string Age = "age";
}

/// <summary>One broken rule of one field.</summary>
public sealed record FieldProblem(string Field, Problem Problem);

/// <summary>Either a <see cref="Signup"/> (and no problems) or every problem found (and no signup).</summary>
public sealed record SignupResult(Signup? Signup, IReadOnlyList<FieldProblem> Problems)
{
    public bool IsValid => Signup is not null;
}

/// <summary>
/// Provided: the validator many sign-up forms ship. It checks the raw string with <see cref="char.IsLetterOrDigit(char)"/>,
/// compares reserved names before normalizing, trusts <see cref="int.Parse(string, IFormatProvider)"/>, and stops at
/// the first problem. The tests run every attack against it first, to show the attack is real.
/// </summary>
public static class NaiveSignupParser
{
    public static SignupResult Parse(string? username, string? displayName, string? age)
    {
        if (string.IsNullOrWhiteSpace(username))
        {
            return Refuse(SignupFields.Username, Problem.Required);
        }

        if (username.Length > 20)
        {
            return Refuse(SignupFields.Username, Problem.TooLong);
        }

        if (!username.All(c => char.IsLetterOrDigit(c) || c == '_'))
        {
            return Refuse(SignupFields.Username, Problem.NotAllowedCharacter);
        }

        if (username is "admin" or "root")
        {
            return Refuse(SignupFields.Username, Problem.Reserved);
        }

        if (string.IsNullOrWhiteSpace(displayName))
        {
            return Refuse(SignupFields.DisplayName, Problem.Required);
        }

        if (displayName.Length > 40)
        {
            return Refuse(SignupFields.DisplayName, Problem.TooLong);
        }

        // Throws FormatException or OverflowException on bad input: the caller's 500 page.
        var years = int.Parse(age!, CultureInfo.InvariantCulture);
        if (years is < 13 or > 130)
        {
            return Refuse(SignupFields.Age, Problem.OutOfRange);
        }

        return new SignupResult(new Signup(username.ToLowerInvariant(), displayName.Trim(), years), []);
    }

    private static SignupResult Refuse(string field, Problem problem) => new(null, [new FieldProblem(field, problem)]);
}
