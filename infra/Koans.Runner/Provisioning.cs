using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Spectre.Console;

namespace Koans.Runner;

/// <summary>
/// infra/chain, the one npm project for the katas' local servers and tools (Anvil, solc, PostgreSQL), and whether its
/// node_modules holds exactly what package-lock.json pins for this platform.
/// </summary>
public sealed class NpmProject(string root)
{
    public string Root { get; } = root;

    public string Directory => Path.Combine(Root, "infra", "chain");

    public string LockFile => Path.Combine(Directory, "package-lock.json");

    public string RelativeDirectory => Path.GetRelativePath(Root, Directory).Replace('\\', '/');

    /// <summary>True when this checkout has an npm project with a lock file at all.</summary>
    public bool Exists => File.Exists(LockFile);

    /// <summary>
    /// The packages the lock file pins for this platform: every entry under node_modules/, minus links and minus
    /// packages whose os/cpu fields exclude this machine (the other platforms' Anvil and PostgreSQL).
    /// </summary>
    public IReadOnlyList<(string Path, string Version)> ExpectedPackages()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(LockFile));
        if (!document.RootElement.TryGetProperty("packages", out var packages))
        {
            return [];
        }

        var expected = new List<(string, string)>();
        foreach (var entry in packages.EnumerateObject())
        {
            if (!entry.Name.StartsWith("node_modules/", StringComparison.Ordinal)
                || entry.Value.TryGetProperty("link", out var link) && link.ValueKind == JsonValueKind.True
                || !entry.Value.TryGetProperty("version", out var version)
                || !Applies(entry.Value, "os", NodeOs) || !Applies(entry.Value, "cpu", NodeCpu))
            {
                continue;
            }

            expected.Add((entry.Name, version.GetString() ?? ""));
        }

        return expected;
    }

    /// <summary>The top-level packages the lock file pins for this platform ("solc 0.8.30"), for the fetch line.</summary>
    public IReadOnlyList<string> TopLevelPackages() =>
        ExpectedPackages()
            .Where(p => p.Path.LastIndexOf("node_modules/", StringComparison.Ordinal) == 0 && IsTopLevelDependency(p.Path["node_modules/".Length..]))
            .Select(p => $"{p.Path["node_modules/".Length..]} {p.Version}")
            .ToList();

    private bool IsTopLevelDependency(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "package.json")));
        return new[] { "dependencies", "optionalDependencies", "devDependencies" }
            .Any(group => document.RootElement.TryGetProperty(group, out var deps) && deps.TryGetProperty(name, out _));
    }

    /// <summary>How many of <paramref name="expected"/> are unpacked at their pinned version (the install's progress).</summary>
    public int CountInstalled(IReadOnlyList<(string Path, string Version)> expected) =>
        expected.Count(p => InstalledVersion(p.Path) == p.Version);

    /// <summary>Null when node_modules matches the lock file; otherwise why not, as a phrase ("node_modules is missing").</summary>
    public string? Mismatch()
    {
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules")))
        {
            return $"{RelativeDirectory}/node_modules is missing";
        }

        foreach (var (path, version) in ExpectedPackages())
        {
            var installed = InstalledVersion(path);
            if (installed != version)
            {
                var name = path[(path.LastIndexOf("node_modules/", StringComparison.Ordinal) + "node_modules/".Length)..];
                return installed is null
                    ? $"{name} {version} is not installed"
                    : $"{name} is {installed} but package-lock.json pins {version}";
            }
        }

        return null;
    }

    private string? InstalledVersion(string packagePath)
    {
        var manifest = Path.Combine(Directory, packagePath, "package.json");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifest));
            return document.RootElement.TryGetProperty("version", out var v) ? v.GetString() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            // Missing, or half written by an install that was interrupted: not installed.
            return null;
        }
    }

    /// <summary>npm's name for this operating system (process.platform).</summary>
    public static string NodeOs =>
        OperatingSystem.IsWindows() ? "win32" : OperatingSystem.IsMacOS() ? "darwin" : OperatingSystem.IsFreeBSD() ? "freebsd" : "linux";

    /// <summary>npm's name for this processor (process.arch).</summary>
    public static string NodeCpu => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "ia32",
        Architecture.Arm => "arm",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>npm's os/cpu fields: a list of allowed values, or of excluded ones ("!win32").</summary>
    private static bool Applies(JsonElement entry, string field, string current)
    {
        if (!entry.TryGetProperty(field, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return true;
        }

        var values = list.EnumerateArray().Select(v => v.GetString() ?? "").ToList();
        if (values.Contains("!" + current))
        {
            return false;
        }

        var allowed = values.Where(v => !v.StartsWith('!')).ToList();
        return allowed.Count == 0 || allowed.Contains(current);
    }
}

