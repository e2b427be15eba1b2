using Koans.Testing;
using Npgsql;

namespace Koans.Concurrency.Postgres;

public sealed class TodoStoreTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Skips without a server; otherwise gives a fresh, empty todos table.</summary>
    private async Task<NpgsqlDataSource> FreshDatabaseAsync()
    {
        if (fixture.DataSource is null) Assert.Skip(PostgresServer.HowToEnable);
        await using var reset = fixture.DataSource.CreateCommand(
            "drop table if exists todos; create table todos (id serial primary key, title text not null check (title <> ''))");
        await reset.ExecuteNonQueryAsync(Ct);
        return fixture.DataSource;
    }

    /// <summary>
    /// Polls pg_stat_activity (the server's view of every session) until <paramref name="countSql"/> is positive.
    /// Observing the server's state replaces sleeping; the 30-second limit is only a hang guard.
    /// </summary>
    private static async Task WaitForServerStateAsync(NpgsqlDataSource db, string countSql, Task work, string because)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (work.IsCompleted)
            {
                await work; // surfaces the stub's (or a bug's) exception
                throw new Xunit.Sdk.XunitException("the operation finished early: " + because);
            }
            await using var command = db.CreateCommand(countSql);
            try
            {
                if ((long)(await command.ExecuteScalarAsync(guard.Token))! > 0) return;
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                throw new Xunit.Sdk.XunitException(because);
            }
        }
    }

    [Fact]
    public async Task Adds_rows_with_parameters_and_reads_them_back_in_order()
    {
        var db = await FreshDatabaseAsync();
        var store = new TodoStore(db);

        var first = await store.AddAsync("buy milk", Ct);
        var second = await store.AddAsync("Robert'); drop table todos;--", Ct);

        second.Should().BeGreaterThan(first, "ids come from a serial column (insert ... returning id)");
        (await store.TitlesAsync(Ct)).Should().Equal(["buy milk", "Robert'); drop table todos;--"],
            "a parameter is data, never SQL: the title is stored verbatim and the table survives (xkcd 327)");
    }

    [Fact]
    public async Task A_transaction_stores_all_rows_or_none()
    {
        var db = await FreshDatabaseAsync();
        var store = new TodoStore(db);
        await store.AddAllAsync(["one", "two"], Ct);

        await FluentActions.Awaiting(() => store.AddAllAsync(["three", "", "five"], Ct))
            .Should().ThrowAsync<PostgresException>("the empty title violates the table's check constraint");

        (await store.TitlesAsync(Ct)).Should().Equal(["one", "two"],
            "\"three\" was inserted before the failure, but the transaction was rolled back: all or nothing");
    }

    [Fact]
    public async Task Cancelling_the_token_stops_a_slow_query_on_the_server()
    {
        var db = await FreshDatabaseAsync();
        var store = new TodoStore(db);
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var report = store.SlowReportAsync(3600, caller.Token);
        await WaitForServerStateAsync(db,
            "select count(*) from pg_stat_activity where state = 'active' and query ilike '%pg_sleep%' and pid <> pg_backend_pid()",
            report, "the slow query never showed up as active on the server");
        await caller.CancelAsync();

        await FluentActions.Awaiting(() => report.WaitAsync(TimeSpan.FromSeconds(30), Ct)) // hang guard only
            .Should().ThrowAsync<OperationCanceledException>(
                "the token was passed down to ExecuteNonQueryAsync, so Npgsql asked the server to cancel the query; " +
                "a TimeoutException here means the token was forgotten and the query is still sleeping");
        await using var active = db.CreateCommand(
            "select count(*) from pg_stat_activity where state = 'active' and query ilike '%pg_sleep%' and pid <> pg_backend_pid()");
        ((long)(await active.ExecuteScalarAsync(Ct))!).Should().Be(0,
            "cancellation reached the server: the query is no longer running there, not merely abandoned by the client");
    }

    [Fact]
    public async Task Concurrent_queries_share_a_pool_no_larger_than_its_maximum()
    {
        _ = await FreshDatabaseAsync();
        await using var pooled = TodoStore.CreateDataSource(fixture.Server!.ConnectionString, maxPoolSize: 2);
        var store = new TodoStore(pooled);

        var pids = await store.BackendPidsAsync(12, Ct);

        pids.Should().HaveCount(12, "every query ran");
        pids.Should().OnlyContain(pid => pid > 0, "each value is the process id of the server session that ran the query");
        pids.Distinct().Count().Should().BeLessThanOrEqualTo(2,
            $"twelve concurrent queries ran on {pids.Distinct().Count()} server sessions, expected at most 2 (MaxPoolSize): " +
            "queries beyond the pool size wait for a connection instead of opening new ones");
    }

    [Fact]
    public async Task Listen_yields_notifications_in_the_order_they_were_sent()
    {
        var db = await FreshDatabaseAsync();
        var store = new TodoStore(db);
        using var listening = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        await using var notifications = store.ListenAsync("jobs", listening.Token).GetAsyncEnumerator(listening.Token);
        var first = notifications.MoveNextAsync().AsTask();
        await WaitForServerStateAsync(db,
            "select count(*) from pg_stat_activity where query ilike 'listen%jobs%' and state = 'idle'",
            first, "the listener never ran LISTEN on the server");
        await store.NotifyAsync("jobs", "job 1", Ct);
        await store.NotifyAsync("jobs", "it's job 2", Ct);
        await store.NotifyAsync("other", "not for us", Ct);
        await store.NotifyAsync("jobs", "job 3", Ct);

        (await first.WaitAsync(TimeSpan.FromSeconds(30), Ct)).Should().BeTrue();
        var received = new List<string> { notifications.Current };
        for (var i = 0; i < 2; i++)
        {
            (await notifications.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct)).Should().BeTrue();
            received.Add(notifications.Current);
        }
        received.Should().Equal(["job 1", "it's job 2", "job 3"],
            "PostgreSQL delivers a channel's notifications in commit order, and only for the channel listened to");
    }

    [Fact]
    public async Task Listening_ends_with_OperationCanceledException_when_the_token_is_cancelled()
    {
        var db = await FreshDatabaseAsync();
        var store = new TodoStore(db);
        using var listening = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        await using var notifications = store.ListenAsync("quiet", listening.Token).GetAsyncEnumerator(listening.Token);
        var next = notifications.MoveNextAsync().AsTask();
        await WaitForServerStateAsync(db,
            "select count(*) from pg_stat_activity where query ilike 'listen%quiet%' and state = 'idle'",
            next, "the listener never ran LISTEN on the server");
        await listening.CancelAsync();

        await FluentActions.Awaiting(() => next.WaitAsync(TimeSpan.FromSeconds(30), Ct)) // hang guard only
            .Should().ThrowAsync<OperationCanceledException>(
                "waiting for notifications must observe the token (connection.WaitAsync(token)); otherwise the listener never stops");
    }

    [Fact]
    public async Task Bad_arguments_are_refused_by_name_before_any_connection_is_opened()
    {
        // Port 1 on the loopback: nothing listens there, so a method that tries to connect fails with another exception.
        await using var nowhere = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Timeout=2");
        var store = new TodoStore(nowhere);

        FluentActions.Invoking(() => TodoStore.CreateDataSource("Host=127.0.0.1", 0)).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("maxPoolSize", "a pool of no connections could never run a query");
        await FluentActions.Awaiting(() => store.AddAsync(null!, Ct)).Should().ThrowAsync<ArgumentNullException>().WithParameterName("title");
        await FluentActions.Awaiting(() => store.AddAllAsync(null!, Ct)).Should().ThrowAsync<ArgumentNullException>().WithParameterName("titles");
        await FluentActions.Awaiting(() => store.BackendPidsAsync(-1, Ct)).Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("queries");
        await FluentActions.Awaiting(async () =>
        {
            await foreach (var _ in store.ListenAsync(null!, Ct))
            {
            }
        }).Should().ThrowAsync<ArgumentNullException>().WithParameterName("channel");
    }
}
