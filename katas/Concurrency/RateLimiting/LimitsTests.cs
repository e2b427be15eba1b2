using Koans.Testing;

namespace Koans.Concurrency.RateLimiting;

/// <summary>Provided fake work item: records that it started, then waits for the test to finish (or fail) it.</summary>
internal sealed class GatedWork
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool HasStarted => _started.Task.IsCompleted;
    public Task Started => _started.Task;
    public void Finish() => _gate.TrySetResult();
    public void Fail(Exception error) => _gate.TrySetException(error);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _started.TrySetResult();
        await _gate.Task.WaitAsync(cancellationToken);
    }
}

public class LimitsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_token_bucket_admits_a_burst_then_answers_429_with_Retry_After()
    {
        using var limiter = Limits.CreateTokenBucket(burst: 3, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(10));

        var answers = Enumerable.Range(0, 4).Select(_ => Limits.Admit(limiter)).ToArray();

        answers.Take(3).Should().OnlyContain(a => a.Admitted, "the bucket starts full: a burst of 3 is allowed");
        answers[3].StatusCode.Should().Be(429, "the fourth request finds the bucket empty");
        answers[3].RetryAfterSeconds.Should().Be(10,
            "the token bucket's refused lease says when the next token arrives (one period): send it as Retry-After");
    }

    [Fact]
    public void Retry_After_is_rounded_up_to_whole_seconds()
    {
        using var limiter = Limits.CreateTokenBucket(burst: 1, tokensPerPeriod: 1, period: TimeSpan.FromMilliseconds(1500));

        Limits.Admit(limiter).Admitted.Should().BeTrue();
        Limits.Admit(limiter).RetryAfterSeconds.Should().Be(2,
            "a client told '1' would come back after 1 s and be refused again; 1.5 s rounds up to 2");
    }

    [Fact]
    public void A_sliding_window_admits_its_limit_and_gives_no_invented_Retry_After()
    {
        using var limiter = Limits.CreateSlidingWindow(permitLimit: 2, window: TimeSpan.FromMinutes(1), segments: 6);

        Limits.Admit(limiter).Admitted.Should().BeTrue();
        Limits.Admit(limiter).Admitted.Should().BeTrue();
        var refused = Limits.Admit(limiter);

        refused.StatusCode.Should().Be(429, "two requests per window");
        refused.RetryAfterSeconds.Should().BeNull(
            "this limiter's refused lease carries no RetryAfter metadata; a made-up header is worse than none");
    }

    [Fact]
    public void Invalid_limiter_options_are_rejected()
    {
        var act = () => Limits.CreateTokenBucket(burst: 0, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(1));

        act.Should().Throw<ArgumentException>("a bucket that can never hold a token would refuse everything");
    }

    [Fact]
    public async Task The_concurrency_limiter_queues_oldest_first_and_refuses_beyond_the_queue()
    {
        using var limiter = Limits.CreateConcurrencyLimiter(permits: 1, queueLimit: 2);
        var works = Enumerable.Range(0, 3).Select(_ => new GatedWork()).ToArray();

        var running = works.Select(w => Limits.RunLimitedAsync(limiter, w.RunAsync, Ct)).ToArray();
        works.Select(w => w.HasStarted).Should().Equal([true, false, false], "one permit: one runs, two wait in the queue");
        var overflow = () => Limits.RunLimitedAsync(limiter, _ => Task.CompletedTask, Ct);
        await overflow.Should().ThrowExactlyAsync<RateLimitRejectedException>(
            "the queue holds two; a fourth request is refused at once instead of waiting without bound");

        works[0].Finish();
        await works[1].Started.WaitAsync(Ct);
        works[2].HasStarted.Should().BeFalse("the permit went to the oldest waiter only");
        works[1].Finish();
        await works[2].Started.WaitAsync(Ct);
        works[2].Finish();
        await Task.WhenAll(running).WaitAsync(Ct);
    }

    [Fact]
    public async Task A_failing_work_item_still_gives_its_permit_back()
    {
        using var limiter = Limits.CreateConcurrencyLimiter(permits: 1, queueLimit: 1);
        var failing = new GatedWork();
        var next = new GatedWork();

        var first = Limits.RunLimitedAsync(limiter, failing.RunAsync, Ct);
        var second = Limits.RunLimitedAsync(limiter, next.RunAsync, Ct);
        failing.Fail(new InvalidOperationException("boom"));

        await ((Func<Task>)(() => first)).Should().ThrowExactlyAsync<InvalidOperationException>();
        await next.Started.WaitAsync(Ct);
        next.Finish();
        await second.WaitAsync(Ct);
        limiter.GetStatistics()!.CurrentAvailablePermits.Should().Be(1,
            "every lease is disposed in a finally; a leaked lease is a permit lost forever");
    }

    [Fact]
    public async Task Cancelling_a_queued_request_frees_its_place_in_the_queue()
    {
        using var limiter = Limits.CreateConcurrencyLimiter(permits: 1, queueLimit: 1);
        var holder = new GatedWork();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = Limits.RunLimitedAsync(limiter, holder.RunAsync, Ct);
        var queued = Limits.RunLimitedAsync(limiter, _ => Task.CompletedTask, cts.Token);

        await cts.CancelAsync();
        await ((Func<Task>)(() => queued)).Should().ThrowAsync<OperationCanceledException>(
            "the caller gave up while waiting in the queue");
        var replacement = new GatedWork();
        var third = Limits.RunLimitedAsync(limiter, replacement.RunAsync, Ct);
        third.IsFaulted.Should().BeFalse("the cancelled request left the queue, so this one may wait there");

        holder.Finish();
        await replacement.Started.WaitAsync(Ct);
        replacement.Finish();
        await Task.WhenAll(running, third).WaitAsync(Ct);
    }

    [Fact]
    public void The_replenishing_limiters_run_no_background_timer()
    {
        using var bucket = Limits.CreateTokenBucket(burst: 2, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(1));
        using var window = Limits.CreateSlidingWindow(permitLimit: 2, window: TimeSpan.FromSeconds(1), segments: 2);

        bucket.IsAutoReplenishing.Should().BeFalse("AutoReplenishment = false: no timer refills it behind the tests' back");
        window.IsAutoReplenishing.Should().BeFalse("AutoReplenishment = false for the sliding window too");
    }

    [Fact]
    public async Task A_null_limiter_or_work_is_refused_by_name()
    {
        using var limiter = Limits.CreateConcurrencyLimiter(permits: 1, queueLimit: 0);

        var admitNothing = () => Limits.Admit(null!);
        admitNothing.Should().ThrowExactly<ArgumentNullException>("a missing limiter is the caller's bug")
            .WithParameterName("limiter");
        await ((Func<Task>)(() => Limits.RunLimitedAsync(null!, _ => Task.CompletedTask, Ct))).Should()
            .ThrowAsync<ArgumentNullException>("refused by name, not a NullReferenceException").WithParameterName("limiter");
        await ((Func<Task>)(() => Limits.RunLimitedAsync(limiter, null!, Ct))).Should()
            .ThrowAsync<ArgumentNullException>("refused by name before a permit is taken").WithParameterName("work");
        limiter.GetStatistics()!.CurrentAvailablePermits.Should().Be(1, "no permit was taken for work that does not exist");
    }

    [Fact]
    public async Task RunLimitedAsync_never_resumes_on_the_callers_synchronization_context()
    {
        // The callers are on a UI thread: the first runs its work (which waits for the test), the second waits for
        // the permit. Both start on the caller's context and have to wait.
        using var limiter = Limits.CreateConcurrencyLimiter(permits: 1, queueLimit: 1);
        var context = new CallerContext();
        var work = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var running = context.Run(() => Limits.RunLimitedAsync(limiter, _ => work.Task, Ct));
        var queued = context.Run(() => Limits.RunLimitedAsync(limiter, _ => Task.CompletedTask, Ct));
        new[] { running, queued }.Should().OnlyContain(t => !t.IsCompleted, "one runs, one waits for the permit");
        work.SetResult();
        await Task.WhenAll(running, queued).WaitAsync(Ct);

        context.Posts.Should().Be(0,
            "library code must not resume on its caller's context, after waiting for a permit or for the work: " +
            "a UI thread blocking on the task would deadlock");
    }
}
