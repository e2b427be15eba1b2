namespace Koans.Metaprogramming.AttributesValidation;

/// <summary>One broken rule: where (a path such as <c>Lines[1].Quantity</c>), which rule, and a message for a human.</summary>
/// <param name="Path">Property names from the validated object down, separated by dots; a collection element adds
/// <c>[index]</c> to its property's name.</param>
/// <param name="Rule">The rule attribute's class name without the <c>Attribute</c> suffix: <c>Required</c>,
/// <c>Range</c>, <c>Length</c>, <c>Pattern</c> (a rule class named without the suffix keeps its whole name).</param>
public sealed record ValidationError(string Path, string Rule, string Message);

/// <summary>
/// The base of every validation rule. A rule checks one value and answers null (valid) or a message (invalid).
/// </summary>
public abstract class ValidationRuleAttribute : Attribute
{
    /// <summary>Null when <paramref name="value"/> satisfies the rule, otherwise a message saying why not.</summary>
    /// <exception cref="InvalidOperationException">The rule was applied to a value of a type it cannot check (a
    /// programming error in the model, not a validation error).</exception>
    public abstract string? Check(object? value);
}

/// <summary>
/// Marks a property whose value is itself validated: an object, or each element of a collection. Without it the
/// validator does not look inside a property's value.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class ValidateNestedAttribute : Attribute;
