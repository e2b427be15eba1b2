extern alias Learner;
extern alias Reference;

using BenchmarkDotNet.Attributes;

namespace Koans.Bench.Performance;

/// <summary>performance.simd: the sum of 100 000 ints (400 KB, larger than L2 on small cores: memory speed shows too).</summary>
[MemoryDiagnoser]
public class SimdBenchmarks
{
    private int[] _values = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _values = Enumerable.Range(0, 100_000).Select(_ => random.Next()).ToArray();
    }

    [Benchmark(Baseline = true)]
    public long Naive() => Learner::Koans.Performance.Simd.NaiveVectorMath.Sum(_values);

    [Benchmark]
    public long Yours() => Learner::Koans.Performance.Simd.VectorMath.Sum(_values);

    [Benchmark]
    public long Reference() => Reference::Koans.Performance.Simd.VectorMath.Sum(_values);
}
