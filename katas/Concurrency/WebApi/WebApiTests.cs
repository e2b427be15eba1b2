using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Koans.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Koans.Concurrency.WebApi;

/// <summary>
/// An instrumented <see cref="IJobHandler"/>: every job waits at one gate the test opens, and the fake records which
/// jobs started, finished and were cancelled, in order, and the peak number running at once. A job whose name starts
/// with "fail" throws instead. The test waits for these events, never for time.
/// </summary>
public sealed class GatedJobs : IJobHandler
{
    private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> events = new();
    private readonly ConcurrentQueue<string> finished = new();
    private readonly ConcurrentQueue<string> cancelled = new();
    private int running;
    private int peak;

    public IReadOnlyList<string> Finished => [.. finished];
    public IReadOnlyList<string> Cancelled => [.. cancelled];
    public int PeakRunning => Volatile.Read(ref peak);

    public void OpenGate() => gate.TrySetResult();

    public async Task HandleAsync(Job job, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref running);
        InterlockedMax(ref peak, now);
        Signal("started " + job.Name);
        try
        {
            if (job.Name.StartsWith("fail", StringComparison.Ordinal))
                throw new InvalidOperationException($"job {job.Name} failed on purpose");
            await gate.Task.WaitAsync(cancellationToken);
            finished.Enqueue(job.Name);
            Signal("finished " + job.Name);
        }
        catch (OperationCanceledException)
        {
            cancelled.Enqueue(job.Name);
            Signal("cancelled " + job.Name);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref running);
        }
    }

    public bool HasStarted(string name) => Event("started " + name).Task.IsCompleted;

    /// <summary>Completes when <paramref name="what"/> ("started a", "finished b", "cancelled a") has happened.</summary>
    public Task Happened(string what) => Event(what).Task;

    private void Signal(string what) => Event(what).TrySetResult();

    private TaskCompletionSource Event(string what) =>
        events.GetOrAdd(what, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private static void InterlockedMax(ref int location, int value)
    {
        for (var seen = Volatile.Read(ref location); value > seen; seen = Volatile.Read(ref location))
            if (Interlocked.CompareExchange(ref location, value, seen) == seen) return;
    }
}

/// <summary>Keeps every log entry the application writes, so a test can ask what was logged.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, Exception? Exception)> entries = new();

    public IReadOnlyList<(string Category, LogLevel Level, Exception? Exception)> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, Exception?)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((category, logLevel, exception));
    }
}

/// <summary>
/// The learner's application, started the way a host starts it: the builder (Production environment, TestServer or
/// Kestrel on 127.0.0.1:0, the fake jobs) goes through <see cref="WebApi.Build"/>, then StartAsync. The host's own
/// shutdown timeout is infinite: a test passes its own deadline to <see cref="StopAsync"/>.
/// </summary>
public sealed class RunningApi : IAsyncDisposable
{
    private bool stopped;

    private RunningApi(WebApplication app, GatedJobs jobs, CapturedLogs logs, HttpClient client)
    {
        App = app;
        Jobs = jobs;
        Logs = logs;
        Client = client;
    }

    public WebApplication App { get; }
    public GatedJobs Jobs { get; }
    public CapturedLogs Logs { get; }
    public HttpClient Client { get; }

    public static async Task<RunningApi> StartAsync(WebApiOptions options, bool onLoopbackPort = false)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            ApplicationName = typeof(WebApi).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        var logs = new CapturedLogs();
        builder.Logging.AddProvider(logs);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = Timeout.InfiniteTimeSpan);
        var jobs = new GatedJobs();
        builder.Services.AddSingleton<IJobHandler>(jobs);
        if (onLoopbackPort) builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        else builder.WebHost.UseTestServer();

        var app = WebApi.Build(builder, options);
        await app.StartAsync(TestContext.Current.CancellationToken);
        HttpClient client;
        if (onLoopbackPort)
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            client = new HttpClient { BaseAddress = new Uri(address) };
        }
        else
        {
            client = app.GetTestClient();
        }
        return new RunningApi(app, jobs, logs, client);
    }

    public Task<HttpResponseMessage> PostJobAsync(string name) =>
        Client.PostAsJsonAsync("/jobs", new { name }, TestContext.Current.CancellationToken);

    /// <summary>Stops the host with <paramref name="deadline"/> as its shutdown deadline.</summary>
    public Task StopAsync(CancellationToken deadline)
    {
        stopped = true;
        return App.StopAsync(deadline);
    }

    public async ValueTask DisposeAsync()
    {
        Jobs.OpenGate(); // whatever the test left waiting may finish now
        Client.Dispose();
        if (!stopped)
        {
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(10)); // hang guard only
            await App.StopAsync(guard.Token);
        }
        await App.DisposeAsync();
    }

    /// <summary>A loopback port nobody listens on: connecting to it is refused at once.</summary>
    public static int ClosedLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>
    /// Awaits <paramref name="task"/>; if it has not finished after a generous while, fails with <paramref name="because"/>.
    /// The limit is a hang guard, not a measurement: every awaited event is caused by the test itself.
    /// </summary>
    public static async Task<T> WithinAsync<T>(Task<T> task, string because)
    {
        try
        {
            return await task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException(because);
        }
    }

    public static Task WithinAsync(Task task, string because) =>
        WithinAsync(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), because);
}

