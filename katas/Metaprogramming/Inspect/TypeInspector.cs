namespace Koans.Metaprogramming.Inspect;

/// <summary>
/// Kata metaprogramming.inspect: what Python's <c>inspect</c>, <c>dir()</c>, <c>getattr</c> and <c>setattr</c> become in
/// C#. Describe a type from its metadata, then read, write and call its members by name.
/// </summary>
/// <remarks>
/// <para>In Python every attribute is a dictionary entry you can list and poke. In .NET a type's shape is metadata:
/// members have visibility, are declared on one class of the hierarchy, and carry annotations the compiler wrote for
/// you (nullability, backing fields, accessor methods). Reading that metadata correctly is the lesson; each classic
/// misreading has a test.</para>
/// </remarks>
public static class TypeInspector
{
    /// <summary>
    /// A readable name for <paramref name="type"/>, without namespaces: <c>String</c>, <c>Int32[]</c>;
    /// generic types with their arguments in angle brackets, separated by ", ", recursively
    /// (<c>Dictionary&lt;String, List&lt;Int32&gt;&gt;</c>); an open generic definition with its type parameters
    /// (<c>Dictionary&lt;TKey, TValue&gt;</c>); a nullable value type as <c>Int32?</c>. Never the metadata name with
    /// its arity (<c>List`1</c>).
    /// </summary>
    public static string FriendlyName(Type type) => throw new NotImplementedException();

    /// <summary>
    /// Describes <paramref name="type"/>:
    /// <list type="bullet">
    /// <item><description>its friendly name and its generic arguments (or type parameters, for an open definition);</description></item>
    /// <item><description>the names of its attributes, including those inherited from base classes when the
    /// attribute's usage allows inheritance, and not the others;</description></item>
    /// <item><description>every field, property and method, public or not, static or instance, declared on the type or on
    /// any base class up to (not including) <see cref="object"/>. A private member of a base class is still part of
    /// the object, and is listed with that base class as its declaring type;</description></item>
    /// <item><description>each member once: a member that a more derived class redeclares (an override, or a <c>new</c>
    /// member with the same name and parameter types) is listed from the most derived declaration only, the one
    /// <c>getattr</c> would find;</description></item>
    /// <item><description>only what the programmer wrote: no constructors, no property accessor methods, no
    /// compiler-generated members such as auto-property backing fields;</description></item>
    /// <item><description>for each member, the nullability of its value (a method's: its return value) as the compiler
    /// recorded it: annotated code gives <see cref="Nullability.NotNull"/> or <see cref="Nullability.Nullable"/>
    /// whichever way the file's default was set; code compiled without annotations gives
    /// <see cref="Nullability.Unknown"/> for reference types.</description></item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> is null.</exception>
    public static TypeDescription Describe(Type type) => throw new NotImplementedException();

    /// <summary>
    /// <c>getattr(target, name)</c>: the value of the public instance property or field called <paramref name="name"/>
    /// (exact case, as C# is case-sensitive).
    /// </summary>
    /// <exception cref="MemberBindingException">No public instance property or field of that name (a private member
    /// counts as missing: binding by name is part of a type's public surface). The message names the type and the
    /// member.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is null.</exception>
    public static object? GetValue(object target, string name) => throw new NotImplementedException();

    /// <summary>
    /// <c>setattr(target, name, value)</c> for the public instance property or field called <paramref name="name"/>.
    /// No conversion: <paramref name="value"/> must already be of the member's type.
    /// </summary>
    /// <exception cref="MemberBindingException">
    /// No such public member; a property without a public setter; a readonly field; a value of the wrong type; or null
    /// for a member that cannot be null (a non-nullable value type, or a reference annotated as not null). Reflection
    /// lets several of these through silently; this method must not. The message names the type, the member and the
    /// reason.
    /// </exception>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is null.</exception>
    public static void SetValue(object target, string name, object? value) => throw new NotImplementedException();

    /// <summary>
    /// Calls the public instance method called <paramref name="name"/> whose parameters accept
    /// <paramref name="arguments"/> (same count; each argument an instance of its parameter's type, or null for a
    /// parameter that accepts null), choosing among overloads by the arguments' runtime types, and returns its result
    /// (null for a void method). No optional or <c>params</c> parameters.
    /// </summary>
    /// <exception cref="MemberBindingException">No method of that name, or no overload (or more than one) that fits the
    /// arguments. The message names the type, the method and the arguments' types (a null argument as <c>null</c>),
    /// and says which case it is, in these words: "no public method" of that name, "no overload" accepts the arguments
    /// (listing the candidates' parameter types), or "more than one" overload accepts them.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is null.</exception>
    /// <remarks>An exception thrown by the method itself reaches the caller as it was thrown: the same exception
    /// object, of its own type, with the stack trace that shows where it was thrown.</remarks>
    public static object? Invoke(object target, string name, params object?[] arguments) => throw new NotImplementedException();
}
