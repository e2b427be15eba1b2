using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Koans.Concurrency.RetryWithBackoff;

/// <summary>
/// Provided: a <see cref="FakeTimeProvider"/> that reports every timer created on it (that is what
/// <c>Task.Delay(delay, timeProvider)</c> does). The test reads the next requested delay, checks it, and advances the
/// fake clock by exactly that much: no sleeping, no guessing when the code under test has started waiting.
/// </summary>
internal sealed class ObservableTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime); // after the timer exists, so Advance will fire it
        return timer;
    }

    /// <summary>Waits until the code under test starts a delay, advances the clock past it, returns its length.</summary>
    public async Task<TimeSpan> AdvanceThroughNextDelayAsync(CancellationToken cancellationToken)
    {
        var due = await _timers.Reader.ReadAsync(cancellationToken);
        Advance(due);
        return due;
    }

    public Task<TimeSpan> NextDelayAsync(CancellationToken cancellationToken) =>
        _timers.Reader.ReadAsync(cancellationToken).AsTask();
}

/// <summary>Provided fake operation: fails with the given exceptions in turn, then returns "ok". Counts attempts.</summary>
internal sealed class FlakyOperation(params Exception[] failures)
{
    public int Attempts { get; private set; }

    public Task<string> RunAsync(CancellationToken cancellationToken)
    {
        Attempts++;
        return Attempts <= failures.Length
            ? Task.FromException<string>(failures[Attempts - 1])
            : Task.FromResult("ok");
    }

    public static FlakyOperation FailingTimes(int n) =>
        new(Enumerable.Range(1, n).Select(i => (Exception)new TransientException($"attempt {i} failed")).ToArray());
}

