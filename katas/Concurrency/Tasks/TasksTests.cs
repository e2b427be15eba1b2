namespace Koans.Concurrency.Tasks;

/// <summary>Counts how many fake jobs run at once (Interlocked, so the count is exact under any interleaving).</summary>
internal sealed class ConcurrencyProbe
{
    private int _current;
    private int _peak;

    public int Peak => Volatile.Read(ref _peak);

    public void Enter()
    {
        var now = Interlocked.Increment(ref _current);
        int seen;
        while (now > (seen = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
    }

    public void Exit() => Interlocked.Decrement(ref _current);
}

/// <summary>A fake job that records that it started and then waits until the test releases (or fails) it.</summary>
internal sealed class GatedJob(ConcurrencyProbe probe)
{
    private readonly TaskCompletionSource<int> _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool HasStarted => _started.Task.IsCompleted;
    public Task Started => _started.Task;

    public void Release(int result) => _gate.SetResult(result);
    public void Fail(Exception error) => _gate.SetException(error);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        probe.Enter();
        _started.TrySetResult();
        try { return await _gate.Task.WaitAsync(cancellationToken); }
        finally { probe.Exit(); }
    }

    public static (ConcurrencyProbe Probe, GatedJob[] Jobs, List<Func<CancellationToken, Task<int>>> Funcs) Make(int count)
    {
        var probe = new ConcurrencyProbe();
        var jobs = Enumerable.Range(0, count).Select(_ => new GatedJob(probe)).ToArray();
        return (probe, jobs, jobs.Select(j => (Func<CancellationToken, Task<int>>)j.RunAsync).ToList());
    }
}

public class TaskCombinatorsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAllAsync_starts_every_job_before_any_of_them_completes()
    {
        var (probe, jobs, funcs) = GatedJob.Make(3);

        var all = TaskCombinators.RunAllAsync(funcs, Ct);

        jobs.Count(j => j.HasStarted).Should().Be(3,
            "RunAllAsync must call every job before awaiting any: a Task is hot, awaiting one at a time serialises them");
        all.IsCompleted.Should().BeFalse("no job has been released yet");
        foreach (var (job, i) in jobs.Select((j, i) => (j, i))) job.Release(i * 10);
        (await all).Should().Equal([0, 10, 20]);
        probe.Peak.Should().Be(3, "all three jobs were in flight at once");
    }

    [Fact]
    public async Task RunAllAsync_returns_results_in_list_order_even_when_jobs_finish_in_reverse()
    {
        var (_, jobs, funcs) = GatedJob.Make(3);

        var all = TaskCombinators.RunAllAsync(funcs, Ct);
        jobs[2].Release(3);
        jobs[1].Release(2);
        jobs[0].Release(1);

        (await all).Should().Equal([1, 2, 3], "Task.WhenAll keeps the order of the tasks, not the order of completion");
    }

    [Fact]
    public async Task RunSequentiallyAsync_starts_each_job_only_after_the_previous_one_completed()
    {
        var (probe, jobs, funcs) = GatedJob.Make(3);

        var all = TaskCombinators.RunSequentiallyAsync(funcs, Ct);
        jobs[0].HasStarted.Should().BeTrue("the first job starts right away");
        jobs[1].HasStarted.Should().BeFalse("job 1 must wait for job 0: this is the sequential version");

        jobs[0].Release(1);
        await jobs[1].Started.WaitAsync(Ct);
        jobs[2].HasStarted.Should().BeFalse("job 2 must wait for job 1");
        jobs[1].Release(2);
        await jobs[2].Started.WaitAsync(Ct);
        jobs[2].Release(3);

        (await all).Should().Equal([1, 2, 3]);
        probe.Peak.Should().Be(1, $"peak concurrency was {probe.Peak}, expected 1 for sequential awaits");
    }

    [Fact]
    public async Task Awaiting_RunAllAsync_throws_the_first_failure_not_an_AggregateException()
    {
        var funcs = new List<Func<CancellationToken, Task<int>>>
        {
            _ => Task.FromResult(1),
            _ => Task.FromException<int>(new InvalidOperationException("job 1 failed")),
            _ => Task.FromException<int>(new ArgumentException("job 2 failed")),
        };

        var act = () => TaskCombinators.RunAllAsync(funcs, Ct);

        (await act.Should().ThrowExactlyAsync<InvalidOperationException>(
            "await unwraps the WhenAll task's AggregateException and rethrows its first inner exception"))
            .WithMessage("job 1 failed");
    }

