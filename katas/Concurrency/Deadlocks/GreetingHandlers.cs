namespace Koans.Concurrency.Deadlocks;

/// <summary>An async service (an HTTP call, a database query).</summary>
public interface IGreetingService
{
    Task<string> GetNameAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Kata concurrency.deadlocks: sync-over-async under a single-threaded <see cref="SynchronizationContext"/>.
/// </summary>
/// <remarks>
/// <para>WinForms, WPF, MAUI and classic ASP.NET run code on a context with one thread (a message pump, like
/// asyncio's event loop). <c>await</c> captures the current context and posts the rest of the method back to it. Now
/// block that one thread with <c>.Result</c> or <c>.Wait()</c> on such a method: the continuation is queued for the
/// pump, the pump is blocked waiting for the continuation. Deadlock. (asyncio's version: calling
/// <c>loop.run_until_complete</c> from inside a running loop raises "This event loop is already running"; .NET does not
/// raise, it just hangs.)</para>
/// <para>The fixes: <b>async all the way</b> (never block; UI handlers are <c>async</c>), and in library code,
/// <c>ConfigureAwait(false)</c> on every await, so the library never needs the caller's context and survives callers
/// who block anyway.</para>
/// <para>The tests run your code on <c>MessagePumpContext</c> (provided, in the tests file), which detects the deadlock
/// instead of hanging.</para>
/// </remarks>
public static class GreetingHandlers
{
    /// <summary>
    /// UI code: returns <c>"Hello, {name}!"</c>. Plain <c>await</c> (no <c>ConfigureAwait(false)</c>): UI code
    /// <em>wants</em> to come back to the UI thread after the await, to touch controls. Pass the token on.
    /// </summary>
    public static Task<string> LoadGreetingAsync(IGreetingService service, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>
    /// Library code: the same greeting, but every await uses <c>ConfigureAwait(false)</c>, so its continuations run on
    /// the thread pool and never need the caller's context: a caller who blocks on it (even on a UI thread) does not
    /// deadlock.
    /// </summary>
    public static Task<string> LoadGreetingLibraryAsync(IGreetingService service, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>
    /// A synchronous API for legacy callers (a sync interface you cannot change). Sync-over-async is a last resort:
    /// block on the <em>library</em> version, with <c>GetAwaiter().GetResult()</c>, which rethrows the original
    /// exception (<c>.Result</c> would wrap it in an <see cref="AggregateException"/>).
    /// </summary>
    public static string LoadGreetingBlocking(IGreetingService service) => throw new NotImplementedException();
}