/// <summary>
/// Provisions the pinned npm packages (infra/chain) the moment a command needs them: the online Ethereum katas (Anvil),
/// concurrency.postgres (PostgreSQL), the contract artifact check (solc). When node_modules is missing or does not match
/// package-lock.json it runs <c>npm ci</c> once, with one line saying what it fetches and why and a progress display,
/// under a lock file so that two runners never install at once. When Node.js or npm is missing, or the install fails,
/// it says so in one sentence, once per run, and the katas that need it are reported as not run.
/// </summary>
public sealed class Provisioning
{
    /// <summary>The oldest Node.js the pinned packages are used with (README: "Node.js 20+").</summary>
    public const int MinimumNodeMajor = 20;

    private static readonly Dictionary<string, Provisioning> SharedByRoot = new(StringComparer.Ordinal);
    private static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LockPatience = TimeSpan.FromMinutes(20);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(15);

    private readonly Ui _ui;
    private readonly string? _searchPath;
    private readonly Func<NpmProject, string, CancellationToken, Task<ProcessResult>> _install;
    private readonly Action? _onWaitingForLock;
    private readonly Lock _gate = new();
    private Task<string?>? _ensured;

    /// <param name="root">The checkout.</param>
    /// <param name="ui">Where the fetch line, the progress and the one-sentence problems go.</param>
    /// <param name="searchPath">The PATH to look for node and npm on (the process's PATH when null).</param>
    /// <param name="install">Runs the install (npm ci) given the npm executable; replaced in the runner's tests.</param>
    /// <param name="onWaitingForLock">Called once when another process holds the install lock (for tests).</param>
    public Provisioning(
        string root,
        Ui ui,
        string? searchPath = null,
        Func<NpmProject, string, CancellationToken, Task<ProcessResult>>? install = null,
        Action? onWaitingForLock = null)
    {
        Project = new NpmProject(root);
        _ui = ui;
        _searchPath = searchPath;
        _install = install ?? NpmCiAsync;
        _onWaitingForLock = onWaitingForLock;
    }

    public NpmProject Project { get; }

    /// <summary>The full sentence said once when provisioning is impossible (null until then, or when all is well).</summary>
    public string? Problem { get; private set; }

    /// <summary>The lock file that keeps two runners from installing at once (outside node_modules, which npm ci deletes).</summary>
    public string LockPath => Path.Combine(Project.Root, "artifacts", "npm-install.lock");

    /// <summary>One instance per checkout and process, so the problem is said once per run.</summary>
    public static Provisioning Shared(string root)
    {
        lock (SharedByRoot)
        {
            var key = Path.GetFullPath(root);
            if (!SharedByRoot.TryGetValue(key, out var shared))
            {
                shared = new Provisioning(key, new Ui());
                SharedByRoot[key] = shared;
            }

            return shared;
        }
    }

    /// <summary>
    /// True when the kata runs a server from the npm packages: <c>chain</c> with KOANS_CHAIN unset or local,
    /// <c>postgres</c> with neither KOANS_POSTGRES_URL nor KOANS_POSTGRES=container/system.
    /// </summary>
    public static bool NeedsNpm(Kata kata)
    {
        var requires = kata.Metadata.Requires;
        var chain = Environment.GetEnvironmentVariable("KOANS_CHAIN")?.Trim().ToLowerInvariant();
        if (requires.Contains("chain") && chain is null or "" or "local")
        {
            return true;
        }

        var postgres = Environment.GetEnvironmentVariable("KOANS_POSTGRES")?.Trim().ToLowerInvariant();
        return requires.Contains("postgres")
               && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KOANS_POSTGRES_URL"))
               && postgres is null or "" or "local" or "npm";
    }

