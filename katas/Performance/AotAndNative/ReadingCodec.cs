using System.Text.Json;

namespace Koans.Performance.AotAndNative;

/// <summary>
/// Kata performance.aot-and-native, part 1: the <see cref="StationReading"/> JSON codec, made ready for trimming and
/// Native AOT.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="NaiveReadingCodec"/> works, until the application is published trimmed or ahead of time. The trimmer
/// removes members nothing references statically, and a serializer that discovers a type's properties by reflection at
/// run time references them only dynamically; Native AOT, in addition, cannot generate code at run time. The SDK ships
/// analyzers that say so at compile time: IL2026 (this call needs code the trimmer may remove) and IL3050 (this call
/// needs code generated at run time). A library marked <c>IsAotCompatible</c> must build with neither.
/// </para>
/// <para>
/// The standard: the tests compile this file (and any other non-test file you add to the kata) with those analyzers
/// switched on, as <c>IsAotCompatible</c> would, and require <b>zero</b> IL2026 and IL3050 warnings; the same check run
/// over <see cref="NaiveReadingCodec"/> finds both. The JSON must not change: exactly what the naive codec writes and
/// reads (camelCase names, names read in any case, the day as <c>"yyyy-MM-dd"</c>), so stored readings still load.
/// Do not silence the warnings (<c>[UnconditionalSuppressMessage]</c>, <c>#pragma</c>): remove their cause, so that
/// the work reflection did at run time is done at compile time.
/// </para>
/// </remarks>
public static class ReadingCodec
{
    /// <summary>Writes <paramref name="reading"/> as compact JSON (no whitespace), the same text the naive codec writes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="reading"/> is null.</exception>
    public static string Serialize(StationReading reading) => throw new NotImplementedException();

    /// <summary>Reads a reading as the naive codec does: camelCase names, matched in any case.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="JsonException">
    /// The text is not JSON, does not fit the record (a string where a number belongs, say), or is the JSON literal
    /// <c>null</c>: a caller of this method is promised a reading, never a null. Also for nesting deeper than the
    /// serializer's default limit of 64 levels: the input is untrusted, and the limit keeps hostile depth from costing
    /// stack.
    /// </exception>
    public static StationReading Deserialize(string json) => throw new NotImplementedException();
}
