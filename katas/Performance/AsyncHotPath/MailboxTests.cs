using Koans.Testing;

namespace Koans.Performance.AsyncHotPath;

public class MailboxTests
{
    private const int Rounds = 1000;

    [Fact]
    public async Task Values_posted_before_the_receive_come_back_in_order_and_completed()
    {
        var mailbox = new Mailbox();
        mailbox.Post(1);
        mailbox.Post(2);
        mailbox.Post(3);
        foreach (var expected in new long[] { 1, 2, 3 })
        {
            var receive = mailbox.ReceiveAsync();
            receive.IsCompletedSuccessfully.Should().BeTrue("the value was already there");
            (await receive).Should().Be(expected, "a mailbox delivers in the order of posting");
        }

        mailbox.ReceiveAsync().IsCompleted.Should().BeFalse("the mailbox is empty now: the receive has to wait");
    }

    [Fact]
    public void A_post_then_receive_allocates_nothing()
    {
        var naive = new NaiveMailbox();
        Allocations.Measure(() => { naive.Post(7); return naive.ReceiveAsync().Result; }).Should().BeGreaterThan(0,
            "the budget must bite: Task.FromResult allocates a task for every value");

        var mailbox = new Mailbox();
        Allocations.Measure(() => { mailbox.Post(7); return mailbox.ReceiveAsync().Result; }).Should().Be(0,
            "a value that is already there fits in the ValueTask itself");
    }

    [Fact]
    public void A_waiting_receiver_runs_inside_Post_and_a_thousand_messages_allocate_nothing()
    {
        var naive = new NaiveMailbox();
        PingPong(() => new ValueTask<long>(naive.ReceiveAsync()), naive.Post).Should().BeGreaterThan(Rounds * 64,
            "the budget must bite: the naive mailbox allocates a TaskCompletionSource and its Task per message");

        var mailbox = new Mailbox();
        PingPong(mailbox.ReceiveAsync, mailbox.Post).Should().BeLessThan(Rounds,
            $"{Rounds} messages to a waiting consumer must not allocate per message: reset and reuse the one object " +
            "behind every receive's ValueTask");
    }

    [Fact]
    public async Task Awaiting_a_receive_again_after_taking_its_value_throws_instead_of_returning_another_message()
    {
        var mailbox = new Mailbox();
        var first = mailbox.ReceiveAsync();
        mailbox.Post(1);
        (await first).Should().Be(1);
        await FluentActions.Awaiting(async () => await first).Should().ThrowAsync<InvalidOperationException>(
            "the value was taken: the receive's object is free for the next receive, and its old task must say so");

        var second = mailbox.ReceiveAsync();
        mailbox.Post(2);
        (await second).Should().Be(2);

        await FluentActions.Awaiting(async () => await first).Should().ThrowAsync<InvalidOperationException>(
            "a ValueTask may be awaited once: the object behind the first receive now serves the second, and answering " +
            "2 (or 1 from a stale copy) would be a silent wrong answer");
    }

    [Fact]
    public async Task A_second_receive_before_the_first_was_awaited_is_refused()
    {
        var mailbox = new Mailbox();
        var first = mailbox.ReceiveAsync();
        FluentActions.Invoking(() => mailbox.ReceiveAsync()).Should().Throw<InvalidOperationException>(
            "one reusable object can serve one waiting receive: a second consumer would take over the first's task");
        mailbox.Post(5);
        FluentActions.Invoking(() => mailbox.ReceiveAsync()).Should().Throw<InvalidOperationException>(
            "the first receive has its value but nobody has taken it yet: its object is not free");
        mailbox.Post(6);
        (await first).Should().Be(5, "the second post must queue, not complete the first receive again");

        var queued = mailbox.ReceiveAsync();
        queued.IsCompletedSuccessfully.Should().BeTrue("6 was posted while nobody waited");
        (await queued).Should().Be(6);
        var next = mailbox.ReceiveAsync();
        next.IsCompleted.Should().BeFalse("the mailbox is empty: the next receive waits");
        mailbox.Post(7);
        (await next).Should().Be(7);
    }

    /// <summary>
    /// A consumer loop awaits receives; this thread posts to it. Each post must run the consumer up to its next await
    /// before returning (checked by the running sum), so the whole exchange happens on this thread and
    /// GetAllocatedBytesForCurrentThread sees every allocation. Returns the bytes of <see cref="Rounds"/> messages, after
    /// a warm-up (the consumer's state machine is boxed once, at its first wait).
    /// </summary>
    private static long PingPong(Func<ValueTask<long>> receive, Action<long> post)
    {
        long received = 0;
        var consumer = ConsumeAsync();
        for (var i = 0; i < 16; i++)
        {
            post(1);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            post(1);
        }

        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        received.Should().Be(16 + Rounds, "each Post runs the waiting consumer before it returns, so every value is already counted");
        post(-1);
        consumer.IsCompletedSuccessfully.Should().BeTrue("the consumer stops at -1, inside that Post");
        return bytes;

        async Task ConsumeAsync()
        {
            while (true)
            {
                // ConfigureAwait(false): continue right where the value is set, not on the test framework's context.
                var value = await receive().ConfigureAwait(false);
                if (value < 0)
                {
                    return;
                }

                received += value;
            }
        }
    }
}
