using System.Threading.RateLimiting;

namespace Koans.Concurrency.RateLimiting;

public sealed record Admission(int StatusCode, int? RetryAfterSeconds)
{
    public bool Admitted => StatusCode == 200;
}

public sealed class RateLimitRejectedException(TimeSpan? retryAfter)
    : Exception("Rate limit exceeded" + (retryAfter is { } r ? $"; retry after {r}" : ""))
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>Reference: System.Threading.RateLimiting limiters, leases and RetryAfter metadata.</summary>
public static class Limits
{
    public static TokenBucketRateLimiter CreateTokenBucket(int burst, int tokensPerPeriod, TimeSpan period) =>
        new(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = false, // no background timer; the owner calls TryReplenish
        });

    public static SlidingWindowRateLimiter CreateSlidingWindow(int permitLimit, TimeSpan window, int segments) =>
        new(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permitLimit,
            Window = window,
            SegmentsPerWindow = segments,
            QueueLimit = 0,
            AutoReplenishment = false,
        });

    public static ConcurrencyLimiter CreateConcurrencyLimiter(int permits, int queueLimit) =>
        new(new ConcurrencyLimiterOptions
        {
            PermitLimit = permits,
            QueueLimit = queueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst, // fair; NewestFirst starves old waiters
        });

    public static Admission Admit(RateLimiter limiter)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        using var lease = limiter.AttemptAcquire();
        if (lease.IsAcquired) return new Admission(200, null);
        return new Admission(429, RetryAfter(lease) is { } wait ? (int)Math.Ceiling(wait.TotalSeconds) : null);
    }

    public static Task RunLimitedAsync(RateLimiter limiter, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        ArgumentNullException.ThrowIfNull(work);
        return RunCoreAsync(limiter, work, cancellationToken);
    }

    private static async Task RunCoreAsync(RateLimiter limiter, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        using var lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired) throw new RateLimitRejectedException(RetryAfter(lease));
        // using: the lease is disposed (the permit returned) however the work ends.
        await work(cancellationToken).ConfigureAwait(false);
    }

    private static TimeSpan? RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null;
}
