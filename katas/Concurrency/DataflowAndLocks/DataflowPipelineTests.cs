using System.Threading.Tasks.Dataflow;
using Koans.Testing;

namespace Koans.Concurrency.DataflowAndLocks;

/// <summary>
/// Provided final block: accepts every item at once and records it; completes (or faults) synchronously when told
/// to, so a test can look at <see cref="Completion"/> at a fixed point instead of waiting for it.
/// </summary>
internal sealed class RecordingSink : ITargetBlock<int>
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<int> _items = [];

    public int[] Items { get { lock (_items) return [.. _items]; } }
    public Task Completion => _completion.Task;
    public void Complete() => _completion.TrySetResult();
    public void Fault(Exception exception) => _completion.TrySetException(exception);

    public DataflowMessageStatus OfferMessage(
        DataflowMessageHeader messageHeader, int messageValue, ISourceBlock<int>? source, bool consumeToAccept)
    {
        if (_completion.Task.IsCompleted) return DataflowMessageStatus.DecliningPermanently;
        if (consumeToAccept)
        {
            messageValue = source!.ConsumeMessage(messageHeader, this, out var consumed);
            if (!consumed) return DataflowMessageStatus.NotAvailable;
        }
        lock (_items) _items.Add(messageValue);
        return DataflowMessageStatus.Accepted;
    }
}

