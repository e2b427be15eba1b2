extern alias Learner;
extern alias Reference;

using BenchmarkDotNet.Attributes;

namespace Koans.Bench.Performance;

/// <summary>performance.complexity: competition ranks of 2 000 shuffled scores (200 distinct), O(n²) against O(n log n).</summary>
[MemoryDiagnoser]
public class ComplexityBenchmarks
{
    private int[] _scores = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(8);
        _scores = Enumerable.Range(0, 2_000).Select(_ => random.Next(200)).ToArray();
    }

    [Benchmark(Baseline = true)]
    public int Naive() => Learner::Koans.Performance.Complexity.NaiveAlgorithms.CompetitionRanks(_scores, Comparer<int>.Default)[0];

    [Benchmark]
    public int Yours() => Learner::Koans.Performance.Complexity.Algorithms.CompetitionRanks(_scores, Comparer<int>.Default)[0];

    [Benchmark]
    public int Reference() => Reference::Koans.Performance.Complexity.Algorithms.CompetitionRanks(_scores, Comparer<int>.Default)[0];
}
