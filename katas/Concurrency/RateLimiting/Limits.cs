using System.Threading.RateLimiting;

namespace Koans.Concurrency.RateLimiting;

/// <summary>What an HTTP front end answers: 200, or 429 Too Many Requests with an optional Retry-After (whole seconds).</summary>
public sealed record Admission(int StatusCode, int? RetryAfterSeconds)
{
    public bool Admitted => StatusCode == 200;
}

/// <summary>Thrown by <see cref="Limits.RunLimitedAsync"/> when the limiter refuses (its queue is full).</summary>
public sealed class RateLimitRejectedException(TimeSpan? retryAfter)
    : Exception("Rate limit exceeded" + (retryAfter is { } r ? $"; retry after {r}" : ""))
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>
/// Kata concurrency.rate-limiting: <c>System.Threading.RateLimiting</c> (the package behind ASP.NET Core's
/// rate-limiting middleware).
/// </summary>
/// <remarks>
/// <para>Python has no standard-library rate limiter (people reach for <c>aiolimiter</c>, <c>limits</c>, or a
/// hand-rolled token bucket around <c>asyncio.Semaphore</c>). .NET ships <see cref="RateLimiter"/> with several
/// algorithms: token bucket (bursts up to a limit, refilled at a steady rate), fixed and sliding windows (N requests
/// per window), and a concurrency limiter (N at once, with a FIFO queue).</para>
/// <para>Acquiring returns a <see cref="RateLimitLease"/>: check <c>IsAcquired</c>, and <em>dispose</em> it (for a
/// concurrency limiter, disposing is what gives the permit back). A refused lease may carry metadata:
/// <c>lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter)</c>.</para>
/// <para>Replenishing limiters (token bucket, windows) are created here with <c>AutoReplenishment = false</c> so that no
/// background timer runs; the tests only use what needs no clock.</para>
/// <para><see cref="RunLimitedAsync"/> is library code: started on a UI thread (or in a classic ASP.NET request), it
/// never resumes on the caller's <see cref="SynchronizationContext"/>, neither after waiting for a permit nor after the
/// work.</para>
/// </remarks>
public static class Limits
{
    /// <summary>
    /// A token bucket holding <paramref name="burst"/> tokens, refilled with <paramref name="tokensPerPeriod"/> every
    /// <paramref name="period"/>; no queue (<c>QueueLimit = 0</c>); <c>AutoReplenishment = false</c>.
    /// Invalid values are rejected by the library's own validation (an <see cref="ArgumentException"/>).
    /// </summary>
    public static TokenBucketRateLimiter CreateTokenBucket(int burst, int tokensPerPeriod, TimeSpan period) =>
        throw new NotImplementedException();

    /// <summary>
    /// At most <paramref name="permitLimit"/> requests per sliding <paramref name="window"/> divided into
    /// <paramref name="segments"/> segments; no queue; <c>AutoReplenishment = false</c>.
    /// </summary>
    public static SlidingWindowRateLimiter CreateSlidingWindow(int permitLimit, TimeSpan window, int segments) =>
        throw new NotImplementedException();

    /// <summary>
    /// At most <paramref name="permits"/> operations at once; up to <paramref name="queueLimit"/> more wait in a queue,
    /// oldest first (<see cref="QueueProcessingOrder.OldestFirst"/>); beyond that, requests are refused at once.
    /// </summary>
    public static ConcurrencyLimiter CreateConcurrencyLimiter(int permits, int queueLimit) =>
        throw new NotImplementedException();

    /// <summary>
    /// One request at the door: <c>AttemptAcquire()</c> (never waits). Acquired: 200. Refused: 429, with
    /// <c>RetryAfterSeconds</c> from the lease's <c>MetadataName.RetryAfter</c> rounded <em>up</em> to whole seconds
    /// (Retry-After is an integer; rounding down invites a request that will be refused again), or <c>null</c> when the
    /// limiter gives no hint (do not invent one). Dispose the lease either way.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="limiter"/> is null.</exception>
    public static Admission Admit(RateLimiter limiter) => throw new NotImplementedException();

    /// <summary>
    /// Runs <paramref name="work"/> under <paramref name="limiter"/>: <c>await limiter.AcquireAsync(1, token)</c>
    /// (which may wait in the limiter's queue); if the lease is not acquired, throw
    /// <see cref="RateLimitRejectedException"/> (with the RetryAfter metadata if any); otherwise run the work and
    /// dispose the lease when it ends, <em>whether or not it failed</em>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="limiter"/> or <paramref name="work"/> is null.</exception>
    public static Task RunLimitedAsync(RateLimiter limiter, Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
