namespace Koans.Concurrency.TaskCompletionSource;

/// <summary>
/// Kata concurrency.task-completion-source, part 2: an awaitable auto-reset event, built on
/// <see cref="System.Threading.Tasks.TaskCompletionSource"/>. (This kata's namespace ends in <c>TaskCompletionSource</c>, so
/// the type needs its full name or an alias: <c>using Signal = System.Threading.Tasks.TaskCompletionSource;</c>.)
/// </summary>
/// <remarks>
/// <para><see cref="AutoResetEvent"/> blocks a thread; this one blocks nobody: <see cref="WaitAsync"/> returns a task.
/// Python's <c>asyncio.Event</c> is manual-reset (set releases everyone and stays set); this is the auto-reset kind:
/// each <see cref="Set"/> releases exactly one waiter.</para>
/// <list type="bullet">
/// <item><description><see cref="Set"/> with waiters releases the <em>oldest</em> one (FIFO), and only that one.</description></item>
/// <item><description><see cref="Set"/> with no waiters leaves the event signalled: the next <see cref="WaitAsync"/>
/// completes at once and resets it. Several Sets with no waiters are still a single signal.</description></item>
/// <item><description>A waiter whose token is cancelled leaves the queue with a cancelled task, and does not consume
/// a later <see cref="Set"/>. A wait whose token is already cancelled is a cancelled task at once, even when the event
/// is signalled: the signal stays for the next waiter.</description></item>
/// <item><description>Released waiters continue asynchronously (<c>RunContinuationsAsynchronously</c>), never inline
/// inside <see cref="Set"/>, which may be called under someone's lock. The released waiter's <em>task</em> is
/// nevertheless already complete when <see cref="Set"/> returns: return the <c>TaskCompletionSource</c>'s own task
/// from <see cref="WaitAsync"/>, not an async wrapper around it.</description></item>
/// </list>
/// </remarks>
public sealed class AsyncAutoResetEvent
{
    public AsyncAutoResetEvent(bool initialState = false) => throw new NotImplementedException();

    /// <summary>Waits for a signal.</summary>
    public Task WaitAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Releases one waiter, or signals the event if nobody waits.</summary>
    public void Set() => throw new NotImplementedException();
}
