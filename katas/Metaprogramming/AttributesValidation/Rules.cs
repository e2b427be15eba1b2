namespace Koans.Metaprogramming.AttributesValidation;

/// <summary>
/// A value must be present: not null, and for a string not empty or white space. Any other non-null value (including
/// 0 and false) is present.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class RequiredAttribute : ValidationRuleAttribute
{
    public override string? Check(object? value) => throw new NotImplementedException();
}

/// <summary>
/// A number between <see cref="Minimum"/> and <see cref="Maximum"/>, both included. Works for every built-in numeric
/// type (<c>int</c>, <c>long</c>, <c>decimal</c>, <c>double</c>, ...). Null is valid: absence is
/// <see cref="RequiredAttribute"/>'s business. A value that is not a number (a string "5" included) cannot be checked:
/// <see cref="InvalidOperationException"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class RangeAttribute(double minimum, double maximum) : ValidationRuleAttribute
{
    public double Minimum => minimum;

    public double Maximum => maximum;

    public override string? Check(object? value) => throw new NotImplementedException();
}

/// <summary>
/// A string's length, or a collection's count, between <see cref="Minimum"/> and <see cref="Maximum"/>, both included.
/// Null is valid. Any other value: <see cref="InvalidOperationException"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class LengthAttribute(int minimum, int maximum) : ValidationRuleAttribute
{
    public int Minimum => minimum;

    public int Maximum => maximum;

    public override string? Check(object? value) => throw new NotImplementedException();
}

/// <summary>
/// A string that matches the regular expression <see cref="Pattern"/> as a whole: the entire value, not a part of it
/// and not the value plus a trailing newline (Python's <c>re.fullmatch</c>). The pattern may come from a model author,
/// the value from anyone: matching must not be open to catastrophic backtracking. Several patterns may be applied to
/// one property. Null is valid; a value that is not a string: <see cref="InvalidOperationException"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true, Inherited = true)]
public sealed class PatternAttribute(string pattern) : ValidationRuleAttribute
{
    public string Pattern => pattern;

    public override string? Check(object? value) => throw new NotImplementedException();
}
