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

    /// <summary>
    /// A pooled data source for <paramref name="connectionString"/> that never opens more than
    /// <paramref name="maxPoolSize"/> connections at once (callers beyond that wait for a free one).
    /// Hint: <c>NpgsqlConnectionStringBuilder</c> or <c>NpgsqlDataSourceBuilder</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPoolSize"/> is less than 1.</exception>
    public static NpgsqlDataSource CreateDataSource(string connectionString, int maxPoolSize) =>
        throw new NotImplementedException();

    /// <summary>Inserts a todo and returns its id (<c>insert ... returning id</c>). The title is stored verbatim.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="title"/> is null.</exception>
    public Task<int> AddAsync(string title, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>All titles, ordered by id.</summary>
    public Task<IReadOnlyList<string>> TitlesAsync(CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Inserts all <paramref name="titles"/> in one transaction: either every row is stored or none is. If PostgreSQL
    /// rejects one (an empty title violates the check constraint), roll back and let the
    /// <see cref="PostgresException"/> propagate.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="titles"/> is null.</exception>
    public Task AddAllAsync(IEnumerable<string> titles, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Runs <c>select pg_sleep(seconds)</c>: a stand-in for a slow report. Cancelling the token must stop it on the
    /// server and throw <see cref="OperationCanceledException"/>.
    /// </summary>
    public Task SlowReportAsync(double seconds, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Runs <paramref name="queries"/> copies of <c>select pg_backend_pid()</c> concurrently, each on a connection from
    /// the pool, and returns the backend process ids they ran on (one per query).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="queries"/> is negative.</exception>
    public Task<IReadOnlyList<int>> BackendPidsAsync(int queries, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Sends a notification: <c>select pg_notify(@channel, @payload)</c> (parameters, unlike the NOTIFY statement).</summary>
    public Task NotifyAsync(string channel, string payload, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// LISTENs on <paramref name="channel"/> and yields each notification's payload as it arrives, until the token is
    /// cancelled (then throws <see cref="OperationCanceledException"/>). Holds one dedicated connection while
    /// enumerating: subscribe to <c>NpgsqlConnection.Notification</c>,
    /// push payloads into a queue, and pump <c>connection.WaitAsync(token)</c> (the event fires inside it) so Npgsql reads them. The channel name is an identifier: quote it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="channel"/> is null (when the enumeration starts).</exception>
    public IAsyncEnumerable<string> ListenAsync(string channel, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
