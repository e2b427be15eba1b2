using System.Text.Json;

namespace Koans.Security.Deserialization;

/// <summary>
/// Kata security.deserialization: receive polymorphic JSON (a <see cref="Drawing"/> of <see cref="Shape"/>s) so that
/// the sender chooses data, never types.
/// </summary>
/// <remarks>
/// <para>Deserializers that let the payload name a .NET type (BinaryFormatter, Json.NET with <c>TypeNameHandling</c>)
/// let an attacker construct any type the process can load and run its constructors and setters: that is remote code
/// execution with the right "gadget". System.Text.Json only creates the types you declare; polymorphism is opt-in, and
/// you list the derived types it may create.</para>
/// <para>The wire format: camelCase properties; a shape is an object whose first property is <c>"$type"</c>, one of
/// <c>circle</c> (<c>radius</c>), <c>square</c> (<c>side</c>) or <c>group</c> (<c>children</c>). Nothing else is a shape,
/// whatever subtypes of <see cref="Shape"/> exist. The rules: every constructor parameter is required and non-null;
/// a property the type does not have is an error (no silent over-posting); nesting is at most <see cref="MaxDepth"/>
/// levels; the input is at most <see cref="MaxBytes"/> bytes.</para>
/// <para>Anything refused, malformed or over a bound is a <see cref="JsonException"/>, and only that, for any bytes (a
/// shape without <c>"$type"</c> included: the serializer's own complaint about abstract types is not the documented
/// exception).</para>
/// </remarks>
public static class SafeJson
{
    /// <summary>The largest document accepted, in bytes.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The deepest JSON nesting accepted (objects and arrays).</summary>
    public const int MaxDepth = 16;

    /// <summary>The serializer options implementing the rules above (read-only, shareable across threads).</summary>
    public static JsonSerializerOptions Options => throw new NotImplementedException();

    /// <summary>Parses a drawing from UTF-8 JSON by the rules above.</summary>
    /// <exception cref="JsonException">Refused, malformed or over a bound.</exception>
    public static Drawing Deserialize(ReadOnlySpan<byte> utf8Json) => throw new NotImplementedException();
}
