extern alias Learner;
extern alias Reference;

using System.Buffers;
using BenchmarkDotNet.Attributes;

namespace Koans.Bench.Performance;

/// <summary>performance.array-pool: CountByte over a 256 KB in-memory stream, a new buffer per call against a pooled one.</summary>
[MemoryDiagnoser]
public class ArrayPoolBenchmarks
{
    private MemoryStream _stream = new();

    [GlobalSetup]
    public void Setup()
    {
        var data = new byte[256 * 1024];
        new Random(5).NextBytes(data);
        _stream = new MemoryStream(data);
    }

    [Benchmark(Baseline = true)]
    public long Naive()
    {
        _stream.Position = 0;
        return Learner::Koans.Performance.ArrayPool.NaivePooledStreams.CountByte(_stream, 7);
    }

    [Benchmark]
    public long Yours()
    {
        _stream.Position = 0;
        return Learner::Koans.Performance.ArrayPool.PooledStreams.CountByte(_stream, 7, ArrayPool<byte>.Shared);
    }

    [Benchmark]
    public long Reference()
    {
        _stream.Position = 0;
        return Reference::Koans.Performance.ArrayPool.PooledStreams.CountByte(_stream, 7, ArrayPool<byte>.Shared);
    }
}