public class RetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly Func<TimeSpan, TimeSpan> NoJitter = d => d;
    private static readonly RetryPolicy Policy = new(
        MaxAttempts: 5, BaseDelay: TimeSpan.FromSeconds(1), MaxDelay: TimeSpan.FromSeconds(10),
        MaxTotalDelay: TimeSpan.FromMinutes(1));

    [Fact]
    public void BackoffDelay_doubles_each_retry_and_is_capped()
    {
        var delays = Enumerable.Range(1, 6).Select(n => Retry.BackoffDelay(n, Policy, NoJitter).TotalSeconds);

        delays.Should().Equal([1, 2, 4, 8, 10, 10], "1 s doubling, capped at MaxDelay = 10 s");
        Retry.BackoffDelay(200, Policy, NoJitter).Should().Be(TimeSpan.FromSeconds(10),
            "2^199 seconds overflows a TimeSpan: cap before multiplying, or the 200th retry throws OverflowException");
    }

    [Fact]
    public void FullJitter_spreads_delays_over_zero_to_the_full_delay()
    {
        var jitter = Retry.FullJitter(new Random(1234));
        var delay = TimeSpan.FromSeconds(8);

        var samples = Enumerable.Range(0, 1000).Select(_ => jitter(delay)).ToArray();

        samples.Should().OnlyContain(d => d >= TimeSpan.Zero && d <= delay, "full jitter draws from [0, delay]");
        samples.Distinct().Count().Should().BeGreaterThan(900,
            "clients that fail together must not retry together: the delays have to differ");
        samples.Average(d => d.TotalSeconds).Should().BeInRange(3.5, 4.5, "uniform on [0, 8 s] averages 4 s");
    }

    [Fact]
    public async Task ExecuteAsync_retries_transient_failures_waiting_the_backoff_on_the_TimeProvider()
    {
        var time = new ObservableTimeProvider();
        var operation = FlakyOperation.FailingTimes(3);

        var running = Retry.ExecuteAsync(operation.RunAsync, Policy, NoJitter, time, Ct);
        var waited = new List<double>();
        for (var i = 0; i < 3; i++) waited.Add((await time.AdvanceThroughNextDelayAsync(Ct)).TotalSeconds);

        (await running).Should().Be("ok");
        operation.Attempts.Should().Be(4, "three failures, then the fourth attempt succeeded");
        waited.Should().Equal([1, 2, 4], "exponential backoff: each wait doubles, and every wait is a TimeProvider timer");
    }

    [Fact]
    public async Task ExecuteAsync_gives_up_after_MaxAttempts_with_the_last_failure()
    {
        var time = new ObservableTimeProvider();
        var operation = FlakyOperation.FailingTimes(10);

        var running = Retry.ExecuteAsync(operation.RunAsync, Policy, NoJitter, time, Ct);
        for (var i = 0; i < Policy.MaxAttempts - 1; i++) await time.AdvanceThroughNextDelayAsync(Ct);

        (await ((Func<Task>)(() => running)).Should().ThrowExactlyAsync<TransientException>(
            "after the budget is spent the caller must see the real failure, not a generic one"))
            .WithMessage("attempt 5 failed");
        operation.Attempts.Should().Be(5, "MaxAttempts counts the first attempt too: 1 try + 4 retries");
    }

    [Fact]
    public async Task ExecuteAsync_stops_when_the_next_wait_would_exceed_the_total_delay_budget()
    {
        var time = new ObservableTimeProvider();
        var operation = FlakyOperation.FailingTimes(10);
        var policy = Policy with { MaxTotalDelay = TimeSpan.FromSeconds(5) };

        var running = Retry.ExecuteAsync(operation.RunAsync, policy, NoJitter, time, Ct);
        await time.AdvanceThroughNextDelayAsync(Ct); // 1 s, total 1 s
        await time.AdvanceThroughNextDelayAsync(Ct); // 2 s, total 3 s; the next (4 s) would make 7 s > 5 s

        await ((Func<Task>)(() => running)).Should().ThrowExactlyAsync<TransientException>();
        operation.Attempts.Should().Be(3,
            "a time budget protects the caller's own deadline: a retry that cannot finish in time is wasted load");
    }

    [Fact]
    public async Task ExecuteAsync_still_waits_a_delay_that_uses_the_budget_exactly()
    {
        var time = new ObservableTimeProvider();
        var operation = FlakyOperation.FailingTimes(2);
        var policy = Policy with { MaxTotalDelay = TimeSpan.FromSeconds(3) };

        var running = Retry.ExecuteAsync(operation.RunAsync, policy, NoJitter, time, Ct);
        await time.AdvanceThroughNextDelayAsync(Ct); // 1 s, total 1 s
        await time.AdvanceThroughNextDelayAsync(Ct); // 2 s, total 3 s: exactly the budget, not beyond it

        (await running).Should().Be("ok", "the budget is the most a caller may wait; waiting exactly that much is allowed");
        operation.Attempts.Should().Be(3);
    }

    public static TheoryData<string, Action> NullArguments()
    {
        var time = new FakeTimeProvider();
        Func<CancellationToken, Task<string>> operation = _ => Task.FromResult("ok");
        return new()
        {
            { "BackoffDelay without a policy", () => Retry.BackoffDelay(1, null!, NoJitter) },
            { "BackoffDelay without a jitter", () => Retry.BackoffDelay(1, Policy, null!) },
            { "FullJitter without a Random", () => Retry.FullJitter(null!) },
            { "ExecuteAsync without an operation", () => Retry.ExecuteAsync<string>(null!, Policy, NoJitter, time, CancellationToken.None) },
            { "ExecuteAsync without a policy", () => Retry.ExecuteAsync(operation, null!, NoJitter, time, CancellationToken.None) },
            { "ExecuteAsync without a jitter", () => Retry.ExecuteAsync(operation, Policy, null!, time, CancellationToken.None) },
            { "ExecuteAsync without a TimeProvider", () => Retry.ExecuteAsync(operation, Policy, NoJitter, null!, CancellationToken.None) },
            { "BuildPipeline without a policy", () => Retry.BuildPipeline(null!, NoJitter, time) },
            { "BuildPipeline without a jitter", () => Retry.BuildPipeline(Policy, null!, time) },
            { "BuildPipeline without a TimeProvider", () => Retry.BuildPipeline(Policy, NoJitter, null!) },
        };
    }

    [Theory]
    [MemberData(nameof(NullArguments))]
    public void A_null_argument_throws_ArgumentNullException_at_the_call(string call, Action act) =>
        act.Should().Throw<ArgumentNullException>(
            $"{call} is a bug in the caller, and it must surface where it happens: not as a NullReferenceException later, " +
            "not inside a task nobody awaits, not when the first retry finally calls the jitter");

    [Fact]
    public async Task ExecuteAsync_does_not_retry_a_non_transient_failure()
    {
        var time = new ObservableTimeProvider();
        var operation = new FlakyOperation(new ArgumentException("400 Bad Request"));

        var act = () => Retry.ExecuteAsync(operation.RunAsync, Policy, NoJitter, time, Ct);

        await act.Should().ThrowExactlyAsync<ArgumentException>("a bad request stays bad: retrying it only adds load");
        operation.Attempts.Should().Be(1);
    }

    [Fact]
    public async Task Cancelling_during_a_backoff_wait_stops_retrying()
    {
        var time = new ObservableTimeProvider();
        var operation = FlakyOperation.FailingTimes(10);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var running = Retry.ExecuteAsync(operation.RunAsync, Policy, NoJitter, time, cts.Token);
        await time.NextDelayAsync(Ct);
        await cts.CancelAsync();

        await ((Func<Task>)(() => running)).Should().ThrowAsync<OperationCanceledException>(
            "the wait must take the token: Task.Delay(delay, time, token)");
        operation.Attempts.Should().Be(1, "no attempt after the caller cancelled");
    }

    [Fact]
    public async Task The_Polly_pipeline_applies_the_same_backoff_on_the_same_TimeProvider()
    {
        var time = new ObservableTimeProvider();
        var operation = FlakyOperation.FailingTimes(3);
        var pipeline = Retry.BuildPipeline(Policy, NoJitter, time);

        var running = pipeline.ExecuteAsync(async ct => await operation.RunAsync(ct), Ct).AsTask();
        var waited = new List<double>();
        for (var i = 0; i < 3; i++) waited.Add((await time.AdvanceThroughNextDelayAsync(Ct)).TotalSeconds);

        (await running).Should().Be("ok");
        waited.Should().Equal([1, 2, 4], "the builder's TimeProvider drives Polly's delays too");
        operation.Attempts.Should().Be(4);
    }

    [Fact]
    public async Task The_Polly_pipeline_gives_up_after_MaxAttempts_and_ignores_non_transient_failures()
    {
        var time = new ObservableTimeProvider();
        var pipeline = Retry.BuildPipeline(Policy with { MaxAttempts = 2 }, NoJitter, time);
        var flaky = FlakyOperation.FailingTimes(10);
        var bad = new FlakyOperation(new ArgumentException("400 Bad Request"));

        var running = pipeline.ExecuteAsync(async ct => await flaky.RunAsync(ct), Ct).AsTask();
        await time.AdvanceThroughNextDelayAsync(Ct);
        await ((Func<Task>)(() => running)).Should().ThrowExactlyAsync<TransientException>();
        flaky.Attempts.Should().Be(2, "MaxRetryAttempts = MaxAttempts - 1: Polly counts retries, not attempts");

        var act = async () => await pipeline.ExecuteAsync(async ct => await bad.RunAsync(ct), Ct);
        await act.Should().ThrowExactlyAsync<ArgumentException>("ShouldHandle must match only TransientException");
        bad.Attempts.Should().Be(1);
    }
}
