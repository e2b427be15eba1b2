extern alias Learner;
extern alias Reference;

using BenchmarkDotNet.Attributes;

namespace Koans.Bench.Performance;

/// <summary>performance.strings: FormatPairs over 1 000 (id, name) pairs.</summary>
[MemoryDiagnoser]
public class StringsBenchmarks
{
    private (int Id, string Name)[] _pairs = [];

    [GlobalSetup]
    public void Setup() => _pairs = Enumerable.Range(-500, 1000).Select(i => (i * 7919, $"name{i}")).ToArray();

    [Benchmark(Baseline = true)]
    public string Naive() => Learner::Koans.Performance.Strings.NaiveTextBuilding.FormatPairs(_pairs);

    [Benchmark]
    public string Yours() => Learner::Koans.Performance.Strings.TextBuilding.FormatPairs(_pairs);

    [Benchmark]
    public string Reference() => Reference::Koans.Performance.Strings.TextBuilding.FormatPairs(_pairs);
}
