using System.Text.Json;
using System.Text.Json.Serialization;

namespace Koans.Performance.AotAndNative;

/// <summary>
/// The reference: System.Text.Json's source generator writes the (de)serialization code for <see cref="StationReading"/>
/// at compile time, so nothing is discovered by reflection and nothing is emitted at run time: no IL2026, no IL3050.
/// </summary>
public static class ReadingCodec
{
    public static string Serialize(StationReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        // The JsonTypeInfo<T> overload: the generated metadata, not a JsonSerializerOptions to reflect over.
        return JsonSerializer.Serialize(reading, ReadingJsonContext.Default.StationReading);
    }

    public static StationReading Deserialize(string json)
    {
        // A null json is rejected by the serializer itself (ArgumentNullException, parameter "json").
        return JsonSerializer.Deserialize(json, ReadingJsonContext.Default.StationReading)
            ?? throw new JsonException("A reading cannot be null.");
    }
}

// JsonSerializerDefaults.Web is what the naive codec used (camelCase names, case-insensitive reading, numbers allowed
// as strings): the generated options must be the same, or stored JSON stops loading.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StationReading))]
internal sealed partial class ReadingJsonContext : JsonSerializerContext;
