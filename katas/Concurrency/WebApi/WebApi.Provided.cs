namespace Koans.Concurrency.WebApi;

/// <summary>A job, as <c>POST /jobs</c> receives it: <c>{"name": "resize photo 17"}</c>.</summary>
public sealed record Job(string Name);

/// <summary>
/// The work done for each queued job. The host registers one in the service container before it calls
/// <see cref="WebApi.Build"/> (the tests register an instrumented fake whose jobs wait at a gate the test opens).
/// </summary>
public interface IJobHandler
{
    /// <summary>Runs <paramref name="job"/>; gives up with <see cref="OperationCanceledException"/> when the token is cancelled.</summary>
    Task HandleAsync(Job job, CancellationToken cancellationToken);
}

/// <summary>What <see cref="WebApi.Build"/> needs to know.</summary>
/// <param name="ConnectionString">An Npgsql connection string for the reports' PostgreSQL.</param>
/// <param name="QueueCapacity">How many accepted jobs may wait for the worker at most (the one it is running not counted).</param>
public sealed record WebApiOptions(string ConnectionString, int QueueCapacity);
