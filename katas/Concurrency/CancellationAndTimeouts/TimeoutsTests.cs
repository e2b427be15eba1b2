using Microsoft.Extensions.Time.Testing;

namespace Koans.Concurrency.CancellationAndTimeouts;

/// <summary>A fake slow call: records the token it was given and completes only when the test says so.</summary>
internal sealed class FakeSlowCall
{
    private readonly TaskCompletionSource<string> _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationToken SeenToken { get; private set; }
    public int Calls { get; private set; }

    public Task<string> RunAsync(CancellationToken cancellationToken)
    {
        Calls++;
        SeenToken = cancellationToken;
        return _gate.Task.WaitAsync(cancellationToken);
    }

    public Task<string> Uncancellable => _gate.Task;
    public void Complete(string result) => _gate.SetResult(result);
}

public class TimeoutsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FetchWithTimeout_returns_the_result_when_the_work_finishes_in_time()
    {
        var time = new FakeTimeProvider();
        var call = new FakeSlowCall();

        var fetch = Timeouts.FetchWithTimeoutAsync(call.RunAsync, Timeout, time, Ct);
        time.Advance(Timeout - TimeSpan.FromTicks(1));
        fetch.IsCompleted.Should().BeFalse("one tick before the timeout nothing may fire yet");
        call.Complete("report");

        (await fetch).Should().Be("report");
        call.SeenToken.IsCancellationRequested.Should().BeFalse("the work finished in time: nobody cancelled it");
    }

    [Fact]
    public async Task FetchWithTimeout_throws_TimeoutException_and_cancels_the_work_when_time_runs_out()
    {
        var time = new FakeTimeProvider();
        var call = new FakeSlowCall();

        var fetch = Timeouts.FetchWithTimeoutAsync(call.RunAsync, Timeout, time, Ct);
        time.Advance(Timeout);

        await ((Func<Task>)(() => fetch)).Should().ThrowExactlyAsync<TimeoutException>(
            "the caller did not cancel: a timeout must surface as a TimeoutException, not an OperationCanceledException");
        call.SeenToken.IsCancellationRequested.Should().BeTrue(
            "the timeout must cancel the work's token; otherwise the work runs on, unobserved, after the caller gave up");
    }

    [Fact]
    public async Task FetchWithTimeout_measures_the_timeout_from_the_start_on_the_TimeProvider()
    {
        var time = new FakeTimeProvider();
        var call = new FakeSlowCall();

        var fetch = Timeouts.FetchWithTimeoutAsync(call.RunAsync, Timeout, time, Ct);
        for (var second = 1; second < 5; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            fetch.IsCompleted.Should().BeFalse($"after {second} s of fake time the 5 s timeout has not elapsed");
        }
        time.Advance(TimeSpan.FromSeconds(1));

        await ((Func<Task>)(() => fetch)).Should().ThrowExactlyAsync<TimeoutException>(
            "five fake seconds have passed since the call: the timer must live on the given TimeProvider");
        call.Calls.Should().Be(1, "a timeout is not a retry: the work was started once");
    }

    [Fact]
    public async Task FetchWithTimeout_lets_the_callers_cancellation_through_as_OperationCanceledException()
    {
        var time = new FakeTimeProvider();
        var call = new FakeSlowCall();
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var fetch = Timeouts.FetchWithTimeoutAsync(call.RunAsync, Timeout, time, caller.Token);
        call.SeenToken.Should().NotBe(caller.Token,
            "the work needs a linked token that also fires on timeout, not just the caller's token");
        await caller.CancelAsync();

        await ((Func<Task>)(() => fetch)).Should().ThrowAsync<OperationCanceledException>(
            "the caller cancelled: that is not a timeout, and must not be reported as one");
        call.SeenToken.IsCancellationRequested.Should().BeTrue("the caller's cancellation flows through the linked token");
    }

    [Fact]
    public async Task FetchWithTimeout_reports_the_callers_cancellation_even_when_the_deadline_also_passed()
    {
        // A call that notices cancellation late: by the time it gives up, the caller has cancelled and the deadline
        // has passed as well. The caller asked to stop, so the caller gets a cancellation, not a TimeoutException.
        var time = new FakeTimeProvider();
        var late = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = CancellationToken.None;
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var fetch = Timeouts.FetchWithTimeoutAsync(token => { seen = token; return late.Task; }, Timeout, time, caller.Token);
        await caller.CancelAsync();
        time.Advance(Timeout);
        late.SetCanceled(seen);

        await ((Func<Task>)(() => fetch)).Should().ThrowAsync<OperationCanceledException>(
            "when both fired, the caller's own cancellation wins: reporting a timeout to a caller who cancelled misleads its retry logic");
    }

    [Fact]
    public async Task WaitWithTimeout_gives_up_waiting_but_does_not_stop_the_work()
    {
        var time = new FakeTimeProvider();
        var call = new FakeSlowCall();

        var wait = Timeouts.WaitWithTimeoutAsync(call.Uncancellable, Timeout, time, Ct);
        time.Advance(Timeout);

        await ((Func<Task>)(() => wait)).Should().ThrowExactlyAsync<TimeoutException>(
            "WaitAsync(timeout, timeProvider) throws TimeoutException when the fake clock passes the timeout");
        call.Uncancellable.IsCompleted.Should().BeFalse(
            "WaitAsync abandons the wait, not the work: a task without a token cannot be cancelled");
    }

    [Fact]
    public async Task WaitWithTimeout_returns_the_result_of_a_task_that_finishes_in_time()
    {
        var time = new FakeTimeProvider();
        var call = new FakeSlowCall();

        var wait = Timeouts.WaitWithTimeoutAsync(call.Uncancellable, Timeout, time, Ct);
        call.Complete("done");

        (await wait).Should().Be("done");
    }

    [Fact]
    public async Task ProcessAll_passes_the_token_down_and_stops_before_the_next_item_after_cancellation()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var seen = new List<(string Item, bool CanBeCanceled)>();

        Task Process(string item, CancellationToken token)
        {
            seen.Add((item, token.CanBeCanceled));
            if (item == "b") cts.Cancel(); // the user presses Cancel while "b" is being processed
            return Task.CompletedTask;
        }

        var act = () => Timeouts.ProcessAllAsync(["a", "b", "c", "d"], Process, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>("a cancelled loop must not report success");
        seen.Select(s => s.Item).Should().Equal(["a", "b"],
            "after cancellation the loop must check the token before starting the next item");
        seen.Should().OnlyContain(s => s.CanBeCanceled,
            "every call must get the caller's token: a forgotten token (default) can never be cancelled");
    }

    [Fact]
    public async Task ProcessAll_returns_the_count_when_nobody_cancels()
    {
        var count = await Timeouts.ProcessAllAsync(["a", "b", "c"], (_, _) => Task.CompletedTask, Ct);

        count.Should().Be(3);
    }

    [Fact]
    public async Task FetchWithTimeout_refuses_a_null_fetch_or_clock_by_name()
    {
        var time = new FakeTimeProvider();
        var call = new FakeSlowCall();

        await ((Func<Task>)(() => Timeouts.FetchWithTimeoutAsync(null!, Timeout, time, Ct))).Should()
            .ThrowAsync<ArgumentNullException>("calling a null fetch would be a NullReferenceException deep inside")
            .WithParameterName("fetch");
        await ((Func<Task>)(() => Timeouts.FetchWithTimeoutAsync(call.RunAsync, Timeout, null!, Ct))).Should()
            .ThrowAsync<ArgumentNullException>("the caller passed 'time'; an error naming 'timeProvider' is not theirs")
            .WithParameterName("time");
        call.Calls.Should().Be(0, "nothing starts when the arguments are refused");
    }

    [Fact]
    public async Task WaitWithTimeout_refuses_a_null_task_or_clock_by_name()
    {
        var call = new FakeSlowCall();

        await ((Func<Task>)(() => Timeouts.WaitWithTimeoutAsync(null!, Timeout, new FakeTimeProvider(), Ct))).Should()
            .ThrowAsync<ArgumentNullException>("there is no task to wait for").WithParameterName("uncancellable");
        await ((Func<Task>)(() => Timeouts.WaitWithTimeoutAsync(call.Uncancellable, Timeout, null!, Ct))).Should()
            .ThrowAsync<ArgumentNullException>("the caller passed 'time'; an error naming 'timeProvider' is not theirs")
            .WithParameterName("time");
    }

    [Fact]
    public async Task ProcessAll_refuses_null_items_or_a_null_process_by_name()
    {
        await ((Func<Task>)(() => Timeouts.ProcessAllAsync(null!, (_, _) => Task.CompletedTask, Ct))).Should()
            .ThrowAsync<ArgumentNullException>("null items are the caller's bug, refused by name").WithParameterName("items");
        await ((Func<Task>)(() => Timeouts.ProcessAllAsync(["a"], null!, Ct))).Should()
            .ThrowAsync<ArgumentNullException>("a null process is refused by name, not a NullReferenceException at the first item")
            .WithParameterName("process");
    }
}
