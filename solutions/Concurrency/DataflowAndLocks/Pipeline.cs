using System.Threading.Tasks.Dataflow;

namespace Koans.Concurrency.DataflowAndLocks;

/// <summary>Reference: a bounded TransformBlock linked to the sink with completion propagation.</summary>
public sealed class DataflowPipeline
{
    // One link option for the whole pipeline: without it, Complete() and Fault() stop at the first block.
    private static readonly DataflowLinkOptions PropagateCompletion = new() { PropagateCompletion = true };

    private readonly TransformBlock<int, int> _middle;
    private readonly ITargetBlock<int> _sink;

    public DataflowPipeline(
        Func<int, Task<int>> transform, ITargetBlock<int> sink, int boundedCapacity, int maxDegreeOfParallelism)
    {
        // A null transform: the TransformBlock constructor below throws ArgumentNullException("transform") itself.
        ArgumentNullException.ThrowIfNull(sink);
        // DataflowBlockOptions.Unbounded is -1: reject it (and 0) instead of silently building an unbounded pipeline.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(boundedCapacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDegreeOfParallelism);

        _middle = new TransformBlock<int, int>(transform, new ExecutionDataflowBlockOptions
        {
            // Counts queued, running and not-yet-delivered items together: the block's whole memory footprint.
            BoundedCapacity = boundedCapacity,
            MaxDegreeOfParallelism = maxDegreeOfParallelism,
            EnsureOrdered = true, // the default, said out loud: parallel transforms still deliver in input order
        });
        _sink = sink;
        _middle.LinkTo(sink, PropagateCompletion);
    }

    public ITargetBlock<int> Input => _middle;

    public Task Completion => _sink.Completion;

    public Task<int> SendAllAsync(IEnumerable<int> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items); // eagerly, at the call
        return SendAllCoreAsync(items, cancellationToken);
    }

    private async Task<int> SendAllCoreAsync(IEnumerable<int> items, CancellationToken cancellationToken)
    {
        var accepted = 0;
        try
        {
            foreach (var item in items)
            {
                // SendAsync waits for room in a full block; Post would return false and the item would be lost.
                // False here means "declined for good": the block faulted (or was completed by someone else).
                if (!await _middle.SendAsync(item, cancellationToken).ConfigureAwait(false)) break;
                accepted++;
            }
        }
        finally
        {
            // Even after a cancellation or a faulted source, complete the input so the pipeline drains and ends.
            _middle.Complete();
        }
        return accepted;
    }
}
