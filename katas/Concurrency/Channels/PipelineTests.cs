using System.Threading.Channels;
using Koans.Testing;

namespace Koans.Concurrency.Channels;

/// <summary>Provided instrumented source: counts how many items the producer has pulled, and signals each pull.</summary>
internal sealed class CountingSource(int count, int? failAfter = null)
{
    private readonly TaskCompletionSource[] _pulled =
        Enumerable.Range(0, count + 1).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();

    public int Pulled { get; private set; }

    /// <summary>Completes when the producer has pulled item number <paramref name="n"/> (1-based).</summary>
    public Task PulledItem(int n) => _pulled[n].Task;

    public IEnumerable<int> Items()
    {
        for (var i = 1; i <= count; i++)
        {
            if (failAfter is { } f && i > f) throw new InvalidOperationException("the source broke");
            Pulled = i;
            _pulled[i].TrySetResult();
            yield return i;
        }
    }
}

/// <summary>Provided instrumented consumer: records concurrency and waits on a gate the test opens.</summary>
internal sealed class GatedHandler(int signalAt)
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _current;
    private int _peak;
    private readonly List<int> _handled = [];

    public int Current => Volatile.Read(ref _current);
    public int Peak => Volatile.Read(ref _peak);
    public Task ReachedSignal => _reached.Task;
    public int[] Handled { get { lock (_handled) return [.. _handled]; } }
    public void Open() => _gate.TrySetResult();

    public async Task HandleAsync(int item, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _current);
        int seen;
        while (now > (seen = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
        if (now == signalAt) _reached.TrySetResult();
        lock (_handled) _handled.Add(item);
        try { await _gate.Task.WaitAsync(cancellationToken); }
        finally { Interlocked.Decrement(ref _current); }
    }
}

