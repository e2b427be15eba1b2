extern alias Learner;
extern alias Reference;

using System.Text;
using BenchmarkDotNet.Attributes;

namespace Koans.Bench.Performance;

/// <summary>performance.span-parsing: sum a column of a 10 000-row CSV (about 190 KB of UTF-8).</summary>
[MemoryDiagnoser]
public class SpanParsingBenchmarks
{
    private byte[] _csv = [];

    [GlobalSetup]
    public void Setup() =>
        _csv = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(1, 10_000).Select(i => $"{i:D5},{i % 977},{-3 * i},item-{i}\r\n")));

    [Benchmark(Baseline = true)]
    public long Naive() => Learner::Koans.Performance.SpanParsing.NaiveSpanParsers.SumColumn(_csv, 1);

    [Benchmark]
    public long Yours() => Learner::Koans.Performance.SpanParsing.SpanParsers.SumColumn(_csv, 1);

    [Benchmark]
    public long Reference() => Reference::Koans.Performance.SpanParsing.SpanParsers.SumColumn(_csv, 1);
}
