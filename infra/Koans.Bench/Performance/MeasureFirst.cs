extern alias Learner;
extern alias Reference;

using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace Koans.Bench.Performance;

/// <summary>
/// performance.measure-first: what measuring costs. The provided invoice report over 400 lines, with no probe (the
/// baseline), with your probe, and with the reference probe: 1 200 stages measured per report.
/// </summary>
[MemoryDiagnoser]
public class MeasureFirstBenchmarks
{
    private string[] _lines = [];

    [GlobalSetup]
    public void Setup() =>
        _lines = Enumerable.Range(1, 400)
            .Select(i => string.Create(CultureInfo.InvariantCulture, $"INV{i:D5},{(i % 2 == 0 ? "DE" : "FR")},{i * 10.25m}"))
            .ToArray();

    [Benchmark(Baseline = true)]
    public string Naive() =>
        Learner::Koans.Performance.MeasureFirst.InvoiceReport.Render(_lines, new Learner::Koans.Performance.MeasureFirst.NoProbe());

    [Benchmark]
    public string Yours() =>
        Learner::Koans.Performance.MeasureFirst.InvoiceReport.Render(_lines, new Learner::Koans.Performance.MeasureFirst.AllocationProbe());

    [Benchmark]
    public string Reference() =>
        Reference::Koans.Performance.MeasureFirst.InvoiceReport.Render(_lines, new Reference::Koans.Performance.MeasureFirst.AllocationProbe());
}
