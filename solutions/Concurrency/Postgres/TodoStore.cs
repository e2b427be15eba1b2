using System.Runtime.CompilerServices;
using Npgsql;

namespace Koans.Concurrency.Postgres;

/// <summary>
/// Kata concurrency.postgres: async PostgreSQL with Npgsql (Python's asyncpg: <c>create_pool</c>, <c>fetch</c>,
/// <c>async with conn.transaction()</c>, <c>add_listener</c>).
/// </summary>
/// <remarks>
/// <para>The table exists already: <c>todos (id serial primary key, title text not null check (title &lt;&gt; ''))</c>.</para>
/// <list type="bullet">
/// <item><description>Every command goes through the <see cref="NpgsqlDataSource"/> (the pool): open a connection per
/// operation with <c>await using</c>, or use <c>dataSource.CreateCommand(sql)</c>. Never build SQL by concatenating
/// values: use parameters (<c>$1</c>, or named <c>@title</c>).</description></item>
/// <item><description>Pass the <see cref="CancellationToken"/> to every async call: Npgsql then sends PostgreSQL a cancel
/// request, and the awaiting call throws <see cref="OperationCanceledException"/>.</description></item>
/// </list>
/// </remarks>
public sealed class TodoStore
{
    private readonly NpgsqlDataSource dataSource;

    /// <summary>A store that runs every command through <paramref name="dataSource"/>.</summary>
    public TodoStore(NpgsqlDataSource dataSource) =>
        this.dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));

    /// <summary>A pooled data source that never opens more than <paramref name="maxPoolSize"/> connections at once.</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString, int maxPoolSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoolSize, 1);
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = maxPoolSize };
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>Inserts a todo and returns its id.</summary>
    public async Task<int> AddAsync(string title, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(title);
        await using var command = dataSource.CreateCommand("insert into todos (title) values ($1) returning id");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = title });
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>All titles, ordered by id.</summary>
    public async Task<IReadOnlyList<string>> TitlesAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("select title from todos order by id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var titles = new List<string>();
        while (await reader.ReadAsync(cancellationToken)) titles.Add(reader.GetString(0));
        return titles;
    }

    /// <summary>Inserts all titles in one transaction.</summary>
    public async Task AddAllAsync(IEnumerable<string> titles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(titles);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Disposing a transaction that was not committed rolls it back: an exception anywhere below undoes every insert.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var title in titles)
        {
            await using var command = new NpgsqlCommand("insert into todos (title) values ($1)", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = title });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A slow query that the token cancels on the server.</summary>
    public async Task SlowReportAsync(double seconds, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("select pg_sleep($1)");
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = seconds });
        // On cancellation Npgsql sends a CancelRequest on a separate connection; the server aborts the query (57014)
        // and Npgsql surfaces it as OperationCanceledException.
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs the queries concurrently through the pool; returns the backend pid each ran on.</summary>
    public async Task<IReadOnlyList<int>> BackendPidsAsync(int queries, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(queries);
        return await Task.WhenAll(Enumerable.Range(0, queries).Select(async _ =>
        {
            // Beyond MaxPoolSize, opening waits for a connection to come back (up to the Timeout in the connection string).
            await using var command = dataSource.CreateCommand("select pg_backend_pid()");
            return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        }));
    }

    /// <summary>Sends a notification with pg_notify (parameterized).</summary>
    public async Task NotifyAsync(string channel, string payload, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("select pg_notify($1, $2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = channel });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payload });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>LISTENs on the channel and yields payloads until cancelled.</summary>
    public async IAsyncEnumerable<string> ListenAsync(string channel, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        // A LISTEN belongs to a session: this connection is ours for as long as the caller enumerates.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var received = new Queue<string>();
        connection.Notification += (_, e) => received.Enqueue(e.Payload); // raised inside WaitAsync, on this flow
        await using (var listen = new NpgsqlCommand($"LISTEN \"{channel.Replace("\"", "\"\"")}\"", connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }
        while (true)
        {
            while (received.TryDequeue(out var payload)) yield return payload;
            await connection.WaitAsync(cancellationToken);
        }
    }
}
