extern alias Learner;
extern alias Reference;

using BenchmarkDotNet.Attributes;

namespace Koans.Bench.Performance;

/// <summary>performance.collections: CountWords over 20 000 words, 10 000 distinct (each twice), ordinal comparer.</summary>
[MemoryDiagnoser]
public class CollectionsBenchmarks
{
    private string[] _words = [];

    [GlobalSetup]
    public void Setup() => _words = Enumerable.Range(0, 20_000).Select(i => $"word{i % 10_000}").ToArray();

    [Benchmark(Baseline = true)]
    public int Naive() => Learner::Koans.Performance.Collections.NaiveLookups.CountWords(_words, StringComparer.Ordinal).Count;

    [Benchmark]
    public int Yours() => Learner::Koans.Performance.Collections.Lookups.CountWords(_words, StringComparer.Ordinal).Count;

    [Benchmark]
    public int Reference() => Reference::Koans.Performance.Collections.Lookups.CountWords(_words, StringComparer.Ordinal).Count;
}
