using Polly;

namespace Koans.Concurrency.RetryWithBackoff;

/// <summary>The exception a caller considers worth retrying (a 503, a connection reset, a deadlock victim).</summary>
public sealed class TransientException(string message) : Exception(message);

/// <summary>
/// A retry budget. <see cref="MaxAttempts"/> counts every attempt, the first one included.
/// Retry <c>n</c> (1-based) waits <c>BaseDelay * 2^(n-1)</c>, capped at <see cref="MaxDelay"/>, then jittered.
/// The total of all waits may not exceed <see cref="MaxTotalDelay"/>.
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan MaxTotalDelay);

/// <summary>
/// Kata concurrency.retry-with-backoff: exponential backoff with jitter and a budget, by hand and with Polly.
/// </summary>
/// <remarks>
/// <para>Python has <c>tenacity</c> (<c>@retry(wait=wait_exponential_jitter(), stop=stop_after_attempt(5))</c>) and
/// <c>backoff</c>; .NET has Polly. Write it by hand first to see the moving parts: which exceptions to retry, how long
/// to wait, when to give up, and that the wait must be cancellable and must come from a <see cref="TimeProvider"/>
/// (<c>Task.Delay(delay, timeProvider, token)</c>) so tests need not sleep.</para>
/// <para>Jitter: if a thousand clients fail at the same moment and all retry after exactly 1 s, 2 s, 4 s, they hit the
/// recovering server in synchronised waves. Randomising each delay spreads them out.</para>
/// <para>Every method throws <see cref="ArgumentNullException"/> for a null argument, at the call: <see cref="ExecuteAsync"/>
/// before it returns its task (an <c>async</c> method would only put the exception in the task, to surface whenever,
/// if ever, someone awaits it).</para>
/// </remarks>
public static class Retry
{
    /// <summary>
    /// The delay before retry number <paramref name="retry"/> (1 for the first retry):
    /// <c>min(BaseDelay * 2^(retry-1), MaxDelay)</c>, then passed through <paramref name="jitter"/>.
    /// Careful with large <paramref name="retry"/>: compute in a way that cannot overflow.
    /// </summary>
    public static TimeSpan BackoffDelay(int retry, RetryPolicy policy, Func<TimeSpan, TimeSpan> jitter) =>
        throw new NotImplementedException();

    /// <summary>
    /// "Full jitter" (AWS Architecture Blog): a delay drawn uniformly from [0, <c>delay</c>] using
    /// <paramref name="random"/> (injected, so tests can seed it).
    /// </summary>
    public static Func<TimeSpan, TimeSpan> FullJitter(Random random) => throw new NotImplementedException();

    /// <summary>
    /// Runs <paramref name="operation"/>, retrying after a <see cref="TransientException"/>, waiting
    /// <see cref="BackoffDelay"/> between attempts, on <paramref name="time"/> (never the real clock).
    /// Gives up, rethrowing the last <see cref="TransientException"/>, when <c>MaxAttempts</c> attempts have failed or
    /// when the next wait would take the total waited beyond <c>MaxTotalDelay</c>. Any other exception is not
    /// transient: it propagates at once, without retrying. Cancellation during a wait throws
    /// <see cref="OperationCanceledException"/> and makes no further attempt.
    /// </summary>
    public static Task<T> ExecuteAsync<T>(
        Func<CancellationToken, Task<T>> operation, RetryPolicy policy, Func<TimeSpan, TimeSpan> jitter,
        TimeProvider time, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>
    /// The same policy (attempts and delays; Polly has no total-delay budget built in) as a Polly v8
    /// <see cref="ResiliencePipeline"/>: it retries only <see cref="TransientException"/>, makes at most
    /// <c>MaxAttempts</c> attempts in all, waits exactly <see cref="BackoffDelay"/> before retry n, and reads its time
    /// from <paramref name="time"/>. Read Polly's documentation for how it counts attempts and retries.
    /// </summary>
    public static ResiliencePipeline BuildPipeline(RetryPolicy policy, Func<TimeSpan, TimeSpan> jitter, TimeProvider time) =>
        throw new NotImplementedException();
}
