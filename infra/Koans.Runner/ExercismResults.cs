using System.Text.Json;

namespace Koans.Runner;

/// <summary>
/// Writes results in the shape of Exercism's test runner interface, results.json version 3
/// (https://exercism.org/docs/building/tooling/test-runners/interface): a status, and per test name/status/message/output.
/// </summary>
public static class ExercismResults
{
    public static object ToDocument(IReadOnlyList<KataRun> runs, string root)
    {
        var prefix = runs.Count > 1;
        var compileErrors = runs.Where(r => r.State is KataState.CompileError or KataState.TimedOut or KataState.Crashed).ToList();
        var status = compileErrors.Count > 0 ? "error" : runs.All(r => r.Passed) ? "pass" : "fail";
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
            string.IsNullOrEmpty(t.Output) ? null : Truncate(t.Output, 500)))).ToList();
        return new ExercismDocument(3, status, message, tests);
    }

    public static void Write(string path, IReadOnlyList<KataRun> runs, string root)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new KoansException($"Cannot write {path}: the folder {directory} does not exist.");
        }

        File.WriteAllText(full, JsonSerializer.Serialize(ToDocument(runs, root), Catalog.Json));
    }

    // Exercism truncates output to 500 characters and says so.
    private static string Truncate(string text, int max) =>
        text.Length <= max ? text : text[..(max - 60)] + "\n... Output was truncated. Please limit to 500 chars";

    private sealed record ExercismDocument(int Version, string Status, string? Message, IReadOnlyList<ExercismTest> Tests);

    private sealed record ExercismTest(string Name, string Status, string? Message, string? Output);
}
