using System.Dynamic;
using System.Text.Json;

namespace Koans.Metaprogramming.Dynamic;

/// <summary>Reference solution for metaprogramming.dynamic (ExpandoObject half).</summary>
public static class JsonExpando
{
    public static ExpandoObject FromJson(string json)
    {
        using var document = JsonDocument.Parse(json, DynamicJson.ParseOptions);
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? (ExpandoObject)Convert(document.RootElement)!
            : throw new JsonException($"The root must be a JSON object to become an ExpandoObject, not {document.RootElement.ValueKind}.");
    }

    // ExpandoObject implements IDictionary<string, object?>, which System.Text.Json serializes as an object in
    // insertion order; nested expandos and lists serialize by their runtime type. Numbers use the invariant format.
    public static string ToJson(ExpandoObject value) => JsonSerializer.Serialize(value);

    // The recursion depth is bounded by the parser's MaxDepth (64): no input can make it overflow the stack.
    private static object? Convert(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var expando = new ExpandoObject();
                // The IDictionary view: member names that are not C# identifiers ("first-name") are fine here.
                IDictionary<string, object?> members = expando;
                foreach (var property in element.EnumerateObject())
                {
                    members.Add(property.Name, Convert(property.Value));
                }

                return expando;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(Convert).ToList();
            default:
                return DynamicJson.Scalar(element);
        }
    }
}