public class PipelineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_bounded_channel_refuses_writes_beyond_its_capacity()
    {
        var channel = Pipeline.CreateBounded(2);

        channel.Writer.TryWrite(1).Should().BeTrue();
        channel.Writer.TryWrite(2).Should().BeTrue();
        channel.Writer.TryWrite(3).Should().BeFalse("the channel holds at most 2 items; TryWrite reports full");
        channel.Writer.WriteAsync(3, Ct).IsCompleted.Should().BeFalse(
            "with BoundedChannelFullMode.Wait a write to a full channel waits for room (DropOldest etc. would lose data)");
    }

    [Fact]
    public async Task The_producer_waits_when_the_channel_is_full_and_resumes_when_a_consumer_takes_an_item()
    {
        var channel = Pipeline.CreateBounded(2);
        var source = new CountingSource(5);

        var producer = Pipeline.ProduceAsync(channel.Writer, source.Items(), Ct);

        producer.IsCompleted.Should().BeFalse("nobody reads, so the producer must be stuck, not done");
        channel.Reader.Count.Should().Be(2, "the channel is full at its capacity");
        source.Pulled.Should().Be(3,
            "the producer wrote 1 and 2, pulled 3 and is waiting for room: backpressure, not an ever-growing buffer");

        channel.Reader.TryRead(out var first).Should().BeTrue();
        first.Should().Be(1);
        await source.PulledItem(4).WaitAsync(Ct);
        channel.Reader.Count.Should().Be(2, "one slot freed, so exactly one more item (3) went in");
        source.Pulled.Should().Be(4, "and the producer is waiting again, with item 4");

        var rest = new List<int>();
        var drain = Task.Run(async () => { await foreach (var i in channel.Reader.ReadAllAsync(Ct)) rest.Add(i); }, Ct);
        await producer.WaitAsync(Ct);
        await drain.WaitAsync(Ct);
        rest.Should().Equal([2, 3, 4, 5], "the producer completes the writer, which ends the reader's loop");
    }

    [Fact]
    public async Task Several_consumers_handle_items_concurrently_and_each_item_once()
    {
        var channel = Channel.CreateUnbounded<int>();
        foreach (var i in Enumerable.Range(1, 9)) channel.Writer.TryWrite(i);
        channel.Writer.Complete();
        var handler = new GatedHandler(signalAt: 3);

        var consuming = Pipeline.ConsumeAsync(channel.Reader, 3, handler.HandleAsync, Ct);
        await handler.ReachedSignal.WaitAsync(Ct);
        handler.Current.Should().Be(3, "three consumers, each busy with one item");
        handler.Open();

        (await consuming).Should().Be(9);
        handler.Peak.Should().Be(3, $"peak concurrency was {handler.Peak}, expected exactly the 3 consumers");
        handler.Handled.Should().BeEquivalentTo(Enumerable.Range(1, 9),
            "a channel hands each item to exactly one reader: none lost, none duplicated");
    }

    [Fact]
    public async Task Consumers_finish_when_the_writer_completes_and_the_channel_is_drained()
    {
        var channel = Channel.CreateUnbounded<int>();
        var handled = 0;

        var consuming = Pipeline.ConsumeAsync(channel.Reader, 2,
            (_, _) => { Interlocked.Increment(ref handled); return Task.CompletedTask; }, Ct);
        consuming.IsCompleted.Should().BeFalse("the channel is empty but not completed: more items may come");
        await channel.Writer.WriteAsync(7, Ct);
        channel.Writer.Complete();

        (await consuming.WaitAsync(Ct)).Should().Be(1, "Complete() ends the consumers' loops after the last item");
        handled.Should().Be(1);
    }

    [Fact]
    public async Task A_producer_failure_reaches_the_consumers_through_the_channel()
    {
        var channel = Pipeline.CreateBounded(10);
        var source = new CountingSource(5, failAfter: 2);
        var handled = new List<int>();

        var producer = Pipeline.ProduceAsync(channel.Writer, source.Items(), Ct);
        var consuming = Pipeline.ConsumeAsync(channel.Reader, 1,
            (i, _) => { handled.Add(i); return Task.CompletedTask; }, Ct);

        await ((Func<Task>)(() => consuming)).Should().ThrowExactlyAsync<InvalidOperationException>(
            "Complete(exception) must carry the producer's failure to the readers; a plain Complete() would make " +
            "the consumers finish 'successfully' with half the data")
            .WithMessage("the source broke");
        handled.Should().Equal([1, 2], "the items written before the failure are still delivered");
        await ((Func<Task>)(() => producer)).Should().ThrowExactlyAsync<InvalidOperationException>(
            "the producer rethrows too, so whoever awaits it also learns of the failure");
    }

    [Fact]
    public async Task The_producer_refuses_a_null_writer_or_null_items_by_name()
    {
        var channel = Pipeline.CreateBounded(1);

        await ((Func<Task>)(() => Pipeline.ProduceAsync(null!, [1], Ct))).Should()
            .ThrowAsync<ArgumentNullException>("a null writer is the caller's bug: say which argument, not NullReferenceException")
            .WithParameterName("writer");
        await ((Func<Task>)(() => Pipeline.ProduceAsync(channel.Writer, null!, Ct))).Should()
            .ThrowAsync<ArgumentNullException>("null items are refused by name before anything is written")
            .WithParameterName("items");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task The_consumers_refuse_a_null_reader_a_null_handler_or_fewer_than_one_consumer(int consumers)
    {
        var channel = Channel.CreateUnbounded<int>();
        channel.Writer.Complete();
        Func<int, CancellationToken, Task> handle = (_, _) => Task.CompletedTask;

        await ((Func<Task>)(() => Pipeline.ConsumeAsync(null!, 1, handle, Ct))).Should()
            .ThrowAsync<ArgumentNullException>("a null reader is refused by name").WithParameterName("reader");
        await ((Func<Task>)(() => Pipeline.ConsumeAsync(channel.Reader, 1, null!, Ct))).Should()
            .ThrowAsync<ArgumentNullException>("a null handler is refused by name").WithParameterName("handle");
        await ((Func<Task>)(() => Pipeline.ConsumeAsync(channel.Reader, consumers, handle, Ct))).Should()
            .ThrowAsync<ArgumentOutOfRangeException>(
                $"{consumers} consumers would read nothing and report 0 items handled, hiding the caller's bug")
            .WithParameterName("consumers");
    }

    [Fact]
    public async Task The_producer_and_the_consumers_never_resume_on_the_callers_synchronization_context()
    {
        // The caller is a UI thread (or a classic ASP.NET request): its context runs one thing at a time.
        var context = new CallerContext();

        // The producer starts on it and must wait: the channel holds 1 item and nobody reads yet.
        var channel = Pipeline.CreateBounded(1);
        var producer = context.Run(() => Pipeline.ProduceAsync(channel.Writer, [1, 2], Ct));
        producer.IsCompleted.Should().BeFalse("item 2 waits for room in the full channel");
        var drained = new List<int>();
        await foreach (var item in channel.Reader.ReadAllAsync(Ct)) drained.Add(item);
        await producer.WaitAsync(Ct);
        drained.Should().Equal([1, 2]);
        context.Posts.Should().Be(0,
            "the producer is library code: after waiting for room it must not hop back to the caller's context " +
            "(each item would queue behind the UI's messages, and a caller blocking on the task would deadlock)");

        // Two consumers start on it: one gets item 1 and waits in its handler, the other waits for an item.
        var items = Channel.CreateUnbounded<int>();
        items.Writer.TryWrite(1);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consuming = context.Run(() => Pipeline.ConsumeAsync(items.Reader, 2, (_, _) => gate.Task, Ct));
        consuming.IsCompleted.Should().BeFalse("one consumer is in its handler, the other waits for an item");
        gate.SetResult();
        items.Writer.Complete();
        (await consuming.WaitAsync(Ct)).Should().Be(1);
        context.Posts.Should().Be(0,
            "neither the handler's await, nor the wait for the next item, nor the wait for all consumers may resume " +
            "on the caller's context: every await in library code opts out of it, including the one in await foreach");
    }
}
