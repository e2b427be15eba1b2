namespace Koans.Concurrency.CancellationAndTimeouts;

/// <summary>
/// Kata concurrency.cancellation-and-timeouts: cooperative cancellation with <see cref="CancellationToken"/>,
/// linked token sources and timeouts driven by a <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>asyncio cancels by throwing <c>CancelledError</c> into a coroutine at its next <c>await</c>; Trio and
/// <c>asyncio.timeout()</c> add cancel scopes. .NET cancellation is <em>cooperative</em> and explicit: a
/// <see cref="CancellationToken"/> is passed down every call, and the work observes it (by passing it on, or by
/// <c>ThrowIfCancellationRequested</c>). A token that is not passed on is a token that cancels nothing.</para>
/// <para>Never read the real clock: every timer here comes from the <see cref="TimeProvider"/> argument, so the tests
/// drive time with <c>FakeTimeProvider.Advance</c>.</para>
/// <para>A null argument is the caller's bug: refuse it with <see cref="ArgumentNullException"/> naming the parameter
/// (a <c>NullReferenceException</c>, or an exception naming some library's parameter, sends the caller looking in the
/// wrong place).</para>
/// </remarks>
public static class Timeouts
{
    /// <summary>
    /// Calls <paramref name="fetch"/> with a token that is cancelled when <em>either</em> the caller cancels
    /// <paramref name="cancellationToken"/> <em>or</em> <paramref name="timeout"/> elapses on <paramref name="time"/>.
    /// Whatever you create for this is disposed before the method returns.
    /// </summary>
    /// <exception cref="TimeoutException">The timeout elapsed (and the caller had not cancelled). Translate the
    /// work's <see cref="OperationCanceledException"/>: the caller asked for no cancellation, so it must not see one.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled: let it propagate.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="fetch"/> or <paramref name="time"/> is null.</exception>
    public static Task<string> FetchWithTimeoutAsync(
        Func<CancellationToken, Task<string>> fetch, TimeSpan timeout, TimeProvider time,
        CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>
    /// Waits for a task you cannot cancel (it takes no token) for at most <paramref name="timeout"/> on
    /// <paramref name="time"/>. Throws <see cref="TimeoutException"/> when the
    /// time is up. Note what this does <em>not</em> do: the task keeps running; only the wait is abandoned.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="uncancellable"/> or <paramref name="time"/> is null.</exception>
    public static Task<string> WaitWithTimeoutAsync(
        Task<string> uncancellable, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>
    /// Processes <paramref name="items"/> one after the other, passing <paramref name="cancellationToken"/> to every
    /// call of <paramref name="process"/>, and checks the token before starting each item, so that a cancellation
    /// stops the loop before the next item (throw <see cref="OperationCanceledException"/> with
    /// <c>ThrowIfCancellationRequested</c>). Returns how many items were processed.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> or <paramref name="process"/> is null.</exception>
    public static Task<int> ProcessAllAsync(
        IEnumerable<string> items, Func<string, CancellationToken, Task> process, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
