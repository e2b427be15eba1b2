using Polly;
using Polly.Retry;

namespace Koans.Concurrency.RetryWithBackoff;

public sealed class TransientException(string message) : Exception(message);

public sealed record RetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan MaxTotalDelay);

/// <summary>Reference: exponential backoff with jitter and a budget, by hand and with Polly v8.</summary>
public static class Retry
{
    public static TimeSpan BackoffDelay(int retry, RetryPolicy policy, Func<TimeSpan, TimeSpan> jitter)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(retry);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(jitter);
        // In double: 2^(retry-1) overflows long quickly; the cap is applied before converting back to ticks.
        var ticks = Math.Min(policy.BaseDelay.Ticks * Math.Pow(2, retry - 1), policy.MaxDelay.Ticks);
        return jitter(TimeSpan.FromTicks((long)ticks));
    }

    public static Func<TimeSpan, TimeSpan> FullJitter(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        // Random is not thread-safe: callers share one jitter function per Random, or pass Random.Shared.
        return delay => TimeSpan.FromTicks((long)(random.NextDouble() * delay.Ticks));
    }

    public static Task<T> ExecuteAsync<T>(
        Func<CancellationToken, Task<T>> operation, RetryPolicy policy, Func<TimeSpan, TimeSpan> jitter,
        TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(jitter);
        ArgumentNullException.ThrowIfNull(time);
        return ExecuteCoreAsync(operation, policy, jitter, time, cancellationToken);
    }

    private static async Task<T> ExecuteCoreAsync<T>(
        Func<CancellationToken, Task<T>> operation, RetryPolicy policy, Func<TimeSpan, TimeSpan> jitter,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(cancellationToken).ConfigureAwait(false);
            }
            catch (TransientException) when (attempt < policy.MaxAttempts)
            {
                var delay = BackoffDelay(attempt, policy, jitter);
                if (waited + delay > policy.MaxTotalDelay) throw; // budget spent: the last failure, as is
                waited += delay;
                // The wait is a TimeProvider timer (testable) and takes the token (cancellable).
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public static ResiliencePipeline BuildPipeline(RetryPolicy policy, Func<TimeSpan, TimeSpan> jitter, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(jitter);
        ArgumentNullException.ThrowIfNull(time);
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<TransientException>(),
                MaxRetryAttempts = policy.MaxAttempts - 1,
                // Polly's own BackoffType.Exponential + UseJitter is the usual choice; the generator keeps the delays
                // identical to the hand-written version (and the jitter injectable).
                DelayGenerator = args =>
                    ValueTask.FromResult<TimeSpan?>(BackoffDelay(args.AttemptNumber + 1, policy, jitter)),
            })
            .Build();
    }
}