public sealed class JobQueueTests
{
    private static WebApiOptions Options(int queueCapacity) =>
        // The jobs never touch the database; a closed port makes any accidental query fail loudly.
        new($"Host=127.0.0.1;Port={RunningApi.ClosedLoopbackPort()};Username=koans;Timeout=5", queueCapacity);

    [Fact]
    public async Task Post_answers_202_at_once_and_the_background_worker_runs_the_job()
    {
        await using var api = await RunningApi.StartAsync(Options(queueCapacity: 4));

        var response = await RunningApi.WithinAsync(api.PostJobAsync("resize photo 17"),
            "POST /jobs did not answer while its job was still waiting at the gate: the request must only enqueue " +
            "the job and answer, not run it (or wait for it)");

        response.StatusCode.Should().Be(HttpStatusCode.Accepted, "202 says: accepted, to be done later");
        await RunningApi.WithinAsync(api.Jobs.Happened("started resize photo 17"),
            "the job was accepted but nothing ever ran it: register a hosted service that reads the queue");
        api.Jobs.OpenGate();
        await RunningApi.WithinAsync(api.Jobs.Happened("finished resize photo 17"), "the job never finished");
    }

    [Fact]
    public async Task A_full_queue_answers_503_at_once_and_loses_no_accepted_job()
    {
        await using var api = await RunningApi.StartAsync(Options(queueCapacity: 2));
        (await api.PostJobAsync("a")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await RunningApi.WithinAsync(api.Jobs.Happened("started a"), "the worker never took job a");

        // The worker is busy with a (the gate is closed): b and c fill the queue's two places.
        (await api.PostJobAsync("b")).StatusCode.Should().Be(HttpStatusCode.Accepted, "the queue has room for 2 waiting jobs");
        (await api.PostJobAsync("c")).StatusCode.Should().Be(HttpStatusCode.Accepted, "the queue has room for 2 waiting jobs");
        var full = await RunningApi.WithinAsync(api.PostJobAsync("d"),
            "POST /jobs waited for room in the full queue: a request must be refused at once, not parked until a " +
            "job finishes (writing to the queue must not wait)");

        full.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable,
            "the queue (capacity 2) was full: the client is told to come back later, and no job is silently dropped");
        full.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", "error answers are RFC 9457 problem documents");
        using (var problem = JsonDocument.Parse(await full.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)))
            problem.RootElement.GetProperty("status").GetInt32().Should().Be(503, "a problem document carries its status");

