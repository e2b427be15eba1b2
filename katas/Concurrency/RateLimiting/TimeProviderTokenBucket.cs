using System.Threading.RateLimiting;

namespace Koans.Concurrency.RateLimiting;

/// <summary>
/// Part two of kata concurrency.rate-limiting: a token bucket whose refill is computed from a
/// <see cref="TimeProvider"/>, so that it can be tested with <c>FakeTimeProvider</c>.
/// </summary>
/// <remarks>
/// <para><b>Why build one?</b> The built-in <see cref="TokenBucketRateLimiter"/> and
/// <see cref="SlidingWindowRateLimiter"/> take no <see cref="TimeProvider"/>. Even with <c>AutoReplenishment = false</c>,
/// their <c>TryReplenish()</c> compares the <em>real</em> clock (<c>Stopwatch.GetTimestamp()</c>) with the
/// replenishment period, so a test that drains the bucket and calls <c>TryReplenish()</c> gets nothing back: refills
/// cannot be tested without waiting for real time. This class reads the time only through the
/// <see cref="TimeProvider"/> it is given: production passes <see cref="TimeProvider.System"/>, tests pass a
/// <c>FakeTimeProvider</c> and call <c>Advance</c>.</para>
/// <para><b>The rules (whole-period accrual).</b></para>
/// <list type="bullet">
/// <item>The bucket starts full (<c>capacity</c> tokens): a burst up to the capacity is admitted at once.</item>
/// <item><c>tokensPerPeriod</c> tokens arrive together at the end of each <em>whole</em> <c>period</c>, counted from
/// the moment the bucket stopped being full (the first take from a full bucket starts the refill clock; a partial
/// period in progress is kept when tokens arrive). Never more than <c>capacity</c>: a long idle does not bank tokens
/// nor progress, so after any idle the bucket holds exactly <c>capacity</c> and the next token comes one full period
/// after the next take. Work in exact <see cref="TimeSpan"/> ticks measured from a timestamp taken at construction
/// (<c>timeProvider.GetTimestamp()</c>, then <c>timeProvider.GetElapsedTime(origin)</c>): no floating point, so the
/// answers are exact.</item>
/// <item><c>AttemptAcquire(n)</c> never waits. Acquired when nobody is queued and at least <c>n</c> tokens are there
/// (take them). Otherwise a refused lease whose <c>MetadataName.RetryAfter</c> is the exact time until enough tokens
/// will have accrued for the queued permits <em>plus</em> this request (a queued waiter comes first: FIFO, nobody
/// overtakes the queue, even a smaller request that would fit).</item>
/// <item><c>AcquireAsync(n, token)</c>: acquired at once as above; otherwise, if the queued permits plus <c>n</c> fit
/// within <c>queueLimit</c>, wait in a FIFO queue; otherwise a refused lease at once, with RetryAfter as above.
/// Waiters are released oldest first, exactly when their tokens have accrued: arm a timer made with
/// <c>timeProvider.CreateTimer</c> for the oldest waiter's due time (a <c>FakeTimeProvider</c> fires it inside
/// <c>Advance</c>). A real timer can fire late: whichever call first notices that the oldest waiters' tokens have
/// accrued (statistics, an attempt, a new request, a cancellation) serves them. A waiter whose token is cancelled leaves the queue (its permits no longer count) and its task is
/// cancelled (<see cref="OperationCanceledException"/>); a token already cancelled gives a cancelled task.</item>
/// <item>A request for 0 permits is a probe: acquired when nobody is queued and a token is there, takes nothing,
/// never waits. More than <c>capacity</c> permits could never be granted:
/// <see cref="ArgumentOutOfRangeException"/> (the base class already rejects a negative count).</item>
/// <item><c>GetStatistics()</c>: tokens now available, permits queued, successful and failed lease counts.
/// <c>IdleDuration</c>: how long the bucket has been full with nobody queued, or <c>null</c>.</item>
/// <item>Dispose stops the timer and completes every queued waiter with a refused lease (as the built-in limiters
/// do); acquiring or reading the statistics after that throws <see cref="ObjectDisposedException"/>; disposing
/// again does nothing.</item>
/// </list>
/// <para>Guard shared state with a <see cref="Lock"/>, and complete the waiters' tasks (created with
/// <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/>) outside it. The leases are yours to write: a small
/// private <see cref="RateLimitLease"/> subclass with <c>IsAcquired</c>, <c>MetadataNames</c> and
/// <c>TryGetMetadata(string, out object?)</c> returning the RetryAfter <see cref="TimeSpan"/> (a lease names only the
/// metadata it has). A RetryAfter too long for a <see cref="TimeSpan"/> is <see cref="TimeSpan.MaxValue"/>, and a
/// wait longer than a system timer accepts (about 49.7 days) must still be possible.</para>
/// </remarks>
public sealed class TimeProviderTokenBucket : RateLimiter
{
    /// <summary>
    /// A full bucket of <paramref name="capacity"/> tokens, refilled with <paramref name="tokensPerPeriod"/> at the end
    /// of every whole <paramref name="period"/>, with a FIFO queue of at most <paramref name="queueLimit"/> permits,
    /// timed by <paramref name="timeProvider"/>. Rejects <paramref name="capacity"/> or <paramref name="tokensPerPeriod"/>
    /// below 1, a <paramref name="period"/> that is not positive and a negative <paramref name="queueLimit"/> with
    /// <see cref="ArgumentOutOfRangeException"/>; a null <paramref name="timeProvider"/> with
    /// <see cref="ArgumentNullException"/>.
    /// </summary>
    public TimeProviderTokenBucket(int capacity, int tokensPerPeriod, TimeSpan period, int queueLimit, TimeProvider timeProvider) =>
        throw new NotImplementedException();

    /// <summary>How long the bucket has been full with nobody queued; <c>null</c> when it is not idle.</summary>
    public override TimeSpan? IdleDuration => throw new NotImplementedException();

    /// <summary>Tokens available now (after refilling), permits queued, successful and failed lease counts.</summary>
    public override RateLimiterStatistics? GetStatistics() => throw new NotImplementedException();

    /// <summary>Never waits: acquired, or refused with the exact RetryAfter (see the class remarks).</summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => throw new NotImplementedException();

    /// <summary>Acquired at once, queued (FIFO, released by the timer), refused when the queue is full, or cancelled.</summary>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>Stops the timer; queued waiters get a refused lease.</summary>
    protected override void Dispose(bool disposing) => throw new NotImplementedException();

    /// <summary>Same as <see cref="Dispose(bool)"/> with <c>true</c>.</summary>
    protected override ValueTask DisposeAsyncCore() => throw new NotImplementedException();
}
