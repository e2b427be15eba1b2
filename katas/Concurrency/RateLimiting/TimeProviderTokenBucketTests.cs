using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;

namespace Koans.Concurrency.RateLimiting;

/// <summary>
/// Provided: a FakeTimeProvider whose timers never fire by themselves, like a real timer running late on a busy
/// machine, and which records whether each timer it made was disposed.
/// </summary>
internal sealed class LateTimerProvider : FakeTimeProvider
{
    private readonly List<LateTimer> _timers = [];

    public LateTimer[] Timers { get { lock (_timers) return [.. _timers]; } }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new LateTimer();
        lock (_timers) _timers.Add(timer);
        return timer;
    }

    internal sealed class LateTimer : ITimer
    {
        public bool Disposed { get; private set; }
        public bool Change(TimeSpan dueTime, TimeSpan period) => !Disposed;
        public void Dispose() => Disposed = true;
        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// Part two: a token bucket on a <see cref="TimeProvider"/>. Every refill here is driven by FakeTimeProvider.Advance,
/// so each answer is exact; nothing waits for real time. (The built-in limiters read the real clock, even in
/// TryReplenish, which is why part one could not test a refill at all.)
/// </summary>
public class TimeProviderTokenBucketTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TimeSpan? RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null;

    private static int Available(RateLimiter limiter) => (int)limiter.GetStatistics()!.CurrentAvailablePermits;

    [Fact]
    public void A_full_bucket_admits_a_burst_up_to_capacity_then_refuses_with_an_exact_Retry_After()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimeProviderTokenBucket(capacity: 3, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(10), queueLimit: 0, time);

        var leases = Enumerable.Range(0, 3).Select(_ => bucket.AttemptAcquire()).ToList();
        leases.Should().OnlyContain(l => l.IsAcquired, "the bucket starts full: a burst of 3 is admitted at once");

        using var refused = bucket.AttemptAcquire();
        refused.IsAcquired.Should().BeFalse("the fourth request finds the bucket empty");
        RetryAfter(refused).Should().Be(TimeSpan.FromSeconds(10), "the next token arrives one period after the first take");

        time.Advance(TimeSpan.FromSeconds(4));
        using var later = bucket.AttemptAcquire();
        later.IsAcquired.Should().BeFalse("only 4 of the 10 seconds have passed");
        RetryAfter(later).Should().Be(TimeSpan.FromSeconds(6), "Retry-After counts down with the clock: 10 s - 4 s");
    }

    [Fact]
    public void Exactly_tokensPerPeriod_arrive_when_a_whole_period_has_passed_and_not_a_tick_before()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimeProviderTokenBucket(capacity: 5, tokensPerPeriod: 2, period: TimeSpan.FromSeconds(1), queueLimit: 0, time);
        bucket.AttemptAcquire(5).IsAcquired.Should().BeTrue("a full bucket of 5 grants 5 at once");

        time.Advance(TimeSpan.FromSeconds(1) - Tick);
        Available(bucket).Should().Be(0, "tokens arrive at the end of a whole period; one tick short is not a period");
        bucket.AttemptAcquire().IsAcquired.Should().BeFalse();

        time.Advance(Tick);
        Available(bucket).Should().Be(2, "one period has passed: tokensPerPeriod (2) tokens, no more");
        bucket.AttemptAcquire(2).IsAcquired.Should().BeTrue();
        bucket.AttemptAcquire().IsAcquired.Should().BeFalse("the two refilled tokens are spent");

        time.Advance(TimeSpan.FromSeconds(2.5));
        Available(bucket).Should().Be(4, "two more whole periods: 2 x 2 tokens; the half period is still accruing");
        time.Advance(TimeSpan.FromSeconds(0.5));
        Available(bucket).Should().Be(5, "the half period completed: 4 + 2, capped at the capacity of 5");
    }

    [Fact]
    public void A_long_idle_never_fills_the_bucket_beyond_its_capacity()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimeProviderTokenBucket(capacity: 3, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(10), queueLimit: 0, time);
        bucket.AttemptAcquire(3).IsAcquired.Should().BeTrue();

        time.Advance(TimeSpan.FromHours(1));

        Available(bucket).Should().Be(3, "an hour is 360 periods, but a bucket holds at most its capacity");
        bucket.AttemptAcquire(3).IsAcquired.Should().BeTrue();
        using var refused = bucket.AttemptAcquire();
        refused.IsAcquired.Should().BeFalse("a long idle must not bank tokens: a burst is capped at the capacity");
        RetryAfter(refused).Should().Be(TimeSpan.FromSeconds(10),
            "the idle hour is not banked as partial progress either: the refill clock restarts at the first take");
    }

    [Fact]
    public async Task A_queued_waiter_is_released_exactly_when_its_tokens_have_accrued()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimeProviderTokenBucket(capacity: 2, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(5), queueLimit: 4, time);
        bucket.AttemptAcquire(2).IsAcquired.Should().BeTrue();

        var waiting = bucket.AcquireAsync(2, Ct).AsTask();
        waiting.IsCompleted.Should().BeFalse("the bucket is empty: the request waits in the queue");
        bucket.GetStatistics()!.CurrentQueuedCount.Should().Be(2, "two permits are queued");

        time.Advance(TimeSpan.FromSeconds(5));
        waiting.IsCompleted.Should().BeFalse("one token has arrived; the waiter asked for two");
        time.Advance(TimeSpan.FromSeconds(5) - Tick);
        waiting.IsCompleted.Should().BeFalse("one tick before the second token, the waiter still waits");
        time.Advance(Tick);
        waiting.IsCompleted.Should().BeTrue("the second token arrived at exactly 10 s: the limiter's timer released the waiter");

        using var lease = await waiting.WaitAsync(Ct);
        lease.IsAcquired.Should().BeTrue();
        Available(bucket).Should().Be(0, "the released waiter took both tokens");
        bucket.GetStatistics()!.CurrentQueuedCount.Should().Be(0);
    }

    [Fact]
    public async Task Queued_waiters_are_served_oldest_first_and_nobody_overtakes_them()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimeProviderTokenBucket(capacity: 2, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(5), queueLimit: 4, time);
        bucket.AttemptAcquire(2).IsAcquired.Should().BeTrue();
        var first = bucket.AcquireAsync(2, Ct).AsTask();
        var second = bucket.AcquireAsync(1, Ct).AsTask();

        time.Advance(TimeSpan.FromSeconds(5));
        second.IsCompleted.Should().BeFalse("one token is there, but it is promised to the older waiter (FIFO)");
        using (var jumper = bucket.AttemptAcquire())
        {
            jumper.IsAcquired.Should().BeFalse("AttemptAcquire does not overtake the queue either");
            RetryAfter(jumper).Should().Be(TimeSpan.FromSeconds(15),
                "3 queued permits + 1 for this request - 1 token in the bucket = 3 more tokens, one every 5 s");
        }

        time.Advance(TimeSpan.FromSeconds(5));
        first.IsCompleted.Should().BeTrue("two tokens at 10 s: the oldest waiter goes first");
        second.IsCompleted.Should().BeFalse("it took both tokens");
        time.Advance(TimeSpan.FromSeconds(5));
        second.IsCompleted.Should().BeTrue("the next token, at 15 s, goes to the next waiter");

        (await first.WaitAsync(Ct)).IsAcquired.Should().BeTrue();
        (await second.WaitAsync(Ct)).IsAcquired.Should().BeTrue();
    }

    [Fact]
    public async Task A_request_beyond_the_queue_limit_is_refused_at_once_with_an_exact_Retry_After()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimeProviderTokenBucket(capacity: 2, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(5), queueLimit: 1, time);
        bucket.AttemptAcquire(2).IsAcquired.Should().BeTrue();
        var queued = bucket.AcquireAsync(1, Ct).AsTask();

        var overflow = bucket.AcquireAsync(1, Ct).AsTask();

        overflow.IsCompleted.Should().BeTrue("the queue holds one permit; a second request must not wait without bound");
        using var refused = await overflow.WaitAsync(Ct);
        refused.IsAcquired.Should().BeFalse();
        RetryAfter(refused).Should().Be(TimeSpan.FromSeconds(10),
            "the token at 5 s is promised to the queued waiter; this request's token comes one period later");
        queued.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(5));
        (await queued.WaitAsync(Ct)).IsAcquired.Should().BeTrue("the queued waiter was not disturbed by the refusal");
    }

    [Fact]
    public async Task Cancelling_a_queued_waiter_removes_it_and_leaves_its_tokens_in_the_bucket()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimeProviderTokenBucket(capacity: 2, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(5), queueLimit: 3, time);
        bucket.AttemptAcquire(2).IsAcquired.Should().BeTrue();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var cancelled = bucket.AcquireAsync(2, cts.Token).AsTask();
        var next = bucket.AcquireAsync(1, Ct).AsTask();
        bucket.GetStatistics()!.CurrentQueuedCount.Should().Be(3, "two waiters, three permits queued");

        await cts.CancelAsync();

        await ((Func<Task>)(() => cancelled)).Should().ThrowAsync<OperationCanceledException>(
            "the caller gave up while waiting in the queue");
        bucket.GetStatistics()!.CurrentQueuedCount.Should().Be(1, "the cancelled waiter's two permits left the queue");
        next.IsCompleted.Should().BeFalse("no token has arrived yet");
        time.Advance(TimeSpan.FromSeconds(5));
        (await next.WaitAsync(Ct)).IsAcquired.Should().BeTrue(
            "with the cancelled waiter gone, the first token goes to the next in line");
        time.Advance(TimeSpan.FromSeconds(5));
        Available(bucket).Should().Be(1, "the cancelled waiter never consumed a token");
    }

    [Fact]
    public async Task A_request_with_an_already_cancelled_token_is_not_queued()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimeProviderTokenBucket(capacity: 1, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(5), queueLimit: 1, time);
        bucket.AttemptAcquire().IsAcquired.Should().BeTrue();

        var act = () => bucket.AcquireAsync(1, new CancellationToken(canceled: true)).AsTask();

        await act.Should().ThrowAsync<OperationCanceledException>("the caller had given up before asking");
        bucket.GetStatistics()!.CurrentQueuedCount.Should().Be(0, "a cancelled request takes no place in the queue");
    }

    [Theory]
    [InlineData(0, 1, 1000, 0, "a bucket that can never hold a token would refuse everything")]
    [InlineData(-1, 1, 1000, 0, "a negative capacity is meaningless")]
    [InlineData(3, 0, 1000, 0, "a bucket refilled with nothing empties for good")]
    [InlineData(3, 1, 0, 0, "a zero period would mean infinitely many tokens per second")]
    [InlineData(3, 1, -1000, 0, "time does not run backwards")]
    [InlineData(3, 1, 1000, -1, "a queue cannot hold fewer than zero permits")]
    public void Invalid_bucket_options_are_rejected(int capacity, int tokensPerPeriod, int periodMilliseconds, int queueLimit, string reason)
    {
        var act = () => new TimeProviderTokenBucket(capacity, tokensPerPeriod, TimeSpan.FromMilliseconds(periodMilliseconds), queueLimit, new FakeTimeProvider());

        act.Should().Throw<ArgumentOutOfRangeException>(reason);
    }

    [Fact]
    public void Asking_for_more_permits_than_the_capacity_is_rejected()
    {
        using var bucket = new TimeProviderTokenBucket(capacity: 3, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(1), queueLimit: 10, new FakeTimeProvider());

        var attempt = () => bucket.AttemptAcquire(4);
        Action wait = () => _ = bucket.AcquireAsync(4, Ct);

        attempt.Should().Throw<ArgumentOutOfRangeException>("a bucket of 3 can never hold 4 tokens: refusing with a Retry-After would be a lie");
        wait.Should().Throw<ArgumentOutOfRangeException>("waiting for 4 tokens in a bucket of 3 would wait forever");
    }

    [Fact]
    public void The_bucket_plugs_into_Admit_and_its_refill_is_now_testable()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimeProviderTokenBucket(capacity: 1, tokensPerPeriod: 1, period: TimeSpan.FromMilliseconds(1500), queueLimit: 0, time);

        Limits.Admit(bucket).Admitted.Should().BeTrue();
        Limits.Admit(bucket).Should().Be(new Admission(429, 2), "1.5 s until the next token, rounded up for the header");

        time.Advance(TimeSpan.FromMilliseconds(1500));
        Limits.Admit(bucket).Admitted.Should().BeTrue("the refill the built-in limiter could not show in a test: exactly one period later");
    }

    [Fact]
    public void Statistics_count_every_granted_and_refused_lease_and_a_probe_takes_nothing()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimeProviderTokenBucket(capacity: 2, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(10), queueLimit: 0, time);

        bucket.AttemptAcquire(0).IsAcquired.Should().BeTrue("a probe on a bucket with tokens in it is granted");
        Available(bucket).Should().Be(2, "a probe takes nothing");
        bucket.AttemptAcquire().IsAcquired.Should().BeTrue();
        bucket.AttemptAcquire().IsAcquired.Should().BeTrue();
        bucket.AttemptAcquire().IsAcquired.Should().BeFalse();
        using var probe = bucket.AttemptAcquire(0);
        probe.IsAcquired.Should().BeFalse("a probe asks whether a token is there, and none is");
        RetryAfter(probe).Should().Be(TimeSpan.FromSeconds(10), "the next token, the one a probe asks about, comes in 10 s");

        var statistics = bucket.GetStatistics()!;
        statistics.TotalSuccessfulLeases.Should().Be(3, "two takes and the first probe were granted");
        statistics.TotalFailedLeases.Should().Be(2, "one take and one probe were refused");
        statistics.CurrentAvailablePermits.Should().Be(0);
    }

    [Fact]
    public void IdleDuration_is_how_long_the_bucket_has_been_full_with_nobody_waiting()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimeProviderTokenBucket(capacity: 3, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(10), queueLimit: 0, time);

        time.Advance(TimeSpan.FromSeconds(7));
        bucket.IdleDuration.Should().Be(TimeSpan.FromSeconds(7), "full since it was built, 7 s ago");
        bucket.AttemptAcquire(0).IsAcquired.Should().BeTrue();
        bucket.IdleDuration.Should().Be(TimeSpan.FromSeconds(7), "a probe takes nothing: the bucket stayed full");

        bucket.AttemptAcquire(2).IsAcquired.Should().BeTrue();
        bucket.IdleDuration.Should().BeNull("a bucket missing tokens is not idle");

        time.Advance(TimeSpan.FromSeconds(33));
        bucket.IdleDuration.Should().Be(TimeSpan.FromSeconds(13),
            "the two tokens taken at 7 s came back at 17 s and 27 s: full since 27 s, and it is now 40 s");
    }

    [Fact]
    public void A_partial_refill_keeps_the_period_in_progress()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimeProviderTokenBucket(capacity: 5, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(10), queueLimit: 0, time);
        bucket.AttemptAcquire(5).IsAcquired.Should().BeTrue();

        time.Advance(TimeSpan.FromSeconds(20));
        Available(bucket).Should().Be(2, "two whole periods");
        time.Advance(TimeSpan.FromSeconds(9));
        Available(bucket).Should().Be(2, "the third token is due at 30 s, after three whole periods from the take");
        time.Advance(TimeSpan.FromSeconds(1));
        Available(bucket).Should().Be(3);
    }

    [Fact]
    public void Retry_After_counts_whole_periods_when_each_brings_several_tokens()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimeProviderTokenBucket(capacity: 4, tokensPerPeriod: 2, period: TimeSpan.FromSeconds(10), queueLimit: 0, time);
        bucket.AttemptAcquire(4).IsAcquired.Should().BeTrue();

        using var three = bucket.AttemptAcquire(3);
        using var two = bucket.AttemptAcquire(2);

        RetryAfter(three).Should().Be(TimeSpan.FromSeconds(20), "3 tokens at 2 per period need 2 whole periods");
        RetryAfter(two).Should().Be(TimeSpan.FromSeconds(10), "2 tokens arrive together at the end of one period");
    }

    [Fact]
    public void A_Retry_After_beyond_the_largest_TimeSpan_is_capped_not_wrapped_around()
    {
        var time = new FakeTimeProvider();
        var period = TimeSpan.FromDays(6_000_000); // two of these are more than TimeSpan.MaxValue (about 10.7 million days)
        using var bucket = new TimeProviderTokenBucket(capacity: 1, tokensPerPeriod: 1, period, queueLimit: 1, time);
        bucket.AttemptAcquire().IsAcquired.Should().BeTrue();
        var queued = bucket.AcquireAsync(1, Ct).AsTask();

        using var refused = bucket.AttemptAcquire();

        RetryAfter(refused).Should().Be(TimeSpan.MaxValue,
            "the queued waiter's token and this one need two periods, more than a TimeSpan holds: say 'never', not a negative wait from an overflow");
        queued.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task A_wait_longer_than_a_system_timer_allows_is_still_queued()
    {
        // The real clock, but nothing waits for it: the test only looks at the state right after the call.
        var bucket = new TimeProviderTokenBucket(capacity: 1, tokensPerPeriod: 1, period: TimeSpan.FromDays(100), queueLimit: 1, TimeProvider.System);
        bucket.AttemptAcquire().IsAcquired.Should().BeTrue();

        var waiting = bucket.AcquireAsync(1, Ct).AsTask();

        waiting.IsCompleted.Should().BeFalse(
            "a system timer accepts at most about 49.7 days; a wait of 100 days arms it for less and re-arms it, instead of throwing");
        bucket.Dispose();
        (await waiting.WaitAsync(Ct)).IsAcquired.Should().BeFalse("disposing the limiter refuses the waiter");
    }

    [Fact]
    public async Task Disposing_refuses_every_waiter_stops_the_timer_and_then_refuses_any_use()
    {
        var time = new LateTimerProvider();
        var bucket = new TimeProviderTokenBucket(capacity: 1, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(5), queueLimit: 2, time);
        bucket.AttemptAcquire().IsAcquired.Should().BeTrue();
        var waiters = new[] { bucket.AcquireAsync(1, Ct).AsTask(), bucket.AcquireAsync(1, Ct).AsTask() };

        bucket.Dispose();

        waiters.Should().OnlyContain(w => w.IsCompleted, "a disposed limiter will never grant them: they must not wait forever");
        foreach (var waiter in waiters) (await waiter).IsAcquired.Should().BeFalse("the waiters get a refused lease");
        time.Timers.Should().NotBeEmpty().And.OnlyContain(t => t.Disposed,
            "an armed timer that is never disposed keeps the limiter (its callback's state) alive and keeps firing");
        bucket.Invoking(b => b.AttemptAcquire()).Should().Throw<ObjectDisposedException>();
        await bucket.Awaiting(b => b.AcquireAsync(1, Ct).AsTask()).Should().ThrowAsync<ObjectDisposedException>();
        bucket.Invoking(b => b.GetStatistics()).Should().Throw<ObjectDisposedException>();
        bucket.Invoking(b => b.Dispose()).Should().NotThrow("disposing twice is allowed");
    }

    [Fact]
    public async Task DisposeAsync_disposes_the_same_way()
    {
        var time = new LateTimerProvider();
        var bucket = new TimeProviderTokenBucket(capacity: 1, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(5), queueLimit: 1, time);
        bucket.AttemptAcquire().IsAcquired.Should().BeTrue();
        var waiter = bucket.AcquireAsync(1, Ct).AsTask();

        await bucket.DisposeAsync();

        waiter.IsCompleted.Should().BeTrue("await using disposes the limiter too: its waiters are refused");
        (await waiter).IsAcquired.Should().BeFalse();
        bucket.Invoking(b => b.AttemptAcquire()).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public async Task A_late_timer_does_not_strand_a_waiter_whose_tokens_have_accrued()
    {
        // Real timers fire late under load. Whichever call notices first that the oldest waiters' tokens are there
        // serves them; here the timers never fire at all, so only those calls can.
        var time = new LateTimerProvider();
        using var bucket = new TimeProviderTokenBucket(capacity: 2, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(10), queueLimit: 3, time);
        bucket.AttemptAcquire(2).IsAcquired.Should().BeTrue();

        var first = bucket.AcquireAsync(1, Ct).AsTask();
        time.Advance(TimeSpan.FromSeconds(10));
        bucket.GetStatistics()!.CurrentQueuedCount.Should().Be(0, "reading the statistics refilled the bucket and served the waiter");
        first.IsCompleted.Should().BeTrue("a waiter taken off the queue must get its lease, not be forgotten");

        var second = bucket.AcquireAsync(1, Ct).AsTask();
        time.Advance(TimeSpan.FromSeconds(10));
        bucket.AttemptAcquire().IsAcquired.Should().BeFalse("the token that arrived belongs to the older waiter");
        second.IsCompleted.Should().BeTrue("the attempt noticed the token and served the waiter first");

        var third = bucket.AcquireAsync(1, Ct).AsTask();
        time.Advance(TimeSpan.FromSeconds(10));
        var fourth = bucket.AcquireAsync(1, Ct).AsTask();
        third.IsCompleted.Should().BeTrue("the next request noticed the token and served the older waiter");
        fourth.IsCompleted.Should().BeFalse("and then queued behind it");

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var big = bucket.AcquireAsync(2, cts.Token).AsTask();
        time.Advance(TimeSpan.FromSeconds(10));
        fourth.IsCompleted.Should().BeFalse("nobody has looked yet");
        await cts.CancelAsync();
        fourth.IsCompleted.Should().BeTrue("a cancellation changes the queue, and its token was already there");
        await ((Func<Task>)(() => big)).Should().ThrowAsync<OperationCanceledException>();
        foreach (var lease in new[] { first, second, third, fourth }) (await lease).IsAcquired.Should().BeTrue();
    }

    [Fact]
    public async Task The_timer_alone_releases_waiters_and_two_waiters_whose_tokens_arrive_together_both_go()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimeProviderTokenBucket(capacity: 2, tokensPerPeriod: 2, period: TimeSpan.FromSeconds(10), queueLimit: 2, time);
        bucket.AttemptAcquire(2).IsAcquired.Should().BeTrue();

        var alone = bucket.AcquireAsync(1, Ct).AsTask();
        time.Advance(TimeSpan.FromSeconds(10));
        alone.IsCompleted.Should().BeTrue(
            "nothing but the clock moved: queuing the waiter must arm the timer for its due time");
        (await alone).IsAcquired.Should().BeTrue();

        bucket.AttemptAcquire().IsAcquired.Should().BeTrue();
        var waiters = new[] { bucket.AcquireAsync(1, Ct).AsTask(), bucket.AcquireAsync(1, Ct).AsTask() };
        time.Advance(TimeSpan.FromSeconds(10));
        waiters.Should().OnlyContain(w => w.IsCompleted, "two tokens arrived together: both waiters are served at once");
        foreach (var waiter in waiters) (await waiter).IsAcquired.Should().BeTrue();
    }

    [Fact]
    public void A_lease_names_only_the_metadata_it_has()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimeProviderTokenBucket(capacity: 1, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(5), queueLimit: 0, time);

        using var granted = bucket.AttemptAcquire();
        using var refused = bucket.AttemptAcquire();

        granted.MetadataNames.Should().BeEmpty("a granted lease has no Retry-After");
        granted.TryGetMetadata(MetadataName.RetryAfter.Name, out var none).Should().BeFalse();
        none.Should().BeNull();
        refused.MetadataNames.Should().Equal([MetadataName.RetryAfter.Name], "a refused lease carries its Retry-After");
        refused.TryGetMetadata("SOMETHING_ELSE", out var other).Should().BeFalse("only Retry-After is there");
        other.Should().BeNull();
    }

    [Fact]
    public void A_null_TimeProvider_is_refused_by_name()
    {
        var act = () => new TimeProviderTokenBucket(capacity: 1, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(1), queueLimit: 0, null!);

        act.Should().ThrowExactly<ArgumentNullException>("there is no clock to refill from").WithParameterName("timeProvider");
    }
}
