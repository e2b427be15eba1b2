namespace Koans.Performance.MeasureFirst;

public sealed class AllocationProbe : IStageProbe
{
    private readonly Dictionary<string, Totals> _stages = new(StringComparer.Ordinal);
    private Frame[] _open = new Frame[8];
    private int _depth;

    public T Measure<T>(string stage, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Begin(stage);
        try
        {
            return work();
        }
        finally
        {
            End();
        }
    }

    // Its own copy of the body, not a call to the generic overload through a wrapping lambda: that lambda would be an
    // allocation charged to the enclosing stage.
    public void Measure(string stage, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Begin(stage);
        try
        {
            work();
        }
        finally
        {
            End();
        }
    }

    public IReadOnlyList<StageProfile> Report() =>
        _stages.Select(s => new StageProfile(s.Key, s.Value.Calls, s.Value.Inclusive, s.Value.Exclusive))
            .OrderByDescending(s => s.ExclusiveBytes)
            .ThenBy(s => s.Stage, StringComparer.Ordinal)
            .ToList();

    // The calling thread's own allocation counter: exact, and blind to other threads (GC.GetTotalAllocatedBytes is
    // process-wide, and imprecise unless asked to be precise, which is expensive).
    private static long Allocated() => GC.GetAllocatedBytesForCurrentThread();

    private void Begin(string stage)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        var bookkeeping = Allocated();
        if (!_stages.TryGetValue(stage, out var totals))
        {
            totals = new Totals();
            _stages.Add(stage, totals);
        }

        if (_depth == _open.Length)
        {
            Array.Resize(ref _open, _open.Length * 2);
        }

        // What the bookkeeping above allocated (a new table entry, a bigger stack) is charged to no open stage.
        var overhead = Allocated() - bookkeeping;
        for (var i = 0; i < _depth; i++)
        {
            _open[i].Overhead += overhead;
        }

        _open[_depth++] = new Frame { Totals = totals, Start = Allocated() };
    }

    // Runs in a finally block: a stage that throws is closed and counted like any other, so the stack stays balanced.
    private void End()
    {
        var end = Allocated();
        ref var frame = ref _open[--_depth];
        var inclusive = end - frame.Start - frame.Overhead;
        frame.Totals!.Calls++;
        frame.Totals.Inclusive += inclusive;
        frame.Totals.Exclusive += inclusive - frame.Children;
        if (_depth > 0)
        {
            _open[_depth - 1].Children += inclusive;
        }

        frame = default;
    }

    private sealed class Totals
    {
        public int Calls;
        public long Inclusive;
        public long Exclusive;
    }

    private struct Frame
    {
        public Totals? Totals;
        public long Start;
        public long Children;
        public long Overhead;
    }
}
