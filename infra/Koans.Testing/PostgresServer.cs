using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Koans.Testing;

/// <summary>
/// A PostgreSQL server for tests, found in this order:
/// <list type="number">
/// <item><description><c>KOANS_POSTGRES_URL</c>: an Npgsql connection string to a server you run yourself (the tests may
/// create and drop tables in its database).</description></item>
/// <item><description>The machine's own PostgreSQL binaries (<c>initdb</c>, <c>pg_ctl</c> in <c>/usr/lib/postgresql/*/bin</c>,
/// Debian's <c>postgresql</c> package): a throwaway cluster in a temp directory, on a free 127.0.0.1 port, trust
/// authentication, unix socket inside the temp directory, stopped and deleted on dispose. Run as root, it runs as
/// the <c>postgres</c> user (PostgreSQL refuses to run as root).</description></item>
/// </list>
/// <see cref="StartAsync"/> returns null when neither is available; tests then call <c>Assert.Skip(HowToEnable)</c>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>One sentence for Assert.Skip when no server is available.</summary>
    public const string HowToEnable =
        "No PostgreSQL: install Debian's postgresql package (apt-get install -y postgresql) so initdb and pg_ctl exist, " +
        "or set KOANS_POSTGRES_URL to an Npgsql connection string.";

    private readonly string? dataDirectory;
    private readonly string? binDirectory;
    private readonly string? runAs;

    private PostgresServer(string connectionString, string? dataDirectory, string? binDirectory, string? runAs)
    {
        ConnectionString = connectionString;
        this.dataDirectory = dataDirectory;
        this.binDirectory = binDirectory;
        this.runAs = runAs;
    }

    /// <summary>An Npgsql connection string (user koans, database postgres for a local cluster).</summary>
    public string ConnectionString { get; }

    /// <summary>Why the last <see cref="StartAsync"/> returned null, for diagnostics.</summary>
    public static string? LastFailure { get; private set; }

    /// <summary>Finds or starts a server; null when none is available.</summary>
    public static async Task<PostgresServer?> StartAsync(CancellationToken cancellationToken = default)
    {
        if (Environment.GetEnvironmentVariable("KOANS_POSTGRES_URL") is { Length: > 0 } url)
            return new PostgresServer(url, null, null, null);

        var bin = FindBinaries();
        if (bin is null)
        {
            LastFailure = "initdb/pg_ctl not found in /usr/lib/postgresql/*/bin or on PATH";
            return null;
        }

        var runAs = Environment.UserName == "root" ? "postgres" : null;
        var data = Directory.CreateTempSubdirectory("koans-pg-").FullName;
        try
        {
            if (runAs is not null)
            {
                // The data directory (and the temp dir holding the socket) must belong to the user the server runs as.
                await RunAsync("chown", ["-R", runAs, data], null, cancellationToken);
            }
            else if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var cluster = Path.Combine(data, "cluster");
            await RunAsync(Path.Combine(bin, "initdb"),
                ["-D", cluster, "-U", "koans", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C"], runAs, cancellationToken);
            var port = FreeLoopbackPort();
            var options = $"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={data} -c fsync=off -c max_connections=50";
            await RunAsync(Path.Combine(bin, "pg_ctl"),
                ["-D", cluster, "-o", options, "-l", Path.Combine(data, "server.log"), "-w", "-t", "60", "start"], runAs, cancellationToken);
            return new PostgresServer($"Host=127.0.0.1;Port={port};Username=koans;Database=postgres", data, bin, runAs);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            LastFailure = e.Message;
            TryDelete(data);
            return null;
        }
    }

    /// <summary>Stops a local cluster and deletes its files; leaves a KOANS_POSTGRES_URL server alone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (dataDirectory is null || binDirectory is null) return;
        try
        {
            await RunAsync(Path.Combine(binDirectory, "pg_ctl"),
                ["-D", Path.Combine(dataDirectory, "cluster"), "-m", "immediate", "-w", "stop"], runAs, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
        TryDelete(dataDirectory);
    }

    private static string? FindBinaries()
    {
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var newest = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .FirstOrDefault();
            if (newest is not null) return newest;
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(p => File.Exists(Path.Combine(p, "initdb")) && File.Exists(Path.Combine(p, "pg_ctl")));
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] arguments, string? runAs, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(runAs is null ? file : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (runAs is not null)
        {
            foreach (var a in new[] { "-u", runAs, "--", file }) start.ArgumentList.Add(a);
        }
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} exited with {process.ExitCode}: {await stderr}{await stdout}");
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
