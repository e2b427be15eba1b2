using Npgsql;
using Xunit;

namespace Koans.Testing;

/// <summary>
/// One <see cref="PostgresServer"/> for a whole test class (initdb takes seconds), with a data source on it; both null
/// when there is no server, and tests then call <c>Assert.Skip(PostgresServer.HowToEnable)</c>. Use it as
/// <c>IClassFixture&lt;PostgresFixture&gt;</c>.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer? Server { get; private set; }

    public NpgsqlDataSource? DataSource { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Server = await PostgresServer.StartAsync(TestContext.Current.CancellationToken);
        if (Server is not null)
        {
            DataSource = NpgsqlDataSource.Create(Server.ConnectionString);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
