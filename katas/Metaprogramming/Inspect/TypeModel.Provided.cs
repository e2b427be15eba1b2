namespace Koans.Metaprogramming.Inspect;

/// <summary>What kind of member a <see cref="MemberDescription"/> describes.</summary>
public enum MemberKind
{
    Field,
    Property,
    Method,
}

/// <summary>
/// Whether a member's value (a field's or property's value, a method's return value) may be null, as the compiler
/// recorded it.
/// </summary>
public enum Nullability
{
    /// <summary>Never null: a non-nullable value type, or a reference type annotated as not null.</summary>
    NotNull,

    /// <summary>May be null: <c>int?</c>, or a reference type annotated with <c>?</c>.</summary>
    Nullable,

    /// <summary>The code was compiled without nullable annotations (<c>#nullable disable</c>): nobody said.</summary>
    Unknown,
}

/// <summary>One field, property or method of a type.</summary>
/// <param name="Name">The member's name as written in C# (<c>Name</c>, <c>_id</c>, <c>Greet</c>).</param>
/// <param name="TypeName">The field's or property's type, or the method's return type, as
/// <see cref="TypeInspector.FriendlyName"/> writes it.</param>
/// <param name="DeclaringType">The friendly name of the class that declares the member (a base class for an
/// inherited member).</param>
public sealed record MemberDescription(
    string Name, MemberKind Kind, string TypeName, Nullability Nullability, bool IsPublic, bool IsStatic, string DeclaringType);

/// <summary>What <see cref="TypeInspector.Describe"/> finds out about a type.</summary>
/// <param name="Name">The type's friendly name (<see cref="TypeInspector.FriendlyName"/>).</param>
/// <param name="GenericArguments">Friendly names of the generic arguments (closed type) or of the type parameters
/// (open generic definition); empty for a non-generic type.</param>
/// <param name="Attributes">The names of the attribute types on the type (<c>ObsoleteAttribute</c>).</param>
public sealed record TypeDescription(
    string Name, IReadOnlyList<string> GenericArguments, IReadOnlyList<string> Attributes, IReadOnlyList<MemberDescription> Members)
{
    /// <summary>The member called <paramref name="name"/>; fails if there is not exactly one.</summary>
    public MemberDescription Member(string name) =>
        Members.Where(m => m.Name == name).ToList() switch
        {
            [var single] => single,
            [] => throw new InvalidOperationException($"{Name} has no member called {name}; it lists: {string.Join(", ", Members.Select(m => m.Name))}."),
            var several => throw new InvalidOperationException($"{Name} lists {several.Count} members called {name}; each member must appear once."),
        };
}

/// <summary>
/// Thrown when a member cannot be read, written or called by name: no such member, not public, read-only, or a value
/// or arguments that do not fit. The message names the type, the member and what was wrong.
/// </summary>
public sealed class MemberBindingException(string message) : Exception(message);