        api.Jobs.OpenGate();
        await RunningApi.WithinAsync(api.Jobs.Happened("finished c"), "the accepted jobs b and c never ran after job a finished");
        api.Jobs.Finished.Should().Equal(["a", "b", "c"],
            "every accepted job runs, in the order it was accepted, and the refused one never does");
        api.Jobs.PeakRunning.Should().Be(1, "the worker runs one job at a time");
    }

    [Fact]
    public async Task Stopping_refuses_new_jobs_and_drains_the_accepted_ones_without_cancelling_them()
    {
        await using var api = await RunningApi.StartAsync(Options(queueCapacity: 4));
        var time = new FakeTimeProvider();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30), time);
        (await api.PostJobAsync("a")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await RunningApi.WithinAsync(api.Jobs.Happened("started a"), "the worker never took job a");
        (await api.PostJobAsync("b")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await api.PostJobAsync("c")).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var stop = api.StopAsync(deadline.Token);

        stop.IsCompleted.Should().BeFalse("job a is still running (its gate is closed), and stopping waits for the accepted jobs");
        var late = await RunningApi.WithinAsync(api.PostJobAsync("d"), "POST /jobs hung while the host was stopping");
        late.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable,
            "the host has begun stopping: a job accepted now might never run, so it is refused");
        api.Jobs.Cancelled.Should().BeEmpty(
            "stopping is not the deadline: the job in flight keeps a token that nothing has cancelled yet");

        api.Jobs.OpenGate();
        await RunningApi.WithinAsync(stop,
            "the host never finished stopping after every job had run: the worker must notice that the host is " +
            "stopping (its stopping token), stop taking new jobs and end once the queue is empty");
        api.Jobs.Finished.Should().Equal(["a", "b", "c"],
            "a graceful stop drains the queue: every accepted job runs, including the two still queued when stopping began");
        api.Jobs.Cancelled.Should().BeEmpty("the deadline never passed, so no job was told to give up");
    }

    [Fact]
    public async Task When_the_shutdown_deadline_passes_the_job_in_flight_is_cancelled_and_the_rest_abandoned()
    {
        await using var api = await RunningApi.StartAsync(Options(queueCapacity: 4));
        var time = new FakeTimeProvider();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30), time);
        (await api.PostJobAsync("a")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await RunningApi.WithinAsync(api.Jobs.Happened("started a"), "the worker never took job a");
        (await api.PostJobAsync("b")).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var stop = api.StopAsync(deadline.Token);
        time.Advance(TimeSpan.FromSeconds(29));

        stop.IsCompleted.Should().BeFalse("29 of the 30 seconds have passed and job a is still running");
        api.Jobs.Cancelled.Should().BeEmpty("the deadline has not passed yet: job a may still finish in time");

        time.Advance(TimeSpan.FromSeconds(1));

        await RunningApi.WithinAsync(api.Jobs.Happened("cancelled a"),
            "the shutdown deadline passed but job a was never told: its token must be cancelled when the token " +
            "StopAsync received is (a job nobody can cancel outlives the host)");
        await RunningApi.WithinAsync(stop, "the host did not stop when its shutdown deadline passed");
        var worker = api.App.Services.GetServices<IHostedService>().OfType<JobWorker>().Single();
        await RunningApi.WithinAsync(worker.ExecuteTask!.ContinueWith(_ => { }, TaskScheduler.Default),
            "the worker went on running after the host had stopped: once the deadline has passed, ExecuteAsync ends");
        api.Jobs.HasStarted("b").Should().BeFalse("after the deadline no queued job starts: it is abandoned");
    }

    [Fact]
    public async Task A_failing_job_is_logged_and_the_worker_goes_on_with_the_next()
    {
        await using var api = await RunningApi.StartAsync(Options(queueCapacity: 4));
        api.Jobs.OpenGate();

        (await api.PostJobAsync("fail 1")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await api.PostJobAsync("b")).StatusCode.Should().Be(HttpStatusCode.Accepted);

        await RunningApi.WithinAsync(api.Jobs.Happened("finished b"),
            "job b never ran after job 'fail 1' threw: catch and log a job's exception inside the loop; an exception " +
            "that escapes ExecuteAsync ends the worker" +
            (api.App.Lifetime.ApplicationStopping.IsCancellationRequested ? ", and here it stopped the whole host" : ""));
        api.App.Lifetime.ApplicationStopping.IsCancellationRequested.Should().BeFalse(
            "one bad job must not stop the application");
        api.Logs.Entries.Should().Contain(entry => entry.Level >= LogLevel.Error && entry.Exception is InvalidOperationException,
            "a failed job is logged as an error with its exception: nobody waits for a 202's job, so the log is the only " +
            "place its failure shows");
    }

    [Fact]
    public void Build_refuses_an_empty_queue_before_the_application_starts()
    {
        static WebApplicationBuilder NewBuilder()
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
            builder.Services.AddSingleton<IJobHandler>(new GatedJobs());
            return builder;
        }

        FluentActions.Invoking(() => WebApi.Build(NewBuilder(), Options(queueCapacity: 0)))
            .Should().Throw<ArgumentOutOfRangeException>(
                "a capacity of 0 is no queue at all (a job would be accepted only while the worker waits for one): a bad " +
                "setting fails at startup, not at the first request");
        FluentActions.Invoking(() => WebApi.Build(NewBuilder(), null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => WebApi.Build(null!, Options(queueCapacity: 1))).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public async Task An_exception_in_a_handler_becomes_a_problem_details_500_that_hides_the_exception()
    {
        var port = RunningApi.ClosedLoopbackPort();
        await using var api = await RunningApi.StartAsync(new WebApiOptions($"Host=127.0.0.1;Port={port};Username=koans;Timeout=5", 4));

        HttpResponseMessage response;
        try
        {
            // Nothing listens on the port: Npgsql throws "Failed to connect to 127.0.0.1:<port>" inside the handler.
            response = await api.Client.GetAsync("/reports/sleep?seconds=0", TestContext.Current.CancellationToken);
        }
        catch (Exception e) when (e is not NotImplementedException)
        {
            throw new Xunit.Sdk.XunitException(
                $"the handler's exception escaped the application ({e.GetType().Name}): no exception handler turned it into a 500");
        }
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError, "the database was unreachable: a server error");
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json",
            "error answers are RFC 9457 problem documents, not an empty body or an HTML page");
        using (var problem = JsonDocument.Parse(body))
            problem.RootElement.GetProperty("status").GetInt32().Should().Be(500, "a problem document carries its status");
        foreach (var secret in new[] { "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "Npgsql", "Failed to connect", " at " })
            body.Should().NotContainEquivalentOf(secret,
                $"the answer must not show the exception's message, type or stack (CWE-209): it told the client \"{secret}\"");
    }
}

