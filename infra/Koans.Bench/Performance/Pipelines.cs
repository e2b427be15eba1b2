extern alias Learner;
extern alias Reference;

using System.Buffers.Binary;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;

namespace Koans.Bench.Performance;

/// <summary>
/// performance.pipelines: 1 000 length-prefixed frames of 32 to 38 bytes from memory, a Stream read into new arrays
/// against a PipeReader whose payloads are slices of its buffer. The methods return the Task (BenchmarkDotNet awaits it).
/// </summary>
[MemoryDiagnoser]
public class PipelinesBenchmarks
{
    private byte[] _frames = [];

    [GlobalSetup]
    public void Setup()
    {
        var frames = new MemoryStream();
        for (var i = 0; i < 1000; i++)
        {
            var frame = new byte[4 + 32 + (i % 7)];
            BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length - 4);
            frames.Write(frame);
        }

        _frames = frames.ToArray();
    }

    [Benchmark(Baseline = true)]
    public Task<int> Naive() =>
        Learner::Koans.Performance.Pipelines.NaiveProtocolReader.ReadFramesAsync(new MemoryStream(_frames), static _ => { }, CancellationToken.None);

    [Benchmark]
    public Task<int> Yours() =>
        Learner::Koans.Performance.Pipelines.ProtocolReader.ReadFramesAsync(PipeReader.Create(new MemoryStream(_frames)), static _ => { }, CancellationToken.None);

    [Benchmark]
    public Task<int> Reference() =>
        Reference::Koans.Performance.Pipelines.ProtocolReader.ReadFramesAsync(PipeReader.Create(new MemoryStream(_frames)), static _ => { }, CancellationToken.None);
}
