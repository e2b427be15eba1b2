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
/// asyncio's event loop). <c>await</c> captures the current context and posts the rest of the method back to it. What
/// happens when that one thread blocks, waiting for such a method to finish? (asyncio's version: calling
/// <c>loop.run_until_complete</c> from inside a running loop raises "This event loop is already running"; .NET does not
/// raise, it just hangs.)</para>
/// <para>Three methods, the same greeting each time, for three kinds of caller: UI code, library code, and a legacy
/// synchronous interface. Each must work when called on the UI thread.</para>
/// <para>The tests run your code on <c>MessagePumpContext</c> (provided, in the tests file), which detects the deadlock
/// instead of hanging.</para>
/// </remarks>
public static class GreetingHandlers
{
    /// <summary>
    /// UI code: returns <c>"Hello, {name}!"</c> with the service's name. UI code <em>wants</em> to come back to the UI
    /// thread after the await, to touch controls: the tests check where the code after the await runs. Pass the token on.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="service"/> is null.</exception>
    public static Task<string> LoadGreetingAsync(IGreetingService service, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>
    /// Library code: the same greeting, but a library does not know who calls it. Its continuations must never need
    /// the caller's context, so that a caller who blocks on it (even on a UI thread) does not deadlock.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="service"/> is null.</exception>
    public static Task<string> LoadGreetingLibraryAsync(IGreetingService service, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>
    /// A synchronous API for legacy callers (a sync interface you cannot change): the same greeting, returned
    /// synchronously, called on the UI thread. Sync-over-async is a last resort; when it must be done, it must not
    /// deadlock, and a failure of the service must reach the caller as the service's own exception, not wrapped in an
    /// <see cref="AggregateException"/>.
    /// </summary>
    public static string LoadGreetingBlocking(IGreetingService service) => throw new NotImplementedException();
}
