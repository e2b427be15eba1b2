using Koans.Testing;

namespace Koans.Concurrency.Throttling;

/// <summary>
/// Provided instrumented fake: every job increments a shared in-flight counter (Interlocked), records the peak, and
/// waits on one gate the test opens. <see cref="Reached"/> completes when <c>signalAt</c> jobs are in flight at once.
/// </summary>
internal sealed class JobProbe(int signalAt)
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _current;
    private int _peak;
    private int _started;

    public int Current => Volatile.Read(ref _current);
    public int Peak => Volatile.Read(ref _peak);
    public int Started => Volatile.Read(ref _started);
    public Task Reached => _reached.Task;
    public void Open() => _gate.TrySetResult();

    public async Task<int> RunAsync(int result, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _started);
        var now = Interlocked.Increment(ref _current);
        int seen;
        while (now > (seen = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
        if (now >= signalAt) _reached.TrySetResult();
        try
        {
            await _gate.Task.WaitAsync(cancellationToken);
            return result;
        }
        finally { Interlocked.Decrement(ref _current); }
    }
}

public class ThrottleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<Func<CancellationToken, Task<int>>> Jobs(JobProbe probe, int n) =>
        Enumerable.Range(0, n).Select(i => (Func<CancellationToken, Task<int>>)(ct => probe.RunAsync(i, ct))).ToList();

    [Fact]
    public async Task The_semaphore_version_runs_exactly_K_jobs_at_once()
    {
        var probe = new JobProbe(signalAt: 3);

        var running = Throttle.RunWithSemaphoreAsync(Jobs(probe, 10), 3, Ct);
        await probe.Reached.WaitAsync(Ct);
        probe.Current.Should().Be(3, "three slots, three jobs in flight, the other seven waiting for a slot");
        probe.Open();

        (await running).Should().Equal(Enumerable.Range(0, 10), "results come back in list order");
        probe.Peak.Should().Be(3, $"peak concurrency was {probe.Peak}, expected at most 3");
        probe.Started.Should().Be(10);
    }

    [Fact]
    public async Task A_failing_job_gives_its_slot_back()
    {
        var ran = new List<int>();
        var jobs = Enumerable.Range(0, 4).Select(i => (Func<CancellationToken, Task<int>>)(async _ =>
        {
            await Task.Yield();
            lock (ran) ran.Add(i);
            if (i == 0) throw new InvalidOperationException("job 0 failed");
            return i;
        })).ToList();

        var act = () => Throttle.RunWithSemaphoreAsync(jobs, 1, Ct);

        await act.Should().ThrowExactlyAsync<InvalidOperationException>("the failure is reported after all jobs ran");
        ran.Should().BeEquivalentTo([0, 1, 2, 3],
            "Release() belongs in a finally: a failed job that keeps its slot starves every job after it");
    }

    [Fact]
    public void The_semaphore_version_rejects_a_limit_of_zero()
    {
        Action act = () => Throttle.RunWithSemaphoreAsync([], 0, Ct);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>("a limit of zero would never run anything");
    }

    [Fact]
    public async Task Parallel_ForEachAsync_runs_exactly_K_bodies_at_once()
    {
        var probe = new JobProbe(signalAt: 4);

        var running = Throttle.RunWithParallelForEachAsync(Enumerable.Range(0, 20), 4,
            async (i, ct) => await probe.RunAsync(i, ct), Ct);
        await probe.Reached.WaitAsync(Ct);
        probe.Current.Should().Be(4, "MaxDegreeOfParallelism = 4 allows four bodies in flight");
        probe.Open();
        await running.WaitAsync(Ct);

        probe.Peak.Should().Be(4, $"peak concurrency was {probe.Peak}, expected at most 4");
        probe.Started.Should().Be(20, "every item is processed");
    }

    [Fact]
    public async Task Parallel_ForEachAsync_reports_a_cancellation_that_happens_mid_loop()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var processed = 0;

        var act = () => Throttle.RunWithParallelForEachAsync(Enumerable.Range(0, 1000), 2, async (i, ct) =>
        {
            if (Interlocked.Increment(ref processed) == 5) cts.Cancel();
            await Task.Yield();
        }, cts.Token);

        // How many more items the workers take after the cancel is up to the scheduler (not asserted: it varies
        // under load); that the loop ends in OperationCanceledException rather than success is guaranteed.
        await act.Should().ThrowAsync<OperationCanceledException>(
            "the caller's token was cancelled mid-loop: pass it in ParallelOptions.CancellationToken, or the loop " +
            "reports success for work the caller abandoned");
    }

    [Fact]
    public async Task Parallel_ForEachAsync_runs_no_body_when_the_token_is_already_cancelled()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await cts.CancelAsync();
        var processed = 0;

        var act = () => Throttle.RunWithParallelForEachAsync(Enumerable.Range(0, 10), 2,
            (_, _) => { Interlocked.Increment(ref processed); return ValueTask.CompletedTask; }, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        processed.Should().Be(0, "a cancelled caller must not start any work");
    }

    [Fact]
    public void Parallel_ForEachAsync_version_rejects_a_negative_limit()
    {
        Action act = () => Throttle.RunWithParallelForEachAsync([1], -1, (_, _) => ValueTask.CompletedTask, Ct);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>(
            "-1 means 'unlimited' to ParallelOptions: exactly the unthrottled behaviour this method exists to prevent");
    }

    [Fact]
    public void Null_jobs_items_or_body_are_refused_at_the_call_by_name()
    {
        Action noJobs = () => Throttle.RunWithSemaphoreAsync(null!, 2, Ct);
        Action noItems = () => Throttle.RunWithParallelForEachAsync(null!, 2, (_, _) => ValueTask.CompletedTask, Ct);
        Action noBody = () => Throttle.RunWithParallelForEachAsync([1], 2, null!, Ct);

        noJobs.Should().ThrowExactly<ArgumentNullException>(
            "validated by the call itself, before any async work: a task that fails later hides where the bug is")
            .WithParameterName("jobs");
        noItems.Should().ThrowExactly<ArgumentNullException>(
            "the caller passed 'items'; an error about some library's 'source' sends them looking in the wrong place")
            .WithParameterName("items");
        noBody.Should().ThrowExactly<ArgumentNullException>("a null body is refused at the call")
            .WithParameterName("body");
    }

    [Fact]
    public async Task The_semaphore_version_never_resumes_on_the_callers_synchronization_context()
    {
        // The caller is a UI thread (or a classic ASP.NET request). One slot, two jobs that finish when the test says:
        // job 0 takes the slot and is awaited, job 1 waits for the slot, the whole run waits for both.
        var context = new CallerContext();
        var finish = new[]
        {
            new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously),
            new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        var jobs = Enumerable.Range(0, 2)
            .Select(i => (Func<CancellationToken, Task<int>>)(_ => finish[i].Task)).ToList();

        var running = context.Run(() => Throttle.RunWithSemaphoreAsync(jobs, 1, Ct));
        running.IsCompleted.Should().BeFalse("job 0 holds the only slot until the test finishes it");
        finish[0].SetResult(10);
        finish[1].SetResult(11);

        (await running.WaitAsync(Ct)).Should().Equal([10, 11]);
        context.Posts.Should().Be(0,
            "library code must not resume on its caller's context: not after waiting for a slot, not after a job, " +
            "not after Task.WhenAll (each hop queues behind the UI, and a caller blocking on the task deadlocks)");
    }
}
