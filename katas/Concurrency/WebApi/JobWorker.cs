using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Koans.Concurrency.WebApi;

/// <summary>
/// The background service that runs the accepted jobs with the <see cref="IJobHandler"/>: one at a time, in the order
/// they were accepted (<see cref="WebApi.Build"/> registers it, and the queue it reads).
/// </summary>
/// <remarks>
/// <para><b>A failing job</b> is logged and the worker goes on with the next one: one bad job must not stop the
/// service (let alone the whole host).</para>
/// <para><b>Graceful shutdown</b> has two moments. When the host begins stopping (the stopping token), the service
/// accepts nothing new and finishes every job it has already accepted, the one running and the ones queued, with
/// their tokens untouched; once the queue is empty, it ends, and the host's stop completes. When the host's shutdown
/// deadline passes (the token <see cref="StopAsync"/> receives, <c>HostOptions.ShutdownTimeout</c> by default), the
/// job in flight is told to give up through its token, and the jobs still queued are abandoned. Python's counterpart is
/// a worker task that an <c>asyncio.Queue</c> feeds, <c>queue.join()</c> at shutdown, and <c>task.cancel()</c> when
/// the grace period is over.</para>
/// </remarks>
public sealed class JobWorker : BackgroundService
{
    private readonly Channel<Job> queue;
    private readonly IJobHandler handler;
    private readonly ILogger<JobWorker> logger;

    /// <summary>A worker that reads <paramref name="queue"/> and runs each job with <paramref name="handler"/>.</summary>
    public JobWorker(Channel<Job> queue, IJobHandler handler, ILogger<JobWorker> logger)
    {
        this.queue = queue;
        this.handler = handler;
        this.logger = logger;
    }

    /// <summary>Runs jobs, one at a time, until the service is stopping and every accepted job has been run.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => throw new NotImplementedException();

    /// <summary>
    /// Called by the host to stop the service; <paramref name="cancellationToken"/> is cancelled when the host's
    /// shutdown deadline passes. Returns once the accepted jobs have drained, or once the deadline has passed.
    /// </summary>
    public override Task StopAsync(CancellationToken cancellationToken) => throw new NotImplementedException();
}
