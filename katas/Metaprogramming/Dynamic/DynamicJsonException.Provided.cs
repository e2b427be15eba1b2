namespace Koans.Metaprogramming.Dynamic;

/// <summary>
/// A dynamic access that the JSON document cannot answer: a missing member, an index out of range, a member asked of
/// an array, an index of the wrong kind. <see cref="Path"/> says where, in JSONPath-like notation: <c>$</c> is the
/// root, <c>.name</c> a member whose name is a C# identifier (a letter or <c>_</c>, then letters, digits or <c>_</c>),
/// <c>["first-name"]</c> any other member (the empty name too), <c>[2]</c> an array element (<c>$.user.nmae</c>,
/// <c>$.user["first nmae"]</c>, <c>$.items[5]</c>).
/// </summary>
public sealed class DynamicJsonException(string path, string message) : Exception($"{path}: {message}")
{
    public string Path => path;
}
