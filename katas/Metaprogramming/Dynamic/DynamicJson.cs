using System.Dynamic;

namespace Koans.Metaprogramming.Dynamic;

/// <summary>
/// Kata metaprogramming.dynamic: <c>doc.user.name</c> over parsed JSON, the way Python code writes
/// <c>doc["user"]["name"]</c> or wraps dicts in <c>SimpleNamespace</c>, and what <c>__getattr__</c> becomes in C#:
/// a <see cref="DynamicObject"/> that answers member and index lookups at run time.
/// </summary>
/// <remarks>
/// <para>What a lookup returns: a JSON object or array is another <see cref="DynamicJson"/>; a string is a
/// <see cref="string"/>; <c>true</c>/<c>false</c> a <see cref="bool"/>; <c>null</c> is null; a number is a
/// <see cref="long"/> when it is an integer that fits (all of its digits kept: 9007199254740993 stays exact) and a
/// <see cref="double"/> otherwise (<c>1.5</c>, <c>1e3</c>, 2^64).</para>
/// <para>What a lookup refuses, with a <see cref="DynamicJsonException"/> whose <c>Path</c> says where: a member the
/// object does not have (the message also lists the members it has: a typo must be easy to see), a member of an
/// array, an index out of range (no negative indexes), a number used on an object or a string used on an array. A member
/// that is present with the value <c>null</c> is not missing: it is null. Member names are case-sensitive, like JSON.</para>
/// <para>The document is read-only: assigning a member throws <see cref="NotSupportedException"/>
/// (<see cref="JsonExpando"/> gives a mutable copy).</para>
/// </remarks>
public sealed class DynamicJson : DynamicObject
{
    /// <summary>
    /// Parses <paramref name="json"/> and returns its root value as described above (a <see cref="DynamicJson"/> for
    /// an object or array). The input is untrusted: malformed JSON, trailing content, nesting deeper than 64 levels,
    /// or an object with the same property name twice (which parsers disagree about, so attackers use it to make two
    /// systems read one document differently) throw <see cref="System.Text.Json.JsonException"/>.
    /// </summary>
    public static dynamic? Parse(string json) => throw new NotImplementedException();

    /// <summary><c>doc.name</c>: the member's value, or <see cref="DynamicJsonException"/>.</summary>
    public override bool TryGetMember(GetMemberBinder binder, out object? result) => throw new NotImplementedException();

    /// <summary><c>doc["first-name"]</c> on an object (any key, even one that is not a C# identifier), <c>doc[2]</c> on
    /// an array; one index only. Otherwise <see cref="DynamicJsonException"/>.</summary>
    public override bool TryGetIndex(GetIndexBinder binder, object[] indexes, out object? result) => throw new NotImplementedException();

    /// <summary>Always <see cref="NotSupportedException"/>: the document is read-only.</summary>
    public override bool TrySetMember(SetMemberBinder binder, object? value) => throw new NotImplementedException();

    /// <summary>
    /// An array converts to <see cref="System.Collections.IEnumerable"/> (so <c>foreach (var item in doc.items)</c>
    /// works), its elements converted as lookups are. Any other conversion is not supported: return false and let the
    /// runtime binder report it.
    /// </summary>
    public override bool TryConvert(ConvertBinder binder, out object? result) => throw new NotImplementedException();

    /// <summary>An object's member names, in document order; none for an array. (Debuggers show these.)</summary>
    public override IEnumerable<string> GetDynamicMemberNames() => throw new NotImplementedException();
}
