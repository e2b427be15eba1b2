using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Koans.Testing;

/// <summary>
/// A real Kestrel server on http://127.0.0.1:&lt;free port&gt; (or https, <see cref="StartHttpsAsync"/>) for tests. The
/// test maps its routes (minimal APIs); the server counts the TCP connections it accepts and, per path, the requests received, the requests in flight and the peak in flight, so a test observes
/// concurrency from the server's side instead of timing anything. A request is in flight from its arrival until its
/// response starts (or its handler ends): an interval inside the client's own, so the server never sees more
/// concurrency than the client really had. Dispose the server to stop it.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly object gate = new();
    private readonly Dictionary<string, PathCounters> counters = new(StringComparer.Ordinal);
    private readonly List<(Func<LoopbackHttpServer, bool> Condition, TaskCompletionSource Done)> waiters = [];
    private int inFlight;
    private int peakInFlight;
    private int requests;
    private int connectionsAccepted;
    private int openConnections;
    private WebApplication? app;

    private LoopbackHttpServer() { }

    /// <summary>The server's base address, for example http://127.0.0.1:41234/ (https://… for an HTTPS server).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The server's socket address, 127.0.0.1 and its port.</summary>
    public IPEndPoint EndPoint => new(IPAddress.Loopback, BaseAddress.Port);

    /// <summary>Starts a server on a free loopback port with the routes <paramref name="map"/> adds.</summary>
    public static Task<LoopbackHttpServer> StartAsync(Action<IEndpointRouteBuilder> map, CancellationToken cancellationToken = default) =>
        StartCoreAsync(map, https: null, cancellationToken);

    /// <summary>
    /// Starts an HTTPS server on a free loopback port (https://127.0.0.1:port/) that presents
    /// <paramref name="serverCertificate"/> (with its private key; <see cref="TestPki"/> issues one) followed by
    /// <paramref name="intermediates"/>, the chain a real server sends. TLS 1.2 or 1.3, no client certificate.
    /// A client that refuses the certificate aborts the handshake: the connection is counted in
    /// <see cref="ConnectionsAccepted"/>, but no request reaches a route (<see cref="TotalRequests"/> stays 0).
    /// </summary>
    public static Task<LoopbackHttpServer> StartHttpsAsync(Action<IEndpointRouteBuilder> map, X509Certificate2 serverCertificate,
        IEnumerable<X509Certificate2>? intermediates = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(serverCertificate);
        if (!serverCertificate.HasPrivateKey)
        {
            throw new ArgumentException("A server certificate needs its private key.", nameof(serverCertificate));
        }

        var https = new HttpsConnectionAdapterOptions
        {
            ServerCertificate = serverCertificate,
            ServerCertificateChain = [.. intermediates ?? []],
            ClientCertificateMode = ClientCertificateMode.NoCertificate,
        };
        return StartCoreAsync(map, https, cancellationToken);
    }

    private static async Task<LoopbackHttpServer> StartCoreAsync(Action<IEndpointRouteBuilder> map, HttpsConnectionAdapterOptions? https,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(map);
        var server = new LoopbackHttpServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            // Counted before TLS, so a connection whose handshake the client refuses is still seen.
            listen.Use(next => async connection =>
            {
                server.Update(() =>
                {
                    server.connectionsAccepted++;
                    server.openConnections++;
                });
                try
                {
                    await next(connection);
                }
                finally
                {
                    server.Update(() => server.openConnections--);
                }
            });
            if (https is not null) listen.UseHttps(https);
        }));
        var app = builder.Build();
        app.Use(server.CountAsync);
        map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single();
        server.app = app;
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>An absolute URL on this server: <c>Url("/a/b")</c> is http://127.0.0.1:port/a/b.</summary>
    public Uri Url(string pathAndQuery) => new(BaseAddress, pathAndQuery);

    /// <summary>Requests received for <paramref name="path"/> (the request path, without the query).</summary>
    public int RequestCount(string path) { lock (gate) return counters.TryGetValue(path, out var c) ? c.Requests : 0; }

    /// <summary>Requests for <paramref name="path"/> being handled right now.</summary>
    public int InFlight(string path) { lock (gate) return counters.TryGetValue(path, out var c) ? c.InFlight : 0; }

    /// <summary>The most requests for <paramref name="path"/> ever handled at the same time.</summary>
    public int PeakInFlight(string path) { lock (gate) return counters.TryGetValue(path, out var c) ? c.Peak : 0; }

    /// <summary>TCP connections the server has accepted (an HTTP/1.1 client that reuses its connection opens one).</summary>
    public int ConnectionsAccepted { get { lock (gate) return connectionsAccepted; } }

    /// <summary>Connections open right now: accepted and not yet closed by either side.</summary>
    public int OpenConnections { get { lock (gate) return openConnections; } }

    /// <summary>Requests received, all paths.</summary>
    public int TotalRequests { get { lock (gate) return requests; } }

    /// <summary>Requests being handled right now, all paths.</summary>
    public int TotalInFlight { get { lock (gate) return inFlight; } }

    /// <summary>The most requests ever handled at the same time on this server (all paths): the per-host peak.</summary>
    public int PeakTotalInFlight { get { lock (gate) return peakInFlight; } }

    /// <summary>
    /// Completes when <paramref name="condition"/> holds; it is evaluated now and after every request starts or ends
    /// and every connection opens or closes.
    /// Use it to wait for "the slow page is in flight" before advancing a fake clock. Pass a token as a hang guard.
    /// </summary>
    public Task WaitUntilAsync(Func<LoopbackHttpServer, bool> condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (condition(this)) return Task.CompletedTask;
            waiters.Add((condition, done));
        }
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Fault injection: sends status 200 with a Content-Length of the whole <paramref name="body"/>, writes only its
    /// first <paramref name="bytesBeforeAbort"/> bytes, flushes them, then ends the handler short: Kestrel sends those
    /// bytes and closes the connection. The client sees a response that ends prematurely after exactly that many bytes
    /// (.NET's HttpClient throws an HttpIOException, "The response ended prematurely").
    /// </summary>
    public static async Task WritePartialThenAbortAsync(HttpContext context, ReadOnlyMemory<byte> body, int bytesBeforeAbort, string contentType = "application/octet-stream")
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegative(bytesBeforeAbort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytesBeforeAbort, body.Length);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        context.Response.Headers.AcceptRanges = "bytes";
        await context.Response.Body.WriteAsync(body[..bytesBeforeAbort], context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        // Ending the handler with fewer bytes than the Content-Length makes Kestrel close the connection after its
        // output pipe has drained: the client reliably receives exactly the bytes written, then the connection ends.
        // HttpContext.Abort() here would be a race: FlushAsync only hands the bytes to Kestrel's transport pipe, and an
        // abort discards whatever the socket has not sent yet (the client may see 0 bytes, or a reset before headers).
    }

    /// <summary>
    /// A handler that never answers: it completes only when the client gives up (the request is aborted) or the
    /// server stops.
    /// </summary>
    public static async Task NeverRespondAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, either.Token);
        }
        catch (OperationCanceledException)
        {
            // The client disconnected: exactly what this handler waits for.
        }
    }

    private async Task CountAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "/";
        Update(() =>
        {
            if (!counters.TryGetValue(path, out var c)) counters[path] = c = new PathCounters();
            c.Requests++;
            c.InFlight++;
            c.Peak = Math.Max(c.Peak, c.InFlight);
            requests++;
            inFlight++;
            peakInFlight = Math.Max(peakInFlight, inFlight);
        });
        // A request stops counting as in flight when its response starts (before the client can see a byte of it)
        // or when the handler ends, whichever comes first. Counting until the handler ends would overlap the client's
        // next request: the client may read the whole response before Kestrel returns from the pipeline.
        var finished = 0;
        void Finish()
        {
            if (Interlocked.Exchange(ref finished, 1) == 1) return;
            Update(() =>
            {
                counters[path].InFlight--;
                inFlight--;
            });
        }
        context.Response.OnStarting(() =>
        {
            Finish();
            return Task.CompletedTask;
        });
        try
        {
            await next(context);
        }
        finally
        {
            Finish();
        }
    }

    private void Update(Action change)
    {
        List<TaskCompletionSource> ready = [];
        lock (gate)
        {
            change();
            for (var i = waiters.Count - 1; i >= 0; i--)
            {
                if (!waiters[i].Condition(this)) continue;
                ready.Add(waiters[i].Done);
                waiters.RemoveAt(i);
            }
        }
        foreach (var done in ready) done.TrySetResult();
    }

    /// <summary>Stops the server: open connections are closed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (app is null) return;
        var running = app;
        app = null;
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await running.StopAsync(stopping.Token);
        }
        await running.DisposeAsync();
    }

    private sealed class PathCounters
    {
        public int Requests;
        public int InFlight;
        public int Peak;
    }
}
