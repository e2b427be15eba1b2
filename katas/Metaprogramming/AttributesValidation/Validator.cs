namespace Koans.Metaprogramming.AttributesValidation;

/// <summary>
/// Kata metaprogramming.attributes-validation: validation driven by attributes read with reflection, the counterpart
/// of Python's pydantic validators and marshmallow fields (and of .NET's own DataAnnotations).
/// </summary>
/// <remarks>
/// A form with five mistakes deserves five messages at once, not one per submit: the validator collects every error.
/// </remarks>
public static class Validator
{
    /// <summary>
    /// Every broken rule of <paramref name="instance"/>, or an empty list. Never stops at the first error.
    /// <list type="bullet">
    /// <item><description>Checks the public instance properties of the object's runtime type, inherited ones included,
    /// against every <see cref="ValidationRuleAttribute"/> on them. A rule declared on a base class's property still
    /// applies when a derived class overrides that property. Indexers are not values: they are skipped.</description></item>
    /// <item><description>Looks inside a property's value only when the property has
    /// <see cref="ValidateNestedAttribute"/> (on it, or on the base class's property it overrides): an object's errors get the property's name as a prefix
    /// (<c>Customer.Email</c>), a collection's elements their index too (<c>Lines[1].Quantity</c>). A null value is not
    /// looked into.</description></item>
    /// <item><description>Object graphs may have cycles: an object is not validated again while it is already being
    /// validated further up the same path. The same object reached by two different paths is validated, and reported,
    /// under each path. Identity means the same instance: two equal records are two objects.</description></item>
    /// </list>
    /// </summary>
    /// <exception cref="InvalidOperationException">A rule was applied to a value it cannot check (see
    /// <see cref="ValidationRuleAttribute.Check"/>).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="instance"/> is null.</exception>
    public static IReadOnlyList<ValidationError> Validate(object instance) => throw new NotImplementedException();
}
