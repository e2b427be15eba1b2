using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Koans.Metaprogramming.AttributesValidation;

[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class RequiredAttribute : ValidationRuleAttribute
{
    public override string? Check(object? value) => value switch
    {
        null => "is required.",
        string text when string.IsNullOrWhiteSpace(text) => "is required and may not be blank.",
        _ => null,
    };
}

[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class RangeAttribute(double minimum, double maximum) : ValidationRuleAttribute
{
    public double Minimum => minimum;

    public double Maximum => maximum;

    public override string? Check(object? value)
    {
        // Only real numbers: Convert.ToDouble would also accept the string "5" (and bool, and char), hiding a model bug.
        var number = value switch
        {
            null => (double?)null,
            byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal =>
                Convert.ToDouble(value, CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"[Range] cannot check a {value.GetType().Name}: it only applies to numbers."),
        };
        return number is { } n && (n < minimum || n > maximum || double.IsNaN(n))
            ? $"must be between {minimum.ToString(CultureInfo.InvariantCulture)} and {maximum.ToString(CultureInfo.InvariantCulture)}."
            : null;
    }
}

[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class LengthAttribute(int minimum, int maximum) : ValidationRuleAttribute
{
    public int Minimum => minimum;

    public int Maximum => maximum;

    public override string? Check(object? value)
    {
        var length = value switch
        {
            null => (int?)null,
            string text => text.Length,
            ICollection collection => collection.Count,
            _ => throw new InvalidOperationException($"[Length] cannot check a {value.GetType().Name}: it applies to strings and collections."),
        };
        return length is { } n && (n < minimum || n > maximum) ? $"must have a length between {minimum} and {maximum}." : null;
    }
}

[AttributeUsage(AttributeTargets.Property, AllowMultiple = true, Inherited = true)]
public sealed class PatternAttribute(string pattern) : ValidationRuleAttribute
{
    // \A and \z anchor the whole input: ^ and $ would let "abc\n" through ($ matches before a final newline).
    // NonBacktracking runs in linear time in the input, so no value can make the match explode (ReDoS); the price is a
    // few constructs it does not support (backreferences, lookarounds), which throw here, at model-definition time.
    private readonly Regex _regex = new($@"\A(?:{pattern})\z", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);

    public string Pattern => pattern;

    public override string? Check(object? value) => value switch
    {
        null => null,
        string text => _regex.IsMatch(text) ? null : $"must match the pattern {pattern}.",
        _ => throw new InvalidOperationException($"[Pattern] cannot check a {value.GetType().Name}: it applies to strings."),
    };
}