public sealed class ReportTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// The application's connection string: the fixture's server, with an application name of its own, so that the
    /// tests find the application's sessions in pg_stat_activity.
    /// </summary>
    private (WebApiOptions Options, string ApplicationName) ApplicationDatabase()
    {
        if (fixture.Server is null) Assert.Skip(PostgresServer.HowToEnable);
        var name = "koans-web-api-" + Guid.NewGuid().ToString("N")[..12];
        var connection = new NpgsqlConnectionStringBuilder(fixture.Server.ConnectionString) { ApplicationName = name };
        return (new WebApiOptions(connection.ConnectionString, 4), name);
    }

    private async Task<long> ActiveSleepsAsync(string applicationName, CancellationToken cancellationToken)
    {
        await using var command = fixture.DataSource!.CreateCommand(
            "select count(*) from pg_stat_activity where application_name = $1 and state = 'active' and query ilike '%pg_sleep%'");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = applicationName });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Polls the server's view of the application's sessions until <paramref name="condition"/> holds: observing the
    /// server's state replaces sleeping, and the poll stops when this method returns, whatever the outcome.
    /// </summary>
    private async Task WaitForServerAsync(string applicationName, Func<long, bool> condition, Task request, string because)
    {
        using var polling = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var poll = Task.Run(async () =>
        {
            while (!condition(await ActiveSleepsAsync(applicationName, polling.Token)))
            {
                if (request.IsCompleted) await request; // the stub's (or a bug's) exception, or an early answer
            }
        }, polling.Token);
        try
        {
            await RunningApi.WithinAsync(poll, because);
        }
        finally
        {
            await polling.CancelAsync();
        }
    }

    [Fact]
    public async Task The_report_runs_its_query_on_postgres_and_answers_200()
    {
        var (options, _) = ApplicationDatabase();
        await using var api = await RunningApi.StartAsync(options);

        var response = await api.Client.GetAsync("/reports/sleep?seconds=0.01", Ct);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        report.RootElement.GetProperty("slept").GetDouble().Should().Be(0.01, "the report answers {\"slept\": seconds}");
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_query_cancels_the_query_on_the_server()
    {
        var (options, applicationName) = ApplicationDatabase();
        // Kestrel on a real loopback port: the client really closes its connection, and the server has to notice.
        await using var api = await RunningApi.StartAsync(options, onLoopbackPort: true);
        using var client = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var request = api.Client.GetAsync("/reports/sleep?seconds=3600", client.Token);
        await WaitForServerAsync(applicationName, active => active > 0, request,
            "the report's pg_sleep never showed up as an active query of the application on the server");
        await client.CancelAsync();

        await FluentActions.Awaiting(() => request).Should().ThrowAsync<OperationCanceledException>("the client gave up");
        await WaitForServerAsync(applicationName, active => active == 0, new TaskCompletionSource().Task,
            "the client disconnected but its pg_sleep(3600) is still running on the server: the query must get the " +
            "request's abort token (HttpContext.RequestAborted), which fires when the client goes away, so that Npgsql " +
            "cancels the statement in PostgreSQL");
        (await ActiveSleepsAsync(applicationName, Ct)).Should().Be(0, "the cancelled query is gone from the server");
    }
}
