using Koans.Testing;

namespace Koans.Concurrency.DataflowAndLocks;

public class AsyncLockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_second_caller_waits_until_the_holder_releases()
    {
        using var gate = new AsyncLock();

        var first = await gate.LockAsync(Ct);
        var second = gate.LockAsync(Ct);

        gate.IsHeld.Should().BeTrue();
        second.IsCompleted.Should().BeFalse("the lock has one holder; the second caller waits");
        first.Dispose();
        await using (await second)
        {
            gate.IsHeld.Should().BeTrue("the waiter took the lock the first holder gave back");
        }
        gate.IsHeld.Should().BeFalse("await using released it (DisposeAsync)");
    }

    [Fact]
    public async Task RunExclusiveAsync_lets_one_body_in_at_a_time_under_contention()
    {
        using var gate = new AsyncLock();
        int current = 0, peak = 0, runs = 0;

        var bodies = Enumerable.Range(0, 20).Select(i => Task.Run(() => gate.RunExclusiveAsync(async _ =>
        {
            var now = Interlocked.Increment(ref current);
            int seen;
            while (now > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen) { }
            await Task.Yield();
            Interlocked.Increment(ref runs);
            Interlocked.Decrement(ref current);
            return i;
        }, Ct), Ct));
        var results = await Task.WhenAll(bodies);

        peak.Should().Be(1, $"peak concurrency inside the lock was {peak}, expected 1");
        runs.Should().Be(20);
        results.Should().Equal(Enumerable.Range(0, 20), "each caller gets its own body's result");
        gate.IsHeld.Should().BeFalse();
    }

    [Fact]
    public async Task RunExclusiveAsync_releases_the_lock_when_the_body_throws()
    {
        using var gate = new AsyncLock();

        var act = () => gate.RunExclusiveAsync<int>(
            async _ => { await Task.Yield(); throw new InvalidOperationException("body failed"); }, Ct);

        await act.Should().ThrowExactlyAsync<InvalidOperationException>("the body's exception reaches the caller unchanged");
        gate.IsHeld.Should().BeFalse(
            "the lock is released in a finally: a body that throws must not keep the lock, or every later caller waits forever");
    }

    [Fact]
    public async Task A_cancelled_waiter_does_not_take_the_lock_even_when_it_is_released_at_the_same_moment()
    {
        using var gate = new AsyncLock();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var holder = await gate.LockAsync(Ct);

        var waiter = gate.LockAsync(cts.Token);
        await cts.CancelAsync();
        holder.Dispose(); // the release races the cancellation: the waiter may be granted the lock first

        var act = () => waiter;
        await act.Should().ThrowAsync<OperationCanceledException>(
            "the waiter's token was cancelled: it gets OperationCanceledException (pass the token to the wait), never " +
            "a releaser for a lock its caller no longer wants");
        gate.IsHeld.Should().BeFalse(
            "a cancelled waiter that was granted the lock in the same moment must give it back before throwing, " +
            "or the lock stays held by nobody and every later caller waits forever");
    }

    [Fact]
    public async Task A_caller_with_an_already_cancelled_token_does_not_take_a_free_lock()
    {
        using var gate = new AsyncLock();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await cts.CancelAsync();

        var act = () => gate.LockAsync(cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>("a cancelled caller must not start the protected work");
        gate.IsHeld.Should().BeFalse();
    }

    [Fact]
    public async Task Disposing_a_releaser_twice_releases_once()
    {
        using var gate = new AsyncLock();
        var releaser = await gate.LockAsync(Ct);

        releaser.Dispose();
        var secondDispose = () => releaser.Dispose();
        secondDispose.Should().NotThrow("Dispose must be idempotent (a using block plus an explicit Dispose is common)");
        await releaser.DisposeAsync();

        var first = await gate.LockAsync(Ct);
        var second = gate.LockAsync(Ct);
        second.IsCompleted.Should().BeFalse(
            "the extra Dispose calls released the lock again, so two callers got in at once");
        first.Dispose();
        (await second).Dispose();
    }

    [Fact]
    public async Task A_stale_releaser_does_not_release_the_next_holders_lock()
    {
        using var gate = new AsyncLock();
        var stale = await gate.LockAsync(Ct);
        stale.Dispose();
        var current = await gate.LockAsync(Ct);

        stale.Dispose(); // a late second Dispose, e.g. from a finally that also ran in a using
        var third = gate.LockAsync(Ct);

        third.IsCompleted.Should().BeFalse(
            "the stale releaser released the lock the current holder took: two holders at once. A releaser must " +
            "release at most once, however often it is disposed");
        gate.IsHeld.Should().BeTrue();
        current.Dispose();
        (await third).Dispose();
    }

    [Fact]
    public async Task RunExclusiveAsync_refuses_a_null_body_by_name()
    {
        using var gate = new AsyncLock();

        var act = () => gate.RunExclusiveAsync<int>(null!, Ct);

        (await act.Should().ThrowAsync<ArgumentNullException>()).And.ParamName.Should().Be("body");
        gate.IsHeld.Should().BeFalse("a refused call never takes the lock");
    }

    [Fact]
    public async Task The_lock_never_resumes_on_the_callers_synchronization_context()
    {
        // The callers are on a UI thread. Each call below starts on its context and has to wait for something.
        using var gate = new AsyncLock();
        var context = new CallerContext();
        var body = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var holder = context.Run(() => gate.RunExclusiveAsync(_ => body.Task, Ct)); // takes the lock, waits for its body
        var waiter = context.Run(() => gate.LockAsync(Ct)); // waits for the lock
        var queued = context.Run(() => gate.RunExclusiveAsync(_ => Task.FromResult(2), Ct)); // waits for the lock too
        new Task[] { holder, waiter, queued }.Should().OnlyContain(t => !t.IsCompleted, "one holder, two waiting");
        body.SetResult(1);
        (await holder.WaitAsync(Ct)).Should().Be(1);
        (await waiter.WaitAsync(Ct)).Dispose();
        (await queued.WaitAsync(Ct)).Should().Be(2);

        context.Posts.Should().Be(0,
            "library code must not resume on its caller's context, not after waiting for the lock and not after the " +
            "body: a UI thread that blocks on the task while the continuation waits for that thread deadlocks");
    }
}
