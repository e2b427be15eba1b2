using System.Threading.Tasks.Dataflow;

namespace Koans.Concurrency.DataflowAndLocks;

/// <summary>
/// Kata concurrency.dataflow-and-locks, part 1: a TPL Dataflow pipeline with bounded capacity, a limit on parallelism
/// and completion that flows from the first block to the last.
/// </summary>
/// <remarks>
/// <para>The pipeline is one middle block that runs <c>transform</c> on every item, linked to a final
/// <c>sink</c> block the caller provides. Kata Channels built the same shape by hand from <c>Channel&lt;T&gt;</c>
/// and worker loops; Dataflow gives you blocks that own their buffer, their workers and their completion, and links
/// between them.</para>
/// <para>Three promises, each one a production incident when broken: <b>nothing is dropped</b> (a full block makes
/// the producer wait, it does not lose the item); <b>completion flows</b> (completing the input eventually completes
/// the sink, or whoever awaits the end waits forever); <b>a fault flows</b> (an exception in the middle block faults
/// the sink too, instead of being swallowed or stranding the end of the pipeline).</para>
/// <para>It is library code: a sender on a UI thread (or in a classic ASP.NET request) must not get its sending loop
/// resumed on that <see cref="SynchronizationContext"/> after waiting for room.</para>
/// </remarks>
public sealed class DataflowPipeline
{
    /// <summary>
    /// Builds the middle block (at most <paramref name="boundedCapacity"/> items inside it at once, counting queued,
    /// running and finished-but-not-yet-handed-on items; at most <paramref name="maxDegreeOfParallelism"/> calls of
    /// <paramref name="transform"/> at once; output in input order) and links it to <paramref name="sink"/> so that
    /// completion and faults reach the sink.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="transform"/> or <paramref name="sink"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative (Dataflow would read -1 as
    /// "unbounded", which is exactly what this pipeline exists to prevent).</exception>
    public DataflowPipeline(
        Func<int, Task<int>> transform, ITargetBlock<int> sink, int boundedCapacity, int maxDegreeOfParallelism) =>
        throw new NotImplementedException();

    /// <summary>The pipeline's first block (the middle block itself): where items enter.</summary>
    public ITargetBlock<int> Input => throw new NotImplementedException();

    /// <summary>Completes when the sink has completed; faults when the sink faulted.</summary>
    public Task Completion => throw new NotImplementedException();

    /// <summary>
    /// Offers every item to <see cref="Input"/> in order. When the pipeline is full, waits for room: never drops an
    /// item. Stops early if the input refuses an item for good (it faulted) or <paramref name="cancellationToken"/>
    /// is cancelled (<see cref="OperationCanceledException"/>). Whatever happens, completes the input afterwards, so
    /// the pipeline drains and <see cref="Completion"/> ends.
    /// </summary>
    /// <returns>How many items the input accepted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is null (thrown at the call).</exception>
    public Task<int> SendAllAsync(IEnumerable<int> items, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
