namespace Koans.Concurrency.TaskCompletionSource;

public class AsyncAutoResetEventTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Each_Set_releases_exactly_one_waiter_oldest_first()
    {
        var signal = new AsyncAutoResetEvent();
        var waiters = Enumerable.Range(0, 3).Select(_ => signal.WaitAsync(Ct)).ToArray();

        waiters.Should().OnlyContain(w => !w.IsCompleted, "nobody has called Set yet");
        signal.Set();
        waiters.Select(w => w.IsCompleted).Should().Equal([true, false, false],
            "one Set releases one waiter, and the first to wait is the first released (FIFO)");
        signal.Set();
        waiters.Select(w => w.IsCompleted).Should().Equal([true, true, false]);
    }

    [Fact]
    public void A_Set_with_nobody_waiting_is_remembered_for_one_waiter()
    {
        var signal = new AsyncAutoResetEvent();

        signal.Set();
        signal.Set();
        var first = signal.WaitAsync(Ct);
        var second = signal.WaitAsync(Ct);

        first.IsCompletedSuccessfully.Should().BeTrue("the event was signalled, so the first wait completes at once");
        second.IsCompleted.Should().BeFalse(
            "auto-reset: the first wait consumed the signal; two Sets with no waiters are one signal, not a counter");
    }

    [Fact]
    public void The_initial_state_can_be_signalled()
    {
        var signal = new AsyncAutoResetEvent(initialState: true);

        signal.WaitAsync(Ct).IsCompletedSuccessfully.Should().BeTrue("the event starts signalled");
        signal.WaitAsync(Ct).IsCompleted.Should().BeFalse("and resets after one waiter");
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue_without_swallowing_a_Set()
    {
        var signal = new AsyncAutoResetEvent();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var cancelled = signal.WaitAsync(cts.Token);
        var patient = signal.WaitAsync(Ct);

        await cts.CancelAsync();
        await ((Func<Task>)(() => cancelled)).Should().ThrowAsync<OperationCanceledException>();
        signal.Set();

        patient.IsCompleted.Should().BeTrue(
            "the Set went to a waiter that had already given up: a cancelled waiter must not consume a signal");
    }

    [Fact]
    public async Task Released_waiters_continue_asynchronously_not_inside_Set()
    {
        var signal = new AsyncAutoResetEvent();
        var insideSet = -1;
        var ranInline = signal.WaitAsync(Ct).ContinueWith(
            _ => Volatile.Read(ref insideSet) == Environment.CurrentManagedThreadId,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        Volatile.Write(ref insideSet, Environment.CurrentManagedThreadId);
        signal.Set();
        Volatile.Write(ref insideSet, -1);

        (await ranInline).Should().BeFalse(
            "the waiter's continuation ran inside Set: use RunContinuationsAsynchronously so a Set under a lock " +
            "cannot run arbitrary code (and deadlock) while holding it");
    }

    [Fact]
    public async Task A_wait_with_an_already_cancelled_token_is_cancelled_and_leaves_the_signal()
    {
        var signal = new AsyncAutoResetEvent(initialState: true);

        var gaveUp = signal.WaitAsync(new CancellationToken(canceled: true));

        gaveUp.IsCanceled.Should().BeTrue("the caller had given up before asking: the answer is a cancelled task");
        await ((Func<Task>)(() => gaveUp)).Should().ThrowAsync<OperationCanceledException>();
        signal.WaitAsync(Ct).IsCompletedSuccessfully.Should().BeTrue(
            "the signal is still there for the next waiter: a caller who gave up must not consume it");
    }
}
