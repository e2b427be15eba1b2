using System.Diagnostics;
using System.Text.Json;

namespace Koans.Runner;

public sealed record VerifyOptions(IReadOnlyList<Track> Tracks, string? Section, string? Kata, bool RunnerTests);

/// <summary>
/// The project's own test command. It checks, and counts: every solution test passes; every stub test fails because
/// the stub threw NotImplementedException; the metadata lint; the runner's own tests. Last line:
/// `verify: N passed, M failed`.
/// </summary>
public sealed class Verify(string root, Ui ui)
{
    private const int ParallelTestRuns = 2;
    private readonly KataTester _tester = new(new KataBuilder(root), checkPublishedTests: false);
    private readonly List<string> _failures = [];
    private int _passed;

    public async Task<int> RunAsync(VerifyOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var catalog = Catalog.Load(root);
        IReadOnlyList<Kata> katas = options switch
        {
            { Kata: { } k } => [Commands.Single(catalog, k, "verify --kata")],
            { Section: { } s } => catalog.FindSection(s)?.Katas
                                  ?? throw new KoansException($"There is no section called '{s}': use one of {string.Join(", ", catalog.Sections.Select(x => x.Id))}."),
            _ => catalog.Katas.ToList(),
        };
        var narrowed = options.Kata is not null || options.Section is not null;
        var artifactCheck = !narrowed || katas.Any(k => k.Metadata.Requires.Contains("chain"));

        // The pinned npm packages, fetched at the top of the run when a kata or the artifact check needs them.
        if (artifactCheck || katas.Any(Provisioning.NeedsNpm))
        {
            await Provisioning.Shared(root).EnsureAsync("verify", cancellationToken);
        }

        using var runnerLock = RunnerLock.Acquire(root, "verify");
        ui.Rule("Metadata lint");
        foreach (var check in Lint.Run(catalog, narrowed ? katas.ToList() : null))
        {
            Count(check.Passed, $"lint: {check.Name}", check.Problems);
        }

        if (artifactCheck)
        {
            await ContractArtifactsAsync(cancellationToken);
        }

        foreach (var track in options.Tracks)
        {
            ui.Rule($"{track.Name()} track: {katas.Count} katas");
            await VerifyTrackAsync(track, katas, cancellationToken);
        }

        if (options.Tracks.Contains(Track.Solutions))
        {
            await new Bench(root, ui).DryRunAsync(katas, Count, cancellationToken);
        }

        if (options.RunnerTests && !narrowed)
        {
            ui.Rule("The runner's own tests");
            await RunnerTestsAsync(cancellationToken);
        }

        ui.Line();
        if (_failures.Count > 0)
        {
            ui.Rule("Failures");
            foreach (var failure in _failures)
            {
                ui.Problem(failure);
            }
        }

        ui.Note($"verify took {clock.Elapsed.TotalSeconds:0} s");
        ui.Text($"verify: {_passed} passed, {_failures.Count} failed");
        return _failures.Count == 0 ? 0 : 1;
    }

    private void Count(bool passed, string name, IEnumerable<string>? details = null)
    {
        if (passed)
        {
            _passed++;
            return;
        }

        var detail = details is null ? "" : string.Join("", details.Select(d => "\n    " + d));
        _failures.Add(name + detail);
        ui.Problem("FAIL " + name + detail);
    }

