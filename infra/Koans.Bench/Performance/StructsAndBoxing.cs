extern alias Learner;
extern alias Reference;

using BenchmarkDotNet.Attributes;
using NaiveSheetCell = Learner::Koans.Performance.StructsAndBoxing.NaiveSheetCell;
using ReferenceSheetCell = Reference::Koans.Performance.StructsAndBoxing.SheetCell;
using YourSheetCell = Learner::Koans.Performance.StructsAndBoxing.SheetCell;

namespace Koans.Bench.Performance;

/// <summary>
/// performance.structs-and-boxing: 400 lookups in a Dictionary keyed by the cells of one 20 x 20 sheet, a plain
/// struct key (boxed comparisons, every cell of the sheet hashed alike) against the record struct.
/// </summary>
[MemoryDiagnoser]
public class StructsAndBoxingBenchmarks
{
    private const int Side = 20;
    private Dictionary<NaiveSheetCell, int> _naive = [];
    private Dictionary<YourSheetCell, int>? _yours;
    private Dictionary<ReferenceSheetCell, int> _reference = [];

    [GlobalSetup]
    public void Setup()
    {
        _naive = Cells().ToDictionary(c => new NaiveSheetCell("Q1", c.Row, c.Column), c => c.Row);
        _reference = Cells().ToDictionary(c => new ReferenceSheetCell("Q1", c.Row, c.Column), c => c.Row);
        try
        {
            _yours = Cells().ToDictionary(c => new YourSheetCell("Q1", c.Row, c.Column), c => c.Row);
        }
        catch (NotImplementedException)
        {
            _yours = null; // the unfinished stub: Yours() throws and is left out of the run
        }
    }

    [Benchmark(Baseline = true)]
    public long Naive()
    {
        long sum = 0;
        foreach (var (row, column) in Cells())
        {
            sum += _naive[new NaiveSheetCell("Q1", row, column)];
        }

        return sum;
    }

    [Benchmark]
    public long Yours()
    {
        var yours = _yours ?? throw new NotImplementedException();
        long sum = 0;
        foreach (var (row, column) in Cells())
        {
            sum += yours[new YourSheetCell("Q1", row, column)];
        }

        return sum;
    }

    [Benchmark]
    public long Reference()
    {
        long sum = 0;
        foreach (var (row, column) in Cells())
        {
            sum += _reference[new ReferenceSheetCell("Q1", row, column)];
        }

        return sum;
    }

    private static IEnumerable<(int Row, int Column)> Cells()
    {
        for (var row = 0; row < Side; row++)
        {
            for (var column = 0; column < Side; column++)
            {
                yield return (row, column);
            }
        }
    }
}
