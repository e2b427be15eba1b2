namespace Koans.Metaprogramming.ExpressionTrees;

/// <summary>
/// Kata metaprogramming.expression-trees, part 1: property getters and setters compiled once from expression trees, so
/// each call costs a delegate invocation instead of a reflection call.
/// </summary>
/// <remarks>
/// <para>Python's <c>getattr(obj, "age")</c> looks the attribute up on every call. <c>PropertyInfo.GetValue</c> is the
/// same in C#: a lookup and, for a value type, a boxed result on every call. Build the access once as code, compile it
/// to a delegate, and reuse the delegate: after that a read of an <c>int</c> property allocates nothing.</para>
/// <para>Only public instance properties are found, by their exact (case-sensitive) name. Indexers are not
/// properties for this purpose. A property that a derived class hides with <c>new</c> (a <c>Dog</c> whose
/// <c>string Level</c> hides <c>Animal</c>'s <c>int Level</c>) is found as its most derived declaration: the one C#
/// code means by <c>dog.Level</c>.</para>
/// <para>Every <see cref="ArgumentException"/> here names the argument at fault: its <c>ParamName</c> is
/// <c>propertyName</c>, so a caller's log says which argument to fix.</para>
/// </remarks>
public static class PropertyAccessors
{
    /// <summary>
    /// A delegate that reads the public instance property <paramref name="propertyName"/> of a <typeparamref name="T"/>.
    /// <typeparamref name="TValue"/> is the property's type or a type it converts to by a reference or boxing conversion
    /// (an <c>int</c> property may be read as <c>object</c>).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="propertyName"/> is null.</exception>
    /// <exception cref="ArgumentException">There is no such readable property (a property whose getter is not public
    /// is not readable here: C# code outside the type could not read it either), or its type does not convert to
    /// <typeparamref name="TValue"/>.</exception>
    public static Func<T, TValue> CompileGetter<T, TValue>(string propertyName) => throw new NotImplementedException();

    /// <summary>
    /// A delegate that writes the public instance property <paramref name="propertyName"/> of a
    /// <typeparamref name="T"/>. <typeparamref name="TValue"/> is exactly the property's type.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="propertyName"/> is null.</exception>
    /// <exception cref="ArgumentException">There is no such property, it has no public setter, or its type is not
    /// <typeparamref name="TValue"/>.</exception>
    public static Action<T, TValue> CompileSetter<T, TValue>(string propertyName) where T : class =>
        throw new NotImplementedException();
}
