namespace Koans.Performance.MeasureFirst;

/// <summary>
/// Kata performance.measure-first: before making anything faster, find out where the cost is. Build the probe
/// (tracemalloc's counterpart, with cProfile's call counts), then let it point at the hot spot of the provided
/// <see cref="InvoiceReport"/>.
/// </summary>
/// <remarks>
/// <para>Code wraps each stage it wants measured: <c>probe.Measure("parse", () =&gt; Parse(line))</c>. For every stage
/// name the probe records how many times it ran and how many bytes of managed heap the calling thread allocated while
/// it ran, read from the runtime's per-thread allocation counter (not the process-wide one: other threads' garbage is
/// not this stage's cost).</para>
/// <list type="bullet">
/// <item><description>Stages nest. <see cref="StageProfile.InclusiveBytes"/> is everything allocated during the stage,
/// nested stages included (cProfile's cumtime); <see cref="StageProfile.ExclusiveBytes"/> leaves out what the nested
/// stages allocated (cProfile's tottime). The hot spot is the stage with the most exclusive bytes.</description></item>
/// <item><description>The probe does not charge its own bookkeeping to any stage: a stage that allocates nothing shows
/// 0 bytes, on its first call as on every later one, however deeply nested.</description></item>
/// <item><description>A stage that throws is still counted (its call and the bytes up to the throw), the exception goes
/// on to the caller unchanged, and the next stage measured is not mistaken for its child.</description></item>
/// <item><description>One probe measures one thread at a time (it is not thread-safe).</description></item>
/// </list>
/// </remarks>
public sealed class AllocationProbe : IStageProbe
{
    /// <summary>Runs <paramref name="work"/> as the stage <paramref name="stage"/> and returns its result.</summary>
    /// <exception cref="ArgumentException"><paramref name="stage"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    public T Measure<T>(string stage, Func<T> work) => throw new NotImplementedException();

    /// <summary>Runs <paramref name="work"/> as the stage <paramref name="stage"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="stage"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    public void Measure(string stage, Action work) => throw new NotImplementedException();

    /// <summary>
    /// One entry per stage measured so far, the hot spot first: by <see cref="StageProfile.ExclusiveBytes"/> descending,
    /// ties by stage name (ordinal).
    /// </summary>
    public IReadOnlyList<StageProfile> Report() => throw new NotImplementedException();
}