    /// <summary>Before testing one kata: provisions when it needs the npm packages. Null when it can run.</summary>
    public Task<string?> EnsureForAsync(Kata kata, CancellationToken cancellationToken) =>
        NeedsNpm(kata) ? EnsureAsync(kata.Id, cancellationToken) : Task.FromResult<string?>(null);

    /// <summary>
    /// Makes node_modules match the lock file, once per instance (later calls get the first call's outcome). Returns
    /// null when the packages are there, otherwise a short reason for a kata's "not run" line; the full sentence has
    /// then been said once.
    /// </summary>
    /// <param name="purpose">What needs the packages, for the fetch line ("ethereum.transfer", "verify").</param>
    public Task<string?> EnsureAsync(string purpose, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_ensured is null || _ensured.IsCanceled)
            {
                _ensured = EnsureOnceAsync(purpose, cancellationToken);
            }

            return _ensured;
        }
    }

    private async Task<string?> EnsureOnceAsync(string purpose, CancellationToken cancellationToken)
    {
        if (!Project.Exists)
        {
            return Fail($"This checkout has no {Project.RelativeDirectory}/package-lock.json, so the pinned Anvil, solc and PostgreSQL cannot be installed: restore it with git.",
                "the npm project is missing");
        }

        if (Project.Mismatch() is null)
        {
            return null;
        }

        var (npm, missing) = FindNodeAndNpm();
        if (missing is not null)
        {
            return Fail(missing, $"needs Node.js {MinimumNodeMajor}+ and npm");
        }

        using var installLock = await AcquireInstallLockAsync(cancellationToken);
        if (installLock is null)
        {
            return Fail($"Another runner has been installing the npm packages in {Project.RelativeDirectory} for {LockPatience.TotalMinutes:0} minutes ({LockPath} is locked): stop it, or run `cd {Project.RelativeDirectory} && npm ci` by hand, then try again.",
                "the npm packages are being installed by another runner");
        }

        // Another runner may have installed while this one waited for the lock.
        var why = Project.Mismatch();
        if (why is null)
        {
            return null;
        }

        var expected = Project.ExpectedPackages();
        _ui.Line($"[bold]Fetching the pinned npm packages[/] ({Ui.Escape(string.Join(", ", Project.TopLevelPackages()))}) for {Ui.Escape(purpose)}: " +
                 $"`npm ci` in {Ui.Escape(Project.RelativeDirectory)}, once, because {Ui.Escape(why)}.");
        var clock = Stopwatch.StartNew();
        var install = _install(Project, npm!, cancellationToken);
        await ShowProgressAsync(install, expected, clock, cancellationToken);
        var result = await install;
        if (result.ExitCode != 0)
        {
            var detail = result.TimedOut
                ? $"it did not finish in {InstallTimeout.TotalMinutes:0} minutes"
                : $"exit code {result.ExitCode}: {LastErrorLine(result.Output)}";
            return Fail($"`npm ci` in {Project.RelativeDirectory} failed ({detail}): run `cd {Project.RelativeDirectory} && npm ci` by hand to see the whole error, then run this again.",
                "the npm install failed");
        }

        if (Project.Mismatch() is { } still)
        {
            return Fail($"`npm ci` in {Project.RelativeDirectory} finished but {still}: run `cd {Project.RelativeDirectory} && npm ci` by hand to see why, then run this again.",
                "the npm install is incomplete");
        }

        _ui.Note($"fetched in {clock.Elapsed.TotalSeconds:0} s");
        return null;
    }

    private string Fail(string sentence, string shortReason)
    {
        Problem = sentence;
        _ui.Problem(sentence);
        return $"not run: {shortReason} (see above)";
    }

    /// <summary>node and npm on PATH, node at least <see cref="MinimumNodeMajor"/>; the npm executable, or the one sentence to say.</summary>
    private (string? Npm, string? Missing) FindNodeAndNpm()
    {
        var enable = $"install Node.js {MinimumNodeMajor}+ (https://nodejs.org, it brings npm), then run this again; the runner fetches the pinned Anvil, solc and PostgreSQL by itself (by hand: `cd {Project.RelativeDirectory} && npm ci`)";
        var node = FindOnPath("node");
        var npm = FindOnPath("npm");
        if (node is null || npm is null)
        {
            var what = node is null ? "Node.js" : "npm";
            return (null, $"The online Ethereum katas and concurrency.postgres need Node.js {MinimumNodeMajor}+ and npm, and {what} is not on your PATH: {enable}.");
        }

        var version = NodeMajorVersion(node);
        if (version is { } major && major < MinimumNodeMajor)
        {
            return (null, $"The online Ethereum katas and concurrency.postgres need Node.js {MinimumNodeMajor}+, and the node on your PATH is version {major}: {enable}.");
        }

        return (npm, null);
    }

    private string? FindOnPath(string tool)
    {
        var names = OperatingSystem.IsWindows() ? new[] { tool + ".cmd", tool + ".exe", tool } : [tool];
        var path = _searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static int? NodeMajorVersion(string node)
    {
        try
        {
            var start = new ProcessStartInfo(node, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var text = process.StandardOutput.ReadToEnd().Trim().TrimStart('v');
            process.WaitForExit(10_000);
            return int.TryParse(text.Split('.')[0], out var major) ? major : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// The cross-process lock: an exclusive open of <see cref="LockPath"/> (FileShare.None, an flock on Unix), retried
    /// until the holder is done. Null when it stays busy for <see cref="LockPatience"/>.
    /// </summary>
    private async Task<FileStream?> AcquireInstallLockAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        var waitedSince = (Stopwatch?)null;
        while (true)
        {
            try
            {
                var stream = new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                stream.SetLength(0);
                using (var writer = new StreamWriter(stream, leaveOpen: true))
                {
                    writer.Write(Environment.ProcessId);
                }

                return stream;
            }
            catch (IOException)
            {
                if (waitedSince is null)
                {
                    waitedSince = Stopwatch.StartNew();
                    _ui.Note($"Another runner is installing the npm packages in {Project.RelativeDirectory}: waiting for it to finish…");
                    _onWaitingForLock?.Invoke();
                }
                else if (waitedSince.Elapsed > LockPatience)
                {
                    return null;
                }

                await Task.Delay(LockPollInterval, cancellationToken);
            }
        }
    }

    /// <summary>A spinner with packages unpacked so far on a terminal; a line every 15 s in a log.</summary>
    private async Task ShowProgressAsync(Task install, IReadOnlyList<(string Path, string Version)> expected, Stopwatch clock, CancellationToken cancellationToken)
    {
        string Status() => $"npm ci: {Project.CountInstalled(expected)}/{expected.Count} packages unpacked, {clock.Elapsed.TotalSeconds:0} s";
        if (_ui.Plain)
        {
            while (await Task.WhenAny(install, Task.Delay(TimeSpan.FromSeconds(15), cancellationToken)) != install)
            {
                _ui.Note(Status());
            }

            return;
        }

        await _ui.Console.Status().StartAsync(Status(), async context =>
        {
            while (await Task.WhenAny(install, Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken)) != install)
            {
                context.Status(Ui.Escape(Status()));
            }
        });
    }

    private static Task<ProcessResult> NpmCiAsync(NpmProject project, string npm, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(
            npm,
            ["ci", "--no-audit", "--no-fund", "--loglevel=error"],
            project.Directory,
            InstallTimeout,
            cancellationToken,
            new Dictionary<string, string> { ["npm_config_update_notifier"] = "false" });

    private static string LastErrorLine(string output)
    {
        var lines = output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        // npm 11 prefixes errors with "npm error", older npms with "npm ERR!"; the last line only points to the log file.
        return lines.LastOrDefault(l => l.Contains("npm err", StringComparison.OrdinalIgnoreCase) && !l.Contains("A complete log", StringComparison.Ordinal))
               ?? lines.LastOrDefault()
               ?? "no output";
    }
}
