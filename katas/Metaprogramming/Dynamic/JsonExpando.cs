using System.Dynamic;

namespace Koans.Metaprogramming.Dynamic;

/// <summary>
/// JSON to and from <see cref="ExpandoObject"/>: the mutable, built-in dynamic bag (Python's <c>SimpleNamespace</c>,
/// or a dict you can write <c>obj.name = ...</c> on).
/// </summary>
public static class JsonExpando
{
    /// <summary>
    /// A mutable copy of the JSON object <paramref name="json"/>: each object an <see cref="ExpandoObject"/> with the
    /// members in document order, each array a <c>List&lt;object?&gt;</c>, at every depth (objects inside arrays
    /// included), and strings, numbers, booleans and null as <see cref="DynamicJson"/> returns them (<c>long</c> or
    /// <c>double</c> for numbers).
    /// </summary>
    /// <exception cref="System.Text.Json.JsonException">As for <see cref="DynamicJson.Parse"/>, and when the root is not
    /// an object.</exception>
    public static ExpandoObject FromJson(string json) => throw new NotImplementedException();

    /// <summary>
    /// Compact JSON (no white space) for <paramref name="value"/>: members in the order they were added, nested
    /// expandos as objects, lists as arrays, numbers in the invariant culture.
    /// </summary>
    public static string ToJson(ExpandoObject value) => throw new NotImplementedException();
}
