namespace Koans.Concurrency.Deadlocks;

public interface IGreetingService
{
    Task<string> GetNameAsync(CancellationToken cancellationToken);
}

/// <summary>Reference: async all the way in UI code, ConfigureAwait(false) in library code.</summary>
public static class GreetingHandlers
{
    public static async Task<string> LoadGreetingAsync(IGreetingService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        // UI code: resume on the UI context (no ConfigureAwait(false)), because what follows may touch controls.
        var name = await service.GetNameAsync(cancellationToken);
        return $"Hello, {name}!";
    }

    public static async Task<string> LoadGreetingLibraryAsync(IGreetingService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        // Library code: never needs the caller's context, so never asks for it.
        var name = await service.GetNameAsync(cancellationToken).ConfigureAwait(false);
        return $"Hello, {name}!";
    }

    // Last resort for a synchronous interface: blocks a thread for the whole call. GetAwaiter().GetResult() rethrows
    // the original exception; safe from deadlock only because everything below uses ConfigureAwait(false).
    public static string LoadGreetingBlocking(IGreetingService service) =>
        LoadGreetingLibraryAsync(service, CancellationToken.None).GetAwaiter().GetResult();
}
