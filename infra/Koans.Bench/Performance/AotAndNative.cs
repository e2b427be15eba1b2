extern alias Learner;
extern alias Reference;

using BenchmarkDotNet.Attributes;

namespace Koans.Bench.Performance;

/// <summary>
/// performance.aot-and-native: a JSON round trip of one StationReading (serialize, then deserialize), reflection-based
/// metadata (Naive) against source-generated metadata (Yours, Reference). The native calls are not benchmarked: a
/// [LibraryImport] stub and a [DllImport] one cost the same once the runtime has built the latter.
/// </summary>
[MemoryDiagnoser]
public class AotAndNativeBenchmarks
{
    private readonly Learner::Koans.Performance.AotAndNative.StationReading _learnerReading =
        new("Oslo-Blindern", new DateOnly(2024, 1, 15), -3.5, -11, ["ice", "wind"]);

    private readonly Reference::Koans.Performance.AotAndNative.StationReading _referenceReading =
        new("Oslo-Blindern", new DateOnly(2024, 1, 15), -3.5, -11, ["ice", "wind"]);

    [Benchmark(Baseline = true)]
    public double Naive()
    {
        var json = Learner::Koans.Performance.AotAndNative.NaiveReadingCodec.Serialize(_learnerReading);
        return Learner::Koans.Performance.AotAndNative.NaiveReadingCodec.Deserialize(json).HighCelsius;
    }

    [Benchmark]
    public double Yours()
    {
        var json = Learner::Koans.Performance.AotAndNative.ReadingCodec.Serialize(_learnerReading);
        return Learner::Koans.Performance.AotAndNative.ReadingCodec.Deserialize(json).HighCelsius;
    }

    [Benchmark]
    public double Reference()
    {
        var json = Reference::Koans.Performance.AotAndNative.ReadingCodec.Serialize(_referenceReading);
        return Reference::Koans.Performance.AotAndNative.ReadingCodec.Deserialize(json).HighCelsius;
    }
}
