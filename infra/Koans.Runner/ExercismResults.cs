using System.Text.Json;

namespace Koans.Runner;

/// <summary>
/// Writes results in the shape of Exercism's test runner interface, results.json version 3
/// (https://exercism.org/docs/building/tooling/test-runners/interface): a status, and per test name/status/message/output.
/// </summary>
public static class ExercismResults
{
    public static object ToDocument(IReadOnlyList<KataRun> runs, string root, IReadOnlyList<ResultsFile.KataProgress> progress)
    {
        var prefix = runs.Count > 1;
        var compileErrors = runs.Where(r => r.State is KataState.CompileError or KataState.TimedOut or KataState.Crashed).ToList();
        // A skipped kata (its tests need a chain, say) is not a failure: the exit code is 0 and the status agrees.
        var status = compileErrors.Count > 0 ? "error" : runs.All(r => r.Passed || r.State == KataState.Skipped) ? "pass" : "fail";
        string? message = compileErrors.Count == 0
            ? null
            : string.Join("\n", compileErrors.Select(r =>
                r.Build is { Succeeded: false } build
                    ? $"{r.Kata.Id}:\n" + string.Join("\n", build.ErrorLines(root))
                    : $"{r.Kata.Id}: {r.Problem}"));
        var tests = runs.SelectMany(r => r.Tests.Select(t => new ExercismTest(
            prefix ? $"{r.Kata.Id}: {t.DisplayName}" : t.DisplayName,
            t.Status switch { TestStatus.Passed => "pass", TestStatus.Failed => "fail", _ => "error" },
            t.Status == TestStatus.Passed ? null : t.Message ?? t.SkipReason ?? "not run",
            string.IsNullOrEmpty(t.Output) ? null : Truncate(t.Output, 500),
            r.Kata.Id))).ToList();
        // An extension Exercism's tools ignore: every kata this run tested, with its own verdict.
        var katas = runs.Select(r => new ExercismKata(r.Kata.Id, KataStatus(r), r.Summary)).ToList();
        return new ExercismDocument(ResultsFile.ExercismVersion, ResultsFile.KoansVersion, status, message, tests, katas, progress);
    }

    /// <summary>Writes the runs of this invocation and the learner's progress so far (<see cref="ResultsFile"/>).</summary>
    public static void Write(string path, IReadOnlyList<KataRun> runs, string root, Catalog catalog, LearnerState state)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new KoansException($"--json takes a file name, and {path} is a folder: try --json {Path.Combine(path, "results.json")}.");
        }

        var directory = Path.GetDirectoryName(full);
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new KoansException($"Cannot write {path}: the folder {directory} does not exist.");
        }

        try
        {
            File.WriteAllText(full, JsonSerializer.Serialize(ToDocument(runs, root, ResultsFile.Progress(catalog, state)), Catalog.Json));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KoansException($"Cannot write {path} ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)}): the verdict above stands; choose another file for --json.");
        }
    }

    // Exercism truncates output to 500 characters and says so.
    private static string Truncate(string text, int max) =>
        text.Length <= max ? text : text[..(max - 60)] + "\n... Output was truncated. Please limit to 500 chars";

    private static string KataStatus(KataRun run) => run.State switch
    {
        _ when run.Passed => "pass",
        KataState.Skipped => "skipped",
        KataState.CompileError or KataState.TimedOut or KataState.Crashed => "error",
        _ => "fail",
    };

    private sealed record ExercismDocument(
        int Version,
        int KoansVersion,
        string Status,
        string? Message,
        IReadOnlyList<ExercismTest> Tests,
        IReadOnlyList<ExercismKata> Katas,
        IReadOnlyList<ResultsFile.KataProgress> Progress);

    private sealed record ExercismTest(string Name, string Status, string? Message, string? Output, string Kata);

    private sealed record ExercismKata(string Id, string Status, string Summary);
}
