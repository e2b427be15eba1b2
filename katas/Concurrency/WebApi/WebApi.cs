using Microsoft.AspNetCore.Builder;

namespace Koans.Concurrency.WebApi;

/// <summary>
/// Kata concurrency.web-api: an ASP.NET Core minimal API (FastAPI's or Quart's counterpart) with a database report,
/// a job queue fed by requests and drained by a background service, and a graceful shutdown.
/// </summary>
/// <remarks>
/// <para>The host creates the builder (it chooses the server, the environment and the <see cref="IJobHandler"/>) and
/// hands it to <see cref="Build"/>; you register what the application needs, build it, add the error handling and map
/// the endpoints. The tests run it on TestServer (in memory, what <c>WebApplicationFactory</c> runs on) and once on
/// Kestrel on a real loopback port.</para>
/// <para><b>GET /reports/sleep?seconds=s</b> runs <c>select pg_sleep($1)</c> (with <c>s</c> as the parameter) on the
/// PostgreSQL of <see cref="WebApiOptions.ConnectionString"/>, a stand-in for a slow report, and answers
/// <c>200 {"slept": s}</c>. When the client goes away mid-query, the query must stop <em>on the server</em>: a report
/// nobody waits for any more still holds a pooled connection and its locks, and under load the pool runs dry (the
/// asyncpg counterpart: cancelling the task that awaits <c>conn.fetch</c>).</para>
/// <para><b>POST /jobs</b> with a JSON <see cref="Job"/> puts the job in a bounded queue of
/// <see cref="WebApiOptions.QueueCapacity"/> and answers <c>202 Accepted</c> at once, without waiting for the job.
/// When the queue is full it answers <c>503</c> at once too (a request must never wait for room: it would hold its
/// connection, and the client's retry would pile on). From the moment the host begins stopping, it answers <c>503</c>:
/// nothing new is accepted.</para>
/// <para>The jobs are run by <see cref="JobWorker"/>, a hosted service: one at a time, in the order they were accepted.</para>
/// <para><b>Errors</b>: every error answer (the 503s, and any exception a handler throws, which becomes a 500) is an
/// RFC 9457 problem document (<c>application/problem+json</c> with its <c>status</c>). The 500 never shows the
/// exception's message, type or stack trace: those say which server, port, library and code path sit behind the API
/// (CWE-209), and belong in the log. The tests run the application in the Production environment.</para>
/// </remarks>
public static class WebApi
{
    /// <summary>
    /// Registers the services on <paramref name="builder"/>, builds the application, adds the error handling and maps
    /// <c>GET /reports/sleep</c> and <c>POST /jobs</c> as described on this class. Does not start it: the host does.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="WebApiOptions.QueueCapacity"/> is below 1: a bad setting
    /// fails here, at startup, not at the first request.</exception>
    public static WebApplication Build(WebApplicationBuilder builder, WebApiOptions options) =>
        throw new NotImplementedException();
}
