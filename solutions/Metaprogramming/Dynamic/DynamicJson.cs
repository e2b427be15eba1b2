using System.Collections;
using System.Dynamic;
using System.Text.Json;

namespace Koans.Metaprogramming.Dynamic;

/// <summary>Reference solution for metaprogramming.dynamic.</summary>
public sealed class DynamicJson : DynamicObject
{
    // Untrusted input: the default depth limit (64) stays, and duplicate property names are an error (.NET 10).
    internal static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    private readonly JsonElement _element;
    private readonly string _path;

    private DynamicJson(JsonElement element, string path) => (_element, _path) = (element, path);

    public static dynamic? Parse(string json)
    {
        // Clone: the element no longer depends on the pooled buffers of the JsonDocument, which can then be disposed.
        using var document = JsonDocument.Parse(json, ParseOptions);
        return Wrap(document.RootElement.Clone(), "$");
    }

    public override bool TryGetMember(GetMemberBinder binder, out object? result)
    {
        result = Member(binder.Name);
        return true;
    }

    public override bool TryGetIndex(GetIndexBinder binder, object[] indexes, out object? result)
    {
        result = indexes switch
        {
            [string name] when _element.ValueKind == JsonValueKind.Object => Member(name),
            [int index] when _element.ValueKind == JsonValueKind.Array => Element(index),
            [string name] => throw new DynamicJsonException(_path, $"is {Describe(_element)}: a member name such as \"{name}\" needs an object."),
            [int index] => throw new DynamicJsonException(_path, $"is {Describe(_element)}: an index such as [{index}] needs an array."),
            _ => throw new DynamicJsonException(_path, "takes one index: a member name (object) or an int (array)."),
        };
        return true;
    }

    public override bool TrySetMember(SetMemberBinder binder, object? value) =>
        throw new NotSupportedException($"{_path}: the document is read-only; JsonExpando.FromJson gives a mutable copy.");

    public override bool TryConvert(ConvertBinder binder, out object? result)
    {
        if (_element.ValueKind == JsonValueKind.Array && binder.Type.IsAssignableFrom(typeof(IEnumerable<object?>)))
        {
            result = _element.EnumerateArray().Select((item, index) => Wrap(item, $"{_path}[{index}]")).ToList();
            return true;
        }

        // false: the runtime binder throws its own RuntimeBinderException ("Cannot convert type ..."), which is
        // the right error for a conversion the type does not offer.
        result = null;
        return false;
    }

    public override IEnumerable<string> GetDynamicMemberNames() =>
        _element.ValueKind == JsonValueKind.Object ? _element.EnumerateObject().Select(p => p.Name).ToList() : [];

    public override string ToString() => _element.GetRawText();

    internal static object? Wrap(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.Object or JsonValueKind.Array => new DynamicJson(element, path),
        _ => Scalar(element),
    };

    internal static object? Scalar(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        // TryGetInt64 only succeeds for integer literals that fit, so 1.5, 1e3 and 2^64 become doubles. Going through
        // double first would turn 9007199254740993 (2^53 + 1) into ...992. The casts to object matter: in
        // `cond ? aLong : aDouble` the long is converted to double, the very bug this avoids.
        JsonValueKind.Number => element.TryGetInt64(out var integer) ? (object)integer : (object)element.GetDouble(),
        _ => throw new JsonException($"Unexpected JSON value kind {element.ValueKind}."),
    };

    private object? Member(string name)
    {
        if (_element.ValueKind != JsonValueKind.Object)
        {
            throw new DynamicJsonException(_path, $"is {Describe(_element)}, so it has no member \"{name}\".");
        }

        var path = IsIdentifier(name) ? $"{_path}.{name}" : $"{_path}[\"{name}\"]";
        // TryGetProperty tells "absent" from "present and null": returning null for both hides typos.
        return _element.TryGetProperty(name, out var value)
            ? Wrap(value, path)
            : throw new DynamicJsonException(path,
                $"no such member. Members here: {string.Join(", ", _element.EnumerateObject().Select(p => p.Name))}.");
    }

    private object? Element(int index)
    {
        var length = _element.GetArrayLength();
        return index >= 0 && index < length
            ? Wrap(_element[index], $"{_path}[{index}]")
            : throw new DynamicJsonException($"{_path}[{index}]", $"index out of range: the array has {length} element(s).");
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        var kind => "a " + kind.ToString().ToLowerInvariant(),
    };

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');
}