    [Fact]
    public async Task RunAllReportingEveryFailureAsync_reports_every_failure_in_an_AggregateException()
    {
        var funcs = new List<Func<CancellationToken, Task<int>>>
        {
            _ => Task.FromException<int>(new InvalidOperationException("job 0 failed")),
            _ => Task.FromResult(1),
            _ => Task.FromException<int>(new ArgumentException("job 2 failed")),
        };

        var act = () => TaskCombinators.RunAllReportingEveryFailureAsync(funcs, Ct);

        var thrown = await act.Should().ThrowExactlyAsync<AggregateException>(
            "a plain await loses all but the first failure; the WhenAll task's Exception keeps them all");
        thrown.Which.InnerExceptions.Select(e => e.Message).Should().Equal(["job 0 failed", "job 2 failed"]);
    }

    [Fact]
    public async Task RunAllReportingEveryFailureAsync_waits_for_the_slow_jobs_even_after_one_failed()
    {
        var (_, jobs, funcs) = GatedJob.Make(2);

        var all = TaskCombinators.RunAllReportingEveryFailureAsync(funcs, Ct);
        jobs[0].Fail(new InvalidOperationException("fast failure"));
        await Task.Yield();
        all.IsCompleted.Should().BeFalse(
            "WhenAll completes only when every task has finished; a job still running is never abandoned");

        jobs[1].Fail(new TimeoutException("slow failure"));
        var thrown = await ((Func<Task>)(() => all)).Should().ThrowExactlyAsync<AggregateException>();
        thrown.Which.InnerExceptions.Should().HaveCount(2, "both jobs failed, and both failures must be reported");
    }

    [Fact]
    public async Task Every_combinator_refuses_a_null_job_list_by_name()
    {
        Func<Task>[] calls =
        [
            () => TaskCombinators.RunAllAsync(null!, Ct),
            () => TaskCombinators.RunSequentiallyAsync(null!, Ct),
            () => TaskCombinators.RunAllReportingEveryFailureAsync(null!, Ct),
        ];

        foreach (var call in calls)
        {
            await call.Should().ThrowAsync<ArgumentNullException>(
                "a null list is the caller's bug: name their argument, not LINQ's 'source' or a NullReferenceException")
                .WithParameterName("jobs");
        }
    }
}

public class CachedLookupTests
{
    private sealed class CountingSource
    {
        private int _calls;
        public int Calls => Volatile.Read(ref _calls);
        public TaskCompletionSource<int>? Gate { get; set; }
        public Exception? FailNext { get; set; }

        public Task<int> FetchAsync(string key)
        {
            Interlocked.Increment(ref _calls);
            if (FailNext is { } error) { FailNext = null; return Task.FromException<int>(error); }
            return Gate?.Task ?? Task.FromResult(key.Length);
        }
    }

    [Fact]
    public async Task A_cache_hit_completes_synchronously_without_fetching_again()
    {
        var source = new CountingSource();
        var lookup = new CachedLookup(source.FetchAsync);

        (await lookup.GetAsync("abc")).Should().Be(3);
        var hit = lookup.GetAsync("abc");

        hit.IsCompletedSuccessfully.Should().BeTrue(
            "a cached value needs no asynchrony: the ValueTask wraps the result itself, no Task allocated");
        (await hit).Should().Be(3);
        source.Calls.Should().Be(1, "the second call must be served from the cache");
    }

    [Fact]
    public async Task Concurrent_callers_share_one_in_flight_fetch()
    {
        var source = new CountingSource { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var lookup = new CachedLookup(source.FetchAsync);

        var first = lookup.GetAsync("key");
        var second = lookup.GetAsync("key");
        first.IsCompleted.Should().BeFalse("the fetch has not finished yet");
        source.Gate.SetResult(42);

        (await first).Should().Be(42);
        (await second).Should().Be(42, "the second caller awaits the same stored Task (a Task may be awaited many times)");
        source.Calls.Should().Be(1, "the in-flight fetch is shared: a stampede of callers must not each hit the source");
    }

    [Fact]
    public async Task A_failed_fetch_is_not_cached()
    {
        var source = new CountingSource { FailNext = new TimeoutException("source timed out") };
        var lookup = new CachedLookup(source.FetchAsync);

        var act = async () => await lookup.GetAsync("abcd");
        await act.Should().ThrowExactlyAsync<TimeoutException>("the caller must see the fetch's failure");

        (await lookup.GetAsync("abcd")).Should().Be(4, "a cached failure would poison the key forever");
        source.Calls.Should().Be(2, "the failure was evicted, so the second call fetched again");
    }

    [Fact]
    public void The_cache_refuses_a_null_fetch_when_it_is_built()
    {
        var act = () => new CachedLookup(null!);

        act.Should().ThrowExactly<ArgumentNullException>(
            "a cache without a source fails at construction, where the bug is, not at the first lookup far away")
            .WithParameterName("fetch");
    }
}