/// <summary>
/// Provided instrumented transform: records current and peak concurrency (Interlocked); optionally waits on a gate the
/// test opens, and signals when the first call has started.
/// </summary>
internal sealed class TransformProbe(bool gated)
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _current;
    private int _peak;

    public int Peak => Volatile.Read(ref _peak);
    public Task FirstStarted => _firstStarted.Task;
    public void Open() => _gate.TrySetResult();

    public async Task<int> TimesTenAsync(int item)
    {
        var now = Interlocked.Increment(ref _current);
        int seen;
        while (now > (seen = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
        _firstStarted.TrySetResult();
        try
        {
            if (gated) await _gate.Task;
            // Give the scheduler real chances to start other calls while this one is in flight.
            for (var i = 0; i < 3; i++) await Task.Yield();
            return item * 10;
        }
        finally { Interlocked.Decrement(ref _current); }
    }
}

public class DataflowPipelineTests
{
    private static readonly TimeSpan PropagationGuard = TimeSpan.FromSeconds(10);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int[] TimesTen(int count) => Enumerable.Range(0, count).Select(i => i * 10).ToArray();

    /// <summary>
    /// Fixed-point checks instead of waiting: the input must already decline for good (completed or faulted), then,
    /// once the middle block has ended, the sink must be told (within a hang guard that fails by name).
    /// </summary>
    private static async Task<Exception?> EndOfPipelineAsync(DataflowPipeline pipeline, RecordingSink sink)
    {
        pipeline.Input.OfferMessage(new DataflowMessageHeader(long.MaxValue), -1, null, false)
            .Should().Be(DataflowMessageStatus.DecliningPermanently,
                "SendAllAsync completes the input when it stops sending, or the pipeline never drains");
        var middleFault = await Record.ExceptionAsync(() => pipeline.Input.Completion);
        // The middle block has ended. A link made with completion propagation passes Complete() or Fault() on to the
        // sink, in a continuation Dataflow queues to the thread pool (so there is no fixed point to look at: under
        // load it can run after this line). Without the link the sink never completes and whoever awaits the end
        // hangs forever; the bounded wait below is only a hang guard that fails by name.
        var told = await Record.ExceptionAsync(() => sink.Completion.WaitAsync(PropagationGuard, Ct)) is not TimeoutException;
        told.Should().BeTrue(
            "the middle block ended but the sink was never told: link the blocks so completion propagates");
        await Record.ExceptionAsync(() => pipeline.Completion);
        return middleFault;
    }

    [Fact]
    public async Task The_sender_waits_while_the_middle_block_is_full()
    {
        var probe = new TransformProbe(gated: true);
        var sink = new RecordingSink();
        var pipeline = new DataflowPipeline(probe.TimesTenAsync, sink, boundedCapacity: 2, maxDegreeOfParallelism: 1);

        var sending = pipeline.SendAllAsync(Enumerable.Range(0, 10), Ct);
        await probe.FirstStarted.WaitAsync(Ct);

        sending.IsCompleted.Should().BeFalse(
            "the middle block holds at most 2 items and its first call is stuck, so 8 items cannot have been " +
            "accepted yet: the sender must be waiting for room (await SendAsync), not finished");
        probe.Open();
        (await sending).Should().Be(10, "every item is accepted once the block makes room");
    }

    [Fact]
    public async Task No_item_is_dropped_when_the_middle_block_is_full()
    {
        var probe = new TransformProbe(gated: true);
        var sink = new RecordingSink();
        var pipeline = new DataflowPipeline(probe.TimesTenAsync, sink, boundedCapacity: 2, maxDegreeOfParallelism: 1);

        var sending = pipeline.SendAllAsync(Enumerable.Range(0, 10), Ct);
        await probe.FirstStarted.WaitAsync(Ct);
        probe.Open();
        await sending;
        await EndOfPipelineAsync(pipeline, sink);

        var dropped = 10 - sink.Items.Length;
        sink.Items.Should().Equal(TimesTen(10),
            $"{dropped} of 10 items were dropped: Post (and TryWrite-style offers) return false when a bounded block " +
            "is full and the item is simply lost; await SendAsync waits for room");
    }

    [Fact]
    public async Task Completing_the_input_completes_the_sink()
    {
        var sink = new RecordingSink();
        var pipeline = new DataflowPipeline(new TransformProbe(gated: false).TimesTenAsync, sink, 2, 2);

        (await pipeline.SendAllAsync(Enumerable.Range(0, 5), Ct)).Should().Be(5);
        (await EndOfPipelineAsync(pipeline, sink)).Should().BeNull("no item failed");

        pipeline.Completion.IsCompletedSuccessfully.Should().BeTrue("the final Completion is the sink's completion");
        sink.Items.Should().Equal(TimesTen(5), "output keeps input order");
    }

    [Fact]
    public async Task A_fault_in_the_middle_block_faults_the_final_completion()
    {
        var sink = new RecordingSink();
        var pipeline = new DataflowPipeline(
            async item =>
            {
                await Task.Yield();
                return item == 3 ? throw new InvalidOperationException("item 3 is poison") : item;
            },
            sink, boundedCapacity: 2, maxDegreeOfParallelism: 1);

        var accepted = await pipeline.SendAllAsync(Enumerable.Range(0, 10), Ct);
        var middleFault = await EndOfPipelineAsync(pipeline, sink);

        middleFault.Should().NotBeNull(
            "the transform threw on item 3: the middle block must fault, not swallow the exception and carry on");
        accepted.Should().BeLessThan(10, "a faulted block refuses items, and the sender stops sending");
        sink.Completion.IsFaulted.Should().BeTrue(
            "the middle block faulted: completion propagation carries Fault as well as Complete to the sink");
        var endFault = await Record.ExceptionAsync(() => pipeline.Completion);
        endFault.Should().NotBeNull("the final Completion reports the fault");
        var messages = (endFault is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : [endFault!])
            .Select(e => e.Message);
        messages.Should().Contain("item 3 is poison", "the original exception reaches the end of the pipeline");
        sink.Items.Should().NotContain(3, "the poison item produced no output");
    }

    [Fact]
    public async Task The_middle_block_runs_at_most_the_given_number_of_transforms_at_once()
    {
        var probe = new TransformProbe(gated: false);
        var sink = new RecordingSink();
        var pipeline = new DataflowPipeline(probe.TimesTenAsync, sink, boundedCapacity: 16, maxDegreeOfParallelism: 2);

        (await pipeline.SendAllAsync(Enumerable.Range(0, 64), Ct)).Should().Be(64);
        await EndOfPipelineAsync(pipeline, sink);

        probe.Peak.Should().BeInRange(1, 2,
            $"peak concurrency was {probe.Peak}, expected at most 2: the limit is the block's MaxDegreeOfParallelism");
        sink.Items.Should().Equal(TimesTen(64), "parallel transforms still hand on their output in input order");
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-1, 1)]
    [InlineData(2, 0)]
    [InlineData(2, -1)]
    public void The_pipeline_rejects_a_limit_that_is_zero_or_unbounded(int boundedCapacity, int maxDegreeOfParallelism)
    {
        var act = () => new DataflowPipeline(Task.FromResult, new RecordingSink(), boundedCapacity, maxDegreeOfParallelism);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>(
            "Dataflow reads -1 as 'unbounded': an unbounded buffer or unlimited parallelism is what this pipeline " +
            "exists to prevent, and 0 would never run anything");
    }

    [Fact]
    public void SendAllAsync_rejects_null_items_at_the_call()
    {
        var pipeline = new DataflowPipeline(Task.FromResult, new RecordingSink(), 1, 1);

        Action act = () => pipeline.SendAllAsync(null!, Ct);

        act.Should().ThrowExactly<ArgumentNullException>("argument errors are thrown at the call, not when awaited");
    }

    [Fact]
    public void The_pipeline_rejects_a_null_transform_or_sink_by_name()
    {
        var noTransform = () => new DataflowPipeline(null!, new RecordingSink(), 1, 1);
        var noSink = () => new DataflowPipeline(Task.FromResult, null!, 1, 1);

        noTransform.Should().ThrowExactly<ArgumentNullException>().WithParameterName("transform",
            "without the check, the null surfaces later, inside the block, as a fault nobody can trace back to the call");
        noSink.Should().ThrowExactly<ArgumentNullException>().WithParameterName("sink");
    }

    [Fact]
    public async Task Parallel_transforms_still_deliver_in_input_order()
    {
        // Four calls run at once; they finish in reverse order (4, 3, 2, 1). The stub promises input order.
        var gates = Enumerable.Range(0, 5).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var started = new CountdownEvent(4);
        async Task<int> ReverseFinish(int item)
        {
            started.Signal();
            await gates[item].Task;
            return item * 10;
        }

        var sink = new RecordingSink();
        var pipeline = new DataflowPipeline(ReverseFinish, sink, boundedCapacity: 4, maxDegreeOfParallelism: 4);
        var sending = pipeline.SendAllAsync([1, 2, 3, 4], Ct);
        started.Wait(TimeSpan.FromSeconds(10), Ct).Should().BeTrue("four items with parallelism 4 all start (hang guard)");
        for (var item = 4; item >= 1; item--)
        {
            gates[item].SetResult();
        }

        await sending;
        await EndOfPipelineAsync(pipeline, sink);
        sink.Items.Should().Equal([10, 20, 30, 40],
            "parallelism must not reorder the output: item 1 finished last but is delivered first (Dataflow's EnsureOrdered)");
    }

    [Fact]
    public async Task The_sender_never_resumes_on_the_callers_synchronization_context()
    {
        // The caller is a UI thread; the middle block holds one item and its first transform is stuck, so the send
        // that starts on the caller's context has to wait for room.
        var probe = new TransformProbe(gated: true);
        var sink = new RecordingSink();
        var pipeline = new DataflowPipeline(probe.TimesTenAsync, sink, boundedCapacity: 1, maxDegreeOfParallelism: 1);
        var context = new CallerContext();

        var sending = context.Run(() => pipeline.SendAllAsync(Enumerable.Range(0, 3), Ct));
        await probe.FirstStarted.WaitAsync(Ct);
        sending.IsCompleted.Should().BeFalse("the block is full: the sender waits for room");
        probe.Open();
        (await sending.WaitAsync(Ct)).Should().Be(3);
        await EndOfPipelineAsync(pipeline, sink);

        context.Posts.Should().Be(0,
            "after waiting for room the sender must not hop back to the caller's context: each item would queue " +
            "behind the UI's messages, and a UI thread blocking on the task would deadlock");
    }
}
