using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Koans.Runner.Tests;

/// <summary>
/// run-katas.ps1 behaves like run-katas.sh: it checks for the .NET 10 SDK, builds the runner when its sources are
/// newer than the build, and hands over the arguments and the exit code. Run under PowerShell 7 (pwsh) on a copy of
/// the runner's sources, so the runner that runs these tests is never rebuilt underneath itself.
/// </summary>
public class PowerShellWrapperTests
{
    private const string NoPwsh =
        "PowerShell 7 (pwsh) is not installed, so run-katas.ps1 cannot be tested here: `dotnet tool install --global PowerShell` installs it (.ci/run does).";

    /// <summary>pwsh on PATH, or where `dotnet tool install --global PowerShell` puts it.</summary>
    private static string? FindPwsh()
    {
        var name = OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh";
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"));
        return directories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// pwsh as a command line. A native pwsh as is; the dotnet-tool shim (which itself starts `dotnet` from PATH) as its
    /// pwsh.dll run by this .NET installation's host, so a test can take dotnet off PATH.
    /// </summary>
    private static string[]? PwshCommand()
    {
        var pwsh = FindPwsh();
        if (pwsh is null)
        {
            return null;
        }

        var store = Path.Combine(Path.GetDirectoryName(pwsh)!, ".store", "powershell");
        var flavour = OperatingSystem.IsWindows() ? "win" : "unix";
        var dll = Directory.Exists(store)
            ? Directory.EnumerateFiles(store, "pwsh.dll", SearchOption.AllDirectories).FirstOrDefault(f => Path.GetFileName(Path.GetDirectoryName(f)) == flavour)
            : null;
        return dll is null ? [pwsh] : [Path.Combine(DotnetRoot(), OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"), dll];
    }

    /// <summary>The .NET installation running these tests (pwsh as a dotnet tool finds its runtime through DOTNET_ROOT).</summary>
    private static string DotnetRoot() =>
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    /// <summary>The wrapper and the runner's sources in a fresh tree with one demo kata.</summary>
    private static TempTree TreeWithWrapper()
    {
        var source = TempTree.RepositoryRoot();
        var tree = TempTree.WithKatas("Alpha");
        foreach (var file in new[] { "run-katas.ps1", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json" })
        {
            File.Copy(Path.Combine(source, file), Path.Combine(tree.Root, file));
        }

        var runner = Path.Combine(source, "infra", "Koans.Runner");
        foreach (var file in Directory.EnumerateFiles(runner, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(runner, file);
            if (!relative.StartsWith("bin", StringComparison.Ordinal) && !relative.StartsWith("obj", StringComparison.Ordinal))
            {
                tree.Write(Path.Combine("infra", "Koans.Runner", relative), File.ReadAllText(file));
            }
        }

        return tree;
    }

    private static async Task<(int ExitCode, string Output)> PwshAsync(string[] pwsh, string root, string? path, params string[] arguments)
    {
        var start = new ProcessStartInfo(pwsh[0])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in pwsh.Skip(1).Concat(["-NoProfile", "-NonInteractive", "-File", Path.Combine(root, "run-katas.ps1")]).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_ROOT"] = DotnetRoot();
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        start.Environment.Remove("KOANS_ROOT");
        if (path is not null)
        {
            start.Environment["PATH"] = path;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var hangGuard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        hangGuard.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(hangGuard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task The_PowerShell_wrapper_builds_the_runner_when_stale_and_hands_over_arguments_and_exit_code()
    {
        var pwsh = PwshCommand();
        if (pwsh is null)
        {
            Assert.Skip(NoPwsh);
        }

        using var tree = TreeWithWrapper();
        var runnerDll = Path.Combine(tree.Root, "artifacts", "infra", "bin", "infra", "Koans.Runner", "Debug", "koans-runner.dll");

        // 1. No runner built yet: the wrapper builds it, then the runner answers (the first hint of the kata).
        var first = await PwshAsync(pwsh, tree.Root, null, "hint", "demo.alpha");
        first.Output.Should().Contain("demo.alpha — hint 1/2: gentle", $"the wrapper built the runner and handed `hint demo.alpha` over; it printed:\n{first.Output}");
        first.ExitCode.Should().Be(0);
        File.Exists(runnerDll).Should().BeTrue();
        var built = File.GetLastWriteTimeUtc(runnerDll);

        // 2. Nothing changed: no rebuild, and the runner's exit code comes back (2: no such kata).
        var second = await PwshAsync(pwsh, tree.Root, null, "hint", "no-such-kata");
        second.ExitCode.Should().Be(2, "the wrapper exits with the runner's exit code");
        second.Output.Should().Contain("There is no kata or section called 'no-such-kata'");
        File.GetLastWriteTimeUtc(runnerDll).Should().Be(built, "the runner's sources are older than its build, so it is not rebuilt");

        // 3. A runner source newer than the build: rebuilt before handing over.
        File.SetLastWriteTimeUtc(Path.Combine(tree.Root, "infra", "Koans.Runner", "Program.cs"), built.AddSeconds(2));
        var third = await PwshAsync(pwsh, tree.Root, null, "hint", "demo.alpha");
        third.Output.Should().Contain("demo.alpha — hint 2/2: near");
        File.GetLastWriteTimeUtc(runnerDll).Should().BeAfter(built, "a changed source makes the wrapper rebuild the runner");
    }

    [Fact]
    public async Task The_PowerShell_wrapper_without_dotnet_on_PATH_says_where_to_get_the_SDK()
    {
        var pwsh = PwshCommand();
        if (pwsh is null)
        {
            Assert.Skip(NoPwsh);
        }

        using var tree = TreeWithWrapper();
        var emptyPath = Directory.CreateDirectory(Path.Combine(tree.Root, "empty-bin")).FullName;

        var (exitCode, output) = await PwshAsync(pwsh, tree.Root, emptyPath, "list");

        exitCode.Should().Be(2);
        output.Should().Contain("run-katas.ps1 needs the .NET 10 SDK, and 'dotnet' is not on your PATH: install it from https://dotnet.microsoft.com/download/dotnet/10.0");
    }
}
