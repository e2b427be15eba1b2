extern alias Learner;
extern alias Reference;

using BenchmarkDotNet.Attributes;

namespace Koans.Bench.Performance;

/// <summary>
/// performance.memoization: 1 000 hits on 100 cached keys, one thread. Naive is the Lazy-per-key memoizer with the
/// factory-capturing lambda written inline in Get (a delegate allocated per call, hits included).
/// </summary>
[MemoryDiagnoser]
public class MemoizationBenchmarks
{
    private readonly string[] _keys = Enumerable.Range(0, 100).Select(i => $"tenant-{i}").ToArray();
    private Learner::Koans.Performance.Memoization.NaiveLazyMemoizer<string, int> _naive = null!;
    private Learner::Koans.Performance.Memoization.Memoizer<string, int>? _yours;
    private Reference::Koans.Performance.Memoization.Memoizer<string, int> _reference = null!;

    [GlobalSetup]
    public void Setup()
    {
        _naive = new(key => key.Length);
        _reference = new(key => key.Length);
        try
        {
            _yours = new(key => key.Length);
        }
        catch (NotImplementedException)
        {
            _yours = null; // the unfinished stub: Yours() throws and is left out of the run
        }
    }

    [Benchmark(Baseline = true)]
    public int Naive()
    {
        var sum = 0;
        for (var i = 0; i < 1_000; i++)
        {
            sum += _naive.Get(_keys[i % _keys.Length]);
        }

        return sum;
    }

    [Benchmark]
    public int Yours()
    {
        var yours = _yours ?? throw new NotImplementedException();
        var sum = 0;
        for (var i = 0; i < 1_000; i++)
        {
            sum += yours.Get(_keys[i % _keys.Length]);
        }

        return sum;
    }

    [Benchmark]
    public int Reference()
    {
        var sum = 0;
        for (var i = 0; i < 1_000; i++)
        {
            sum += _reference.Get(_keys[i % _keys.Length]);
        }

        return sum;
    }
}
