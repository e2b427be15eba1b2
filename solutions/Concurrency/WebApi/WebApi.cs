using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Koans.Concurrency.WebApi;

/// <summary>Kata concurrency.web-api: a minimal API with a database report, a job queue and graceful shutdown.</summary>
public static class WebApi
{
    /// <summary>Registers the services, builds the application, adds the error handling and maps the endpoints.</summary>
    public static WebApplication Build(WebApplicationBuilder builder, WebApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        // Since .NET 10 a bounded channel of capacity 0 is legal (dotnet/runtime#116097): a rendezvous that accepts a
        // job only while the worker is waiting for one. An operator who writes 0 rarely means that, so it is refused here, at startup.
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueueCapacity, 1);

        // One data source (one pool) for the whole application; the container disposes it with the host.
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(options.ConnectionString));
        // This overload's full mode is Wait, the one in which TryWrite answers false on a full queue; with the Drop*
        // modes (BoundedChannelOptions.FullMode) TryWrite answers true and silently loses a job.
        builder.Services.AddSingleton(Channel.CreateBounded<Job>(options.QueueCapacity));
        builder.Services.AddHostedService<JobWorker>();
        // RFC 9457 bodies for every error response, and the exception handler that turns an exception into one.
        builder.Services.AddProblemDetails();

        var app = builder.Build();
        // Without an argument it writes a ProblemDetails 500 through IProblemDetailsService: status and a generic title,
        // never the exception's message or stack (those go to the log). The developer page is for Development only.
        app.UseExceptionHandler();

        app.MapGet("/reports/sleep", SleepReportAsync);
        app.MapPost("/jobs", Enqueue);
        return app;
    }

    // A CancellationToken parameter of a minimal API handler is bound to HttpContext.RequestAborted: it fires when
    // the client disconnects, and Npgsql then asks PostgreSQL to cancel the running statement.
    private static async Task<IResult> SleepReportAsync(double seconds, NpgsqlDataSource database, CancellationToken requestAborted)
    {
        await using var command = database.CreateCommand("select pg_sleep($1)");
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = seconds });
        await command.ExecuteNonQueryAsync(requestAborted);
        return Results.Ok(new { slept = seconds });
    }

    // Never WriteAsync here: that waits for room, holding the request (and its connection) for as long as the queue
    // stays full. TryWrite answers at once; it is also false once the worker has completed the writer at shutdown.
    private static IResult Enqueue(Job job, Channel<Job> queue) =>
        queue.Writer.TryWrite(job)
            ? Results.Accepted()
            : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The job queue is full or the service is stopping.");
}
