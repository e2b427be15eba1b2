using System.Diagnostics;

namespace Koans.Runner;

/// <summary>
/// `./run-katas.sh bench &lt;kata&gt;`: the kata's BenchmarkDotNet class (infra/Koans.Bench/&lt;Section&gt;/&lt;Kata&gt;.cs)
/// measures the naive baseline, your code and the reference side by side. The host is built in Release with the kata
/// referenced twice (your stub track as extern alias Learner, the reference as Reference) and runs Job.ShortRun in
/// process (InProcessEmitToolchain: no second project generated and built). Verify runs every benchmark once with
/// Job.Dry, your side built from the reference, only to prove each still runs; no figure is asserted.
/// </summary>
public sealed class Bench(string root, Ui ui)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(15);
    private const string ResultPrefix = "koans-bench: ";

    private string HostDirectory => Path.Combine(root, "infra", "Koans.Bench");

    private string HostAssembly => Path.Combine(root, "artifacts", "infra", "bin", "infra", "Koans.Bench", "Release", "Koans.Bench.dll");

    /// <summary>Where a kata's benchmark class lives.</summary>
    public string BenchmarkFile(Kata kata) => Path.Combine(HostDirectory, kata.Section.Folder, kata.Folder + ".cs");

    public bool HasBenchmark(Kata kata) => File.Exists(BenchmarkFile(kata));

    private static string ClassName(Kata kata) => kata.Folder + "Benchmarks";

    public async Task<int> RunAsync(string query, CancellationToken cancellationToken)
    {
        var catalog = Catalog.Load(root);
        var kata = Commands.Single(catalog, query, "bench");
        if (!HasBenchmark(kata))
        {
            var with = catalog.Katas.Where(HasBenchmark).Select(k => k.Id).ToList();
            throw new KoansException($"{kata.Id} has no benchmark ({Path.GetRelativePath(root, BenchmarkFile(kata))}). " +
                                     (with.Count > 0 ? $"Katas with one: {string.Join(", ", with)}." : "No kata has one yet."));
        }

        using var runnerLock = RunnerLock.Acquire(root);
        var clock = Stopwatch.StartNew();
        ui.Note($"building {kata.Id} (your code and the reference) and its benchmark in Release…");
        var build = await BuildAsync($"{kata.Section.Folder}/{kata.Folder}", Track.Katas, cancellationToken);
        if (!build.Succeeded)
        {
            ui.Problem("The benchmark does not build:");
            foreach (var line in build.ErrorLines(root))
            {
                ui.Text("  " + line);
            }

            return 1;
        }

        ui.Note($"built in {clock.Elapsed.TotalSeconds:0} s; running Job.ShortRun in process (about 20 s a benchmark; the table comes at the end)…");
        var exit = await StreamAsync([HostAssembly, "--job", "short", ClassName(kata)], cancellationToken);
        ui.Note($"bench took {clock.Elapsed.TotalSeconds:0} s. Mean and Ratio are this machine's figures on this run; Allocated is exact.");
        return exit;
    }

    /// <summary>Verify's part: build every benchmark of <paramref name="katas"/> and run each once with Job.Dry.</summary>
    public async Task DryRunAsync(IReadOnlyList<Kata> katas, Action<bool, string, IEnumerable<string>?> count, CancellationToken cancellationToken)
    {
        var benchmarked = katas.Where(HasBenchmark).ToList();
        if (benchmarked.Count == 0)
        {
            return;
        }

        ui.Rule($"Benchmarks: {benchmarked.Count} run once with Job.Dry (no figure is asserted)");
        // One kata: build only its benchmark (and the kata twice); otherwise every benchmark in one build.
        var only = benchmarked.Count == 1 ? $"{benchmarked[0].Section.Folder}/{benchmarked[0].Folder}" : null;
        var build = await BuildAsync(only, Track.Solutions, cancellationToken);
        if (!build.Succeeded)
        {
            count(false, "bench: the benchmark host does not build", build.ErrorLines(root));
            return;
        }

        var run = await ProcessRunner.RunAsync(
            "dotnet", [HostAssembly, "--job", "dry", .. benchmarked.Select(ClassName)], root, RunTimeout, cancellationToken);
        var results = run.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal))
            .Select(l => l[ResultPrefix.Length..]).ToList();
        foreach (var kata in benchmarked)
        {
            var mine = results.Where(r => r.Contains(" " + ClassName(kata) + ".", StringComparison.Ordinal)).ToList();
            if (mine.Count == 0)
            {
                count(false, $"bench {kata.Id}: the dry run reported nothing (exit {run.ExitCode}{(run.TimedOut ? ", timed out" : "")})",
                    run.Output.Split('\n').TakeLast(15));
                continue;
            }

            foreach (var result in mine)
            {
                count(result.StartsWith("ok ", StringComparison.Ordinal), $"bench {kata.Id}: {result}", null);
            }

            if (mine.All(r => r.StartsWith("ok ", StringComparison.Ordinal)))
            {
                ui.Success($"ok bench {kata.Id} ({mine.Count} benchmarks ran once)");
            }
        }
    }

    private async Task<BuildOutcome> BuildAsync(string? benchKata, Track learnerTrack, CancellationToken cancellationToken)
    {
        var arguments = new List<string>
        {
            "build", Path.Combine(HostDirectory, "Koans.Bench.csproj"), "-c", "Release",
            $"-p:BenchLearnerTrack={learnerTrack.Name()}", "-nologo", "-v:q", "-clp:NoSummary", "-tl:off",
        };
        if (benchKata is not null)
        {
            arguments.Add($"-p:BenchKata={benchKata}");
        }

        var result = await ProcessRunner.RunAsync("dotnet", arguments, root, BuildTimeout, cancellationToken);
        var errors = BuildLog.Errors(result.Output);
        return new BuildOutcome(result.ExitCode == 0 && errors.Count == 0, errors, result.Output, UsedFastPath: false, result.TimedOut);
    }

    /// <summary>Runs the host with its output going straight to the terminal, so progress shows as it happens.</summary>
    private static async Task<int> StreamAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new KoansException("Could not start dotnet to run the benchmarks.");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RunTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new KoansException($"The benchmarks ran longer than {RunTimeout.TotalMinutes:0} minutes and were stopped.");
        }

        return process.ExitCode;
    }
}
