using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Koans.Concurrency.WebApi;

/// <summary>The background service that runs the queued jobs, one at a time, and drains the queue at shutdown.</summary>
public sealed partial class JobWorker : BackgroundService
{
    private readonly Channel<Job> queue;
    private readonly IJobHandler handler;
    private readonly ILogger<JobWorker> logger;

    // Cancelled once the host's shutdown deadline has passed (the token StopAsync receives), not when stopping begins:
    // until then the accepted jobs are allowed to finish. (No timer behind it, so nothing for Dispose to release.)
    private readonly CancellationTokenSource deadlinePassed = new();

    /// <summary>A worker that reads <paramref name="queue"/> and runs each job with <paramref name="handler"/>.</summary>
    public JobWorker(Channel<Job> queue, IJobHandler handler, ILogger<JobWorker> logger)
    {
        this.queue = queue;
        this.handler = handler;
        this.logger = logger;
    }

    /// <summary>Runs jobs until the queue is completed and empty.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Stopping means: accept nothing new, finish what was accepted. Completing the writer makes TryWrite answer
        // false (the endpoint's 503) and ends ReadAllAsync once the queue is empty, so ExecuteAsync returns and StopAsync
        // with it. A loop that stops on stoppingToken instead (while (!stoppingToken.IsCancellationRequested)) drops
        // every job still queued. ReadAllAsync needs no token: after the deadline the job's OperationCanceledException,
        // which the filter below lets through, ends the loop.
        await using var stopAccepting = stoppingToken.Register(() => queue.Writer.TryComplete());
        await foreach (var job in queue.Reader.ReadAllAsync())
        {
            try
            {
                await handler.HandleAsync(job, deadlinePassed.Token);
            }
            catch (Exception e) when (!deadlinePassed.IsCancellationRequested)
            {
                // One failed job must not end the worker: an exception escaping ExecuteAsync stops the whole host
                // (BackgroundServiceExceptionBehavior.StopHost, the default since .NET 6).
                JobFailed(logger, e, job.Name);
            }
        }
    }

    /// <summary>Signals stopping, then waits for the queue to drain or for the host's shutdown deadline.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // cancellationToken is the host's deadline (HostOptions.ShutdownTimeout, or the caller's token). base.StopAsync
        // returns when ExecuteAsync has ended (drained) or when the deadline passes, whichever comes first; in the second
        // case the job in flight is still running, and is told to give up now. (A registration on cancellationToken,
        // disposed when this method returns, can miss it: callbacks run last-registered first, so base's own callback
        // can finish this method, and dispose the registration, before its callback has run.)
        await base.StopAsync(cancellationToken);
        await deadlinePassed.CancelAsync();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Name} failed")]
    private static partial void JobFailed(ILogger logger, Exception exception, string name);
}