    private async Task VerifyTrackAsync(Track track, IReadOnlyList<Kata> katas, CancellationToken cancellationToken)
    {
        var buildable = katas.Where(k => File.Exists(k.ProjectPath) && (track == Track.Katas || k.SolutionFiles.Count > 0)).ToList();
        foreach (var missing in katas.Except(buildable))
        {
            Count(false, $"{track.Name()} {missing.Id}: cannot be built (no project, or no reference solution)");
        }

        if (buildable.Count == 0)
        {
            return;
        }

        var build = await BuildAllAsync(track, buildable, cancellationToken);
        using var gate = new SemaphoreSlim(ParallelTestRuns);
        var runs = await Task.WhenAll(buildable.Select(async kata =>
        {
            var errors = build.Errors.Where(e => e.Project is not null && SamePath(e.Project, kata.ProjectPath)).ToList();
            if (errors.Count > 0 || !File.Exists(_tester.Builder.TestAssembly(kata, track)))
            {
                var outcome = new BuildOutcome(false, errors, build.Log, UsedFastPath: false);
                return new KataRun(kata, track, KataState.CompileError, [], outcome, null, TimeSpan.Zero);
            }

            await gate.WaitAsync(cancellationToken);
            try
            {
                return await _tester.TestAsync(kata, track, null, Stopwatch.StartNew(), cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }));

        var unattributed = build.Errors.Where(e => e.Project is null || !buildable.Any(k => SamePath(e.Project, k.ProjectPath))).ToList();
        if (unattributed.Count > 0)
        {
            Count(false, $"{track.Name()} build", unattributed.Select(e => e.Display(root)).Distinct());
        }

        foreach (var run in runs)
        {
            Judge(run);
        }
    }

    /// <summary>Judges one kata's run on one track, one count per test.</summary>
    private void Judge(KataRun run)
    {
        var track = run.Track.Name();
        var kata = run.Kata.Id;
        switch (run.State)
        {
            case KataState.CompileError:
                Count(false, $"{track} {kata}: does not compile", run.Build?.ErrorLines(root));
                return;
            case KataState.TimedOut or KataState.Crashed:
            case KataState.Skipped when run.Tests.Count == 0:
                Count(false, $"{track} {kata}: {run.Problem}");
                return;
        }

        if (run.Tests.Count == 0)
        {
            Count(false, $"{track} {kata}: has no tests");
            return;
        }

        var failedHere = 0;
        foreach (var test in run.Tests)
        {
            bool ok;
            string why;
            if (run.Track == Track.Solutions)
            {
                ok = test.Status == TestStatus.Passed;
                why = test.Status == TestStatus.Skipped ? $"skipped: {test.SkipReason}" : FirstLine(test.Message);
            }
            else
            {
                ok = test.FailedBecauseNotImplemented;
                why = test.Status switch
                {
                    TestStatus.Passed => "passes against the stub: the test does not reach the learner's code, or asserts too little",
                    TestStatus.Skipped => $"skipped: {test.SkipReason}",
                    TestStatus.NotRun => "did not run",
                    _ => $"fails for another reason than NotImplementedException: {test.ExceptionType}: {FirstLine(test.Message)}",
                };
            }

            if (!ok)
            {
                failedHere++;
            }

            Count(ok, $"{track} {kata}: {test.DisplayName}: {why}");
        }

        if (failedHere == 0)
        {
            ui.Success($"ok {track} {kata} ({run.Tests.Count} tests)");
        }
    }

    private static string FirstLine(string? text) => (text ?? "").Split('\n', 2)[0].Trim();

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

    /// <summary>
    /// One MSBuild invocation per track through a generated solution filter: MSBuild builds the katas in parallel and
    /// keeps going past a kata that does not compile; errors are attributed to their project.
    /// </summary>
    private async Task<BuildOutcome> BuildAllAsync(Track track, IReadOnlyList<Kata> katas, CancellationToken cancellationToken)
    {
        var solutionFile = Path.Combine(root, "Koans.sln");
        var solutionText = File.Exists(solutionFile) ? File.ReadAllText(solutionFile).Replace('\\', '/') : "";
        var relative = katas.ToDictionary(k => k, k => Path.GetRelativePath(root, k.ProjectPath).Replace('\\', '/'));
        var inSolution = katas.Where(k => solutionText.Contains(relative[k], StringComparison.Ordinal)).ToList();
        var outcomes = new List<BuildOutcome>();
        var clock = Stopwatch.StartNew();
        ui.Note($"building {katas.Count} katas on the {track.Name()} track…");
        if (inSolution.Count > 0)
        {
            var filterDirectory = Path.Combine(root, "artifacts");
            Directory.CreateDirectory(filterDirectory);
            var filter = Path.Combine(filterDirectory, $"verify-{track.Name()}.slnf");
            var projects = inSolution.Select(k => relative[k].Replace('/', '\\')).ToList();
            await File.WriteAllTextAsync(filter, JsonSerializer.Serialize(new { solution = new { path = "../Koans.sln", projects } }), cancellationToken);
            var result = await ProcessRunner.RunAsync(
                "dotnet",
                ["build", filter, $"-p:Track={track.Name()}", "-nologo", "-v:q", "-clp:NoSummary", "-tl:off", "-m"],
                root,
                TimeSpan.FromMinutes(30),
                cancellationToken);
            outcomes.Add(new BuildOutcome(result.ExitCode == 0, BuildLog.Errors(result.Output), result.Output, UsedFastPath: false, result.TimedOut));
        }

        // A kata missing from Koans.sln fails the lint, and is still built and tested on its own.
        foreach (var kata in katas.Except(inSolution))
        {
            outcomes.Add(await _tester.Builder.FullBuildAsync(kata, track, cancellationToken));
        }

        ui.Note($"built in {clock.Elapsed.TotalSeconds:0} s");
        return new BuildOutcome(
            outcomes.All(o => o.Succeeded),
            outcomes.SelectMany(o => o.Errors).ToList(),
            string.Join("\n", outcomes.Select(o => o.Log)),
            UsedFastPath: false,
            outcomes.Any(o => o.TimedOut));
    }

    /// <summary>The committed contract artifacts must be what the pinned solc makes of the sources today.</summary>
    private async Task ContractArtifactsAsync(CancellationToken cancellationToken)
    {
        var compile = Path.Combine(root, "infra", "chain", "compile.js");
        if (!File.Exists(compile))
        {
            return;
        }

        const string name = "the contract artifacts in infra/chain/artifacts match the Solidity sources";
        if (await Provisioning.Shared(root).EnsureAsync("the contract artifact check", cancellationToken) is { } notProvisioned)
        {
            Count(false, name, [notProvisioned]);
            return;
        }

        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync("node", [compile, "--check"], root, TimeSpan.FromMinutes(5), cancellationToken);
        }
        catch (KoansException e)
        {
            Count(false, name, [e.Message]);
            return;
        }

        Count(result.ExitCode == 0, name, result.ExitCode == 0 ? null : [result.Output.Trim(), "recompile with `cd infra/chain && npm run compile` and commit the artifacts"]);
    }

    private async Task RunnerTestsAsync(CancellationToken cancellationToken)
    {
        var project = Path.Combine(root, "infra", "Koans.Runner.Tests", "Koans.Runner.Tests.csproj");
        // The wrapper has just built the runner, and this process runs from it: never rebuild it underneath itself.
        var build = await ProcessRunner.RunAsync("dotnet", ["build", project, "-p:BuildProjectReferences=false", "-nologo", "-v:q", "-clp:NoSummary", "-tl:off"], root, TimeSpan.FromMinutes(10), cancellationToken);
        if (build.ExitCode != 0)
        {
            Count(false, "runner tests: do not compile", BuildLog.Errors(build.Output).Select(e => e.Display(root)).DefaultIfEmpty(build.Output.Trim()).Distinct());
            return;
        }

        var assembly = Path.Combine(root, "artifacts", "infra", "bin", "infra", "Koans.Runner.Tests", "Debug", "Koans.Runner.Tests.dll");
        var results = Path.Combine(root, "artifacts", "infra", "results");
        Directory.CreateDirectory(results);
        var report = Path.Combine(results, "runner-tests.xml");
        File.Delete(report);
        var run = await ProcessRunner.RunAsync(
            "dotnet",
            [assembly, "--no-progress", "--no-ansi", "--report-xunit", "--report-xunit-filename", "runner-tests.xml", "--results-directory", results],
            root,
            TimeSpan.FromMinutes(30), // the fault tests build a tree of their own and push a gigabyte through the output cap
            cancellationToken);
        if (!File.Exists(report))
        {
            Count(false, $"runner tests: ended (exit {run.ExitCode}{(run.TimedOut ? ", timed out" : "")}) without a report", [run.Output.Trim()]);
            return;
        }

        var tests = XunitReport.Parse(await File.ReadAllTextAsync(report, cancellationToken));
        foreach (var test in tests)
        {
            Count(test.Status == TestStatus.Passed, $"runner: {test.DisplayName}: {FirstLine(test.Message ?? test.SkipReason)}");
        }

        ui.Note($"{tests.Count(t => t.Status == TestStatus.Passed)}/{tests.Count} runner tests passed");
    }
}
