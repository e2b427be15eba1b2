using DiffPlex.Renderer;

namespace Koans.Runner;

/// <summary>
/// `review &lt;kata&gt; [--learner DIR]`: what a mentor needs to discuss one kata with a learner: its test status, the
/// learner's code against the reference as a unified diff, the hints they needed, and the mentor notes. It never
/// changes the learner's code or their progress (running the tests only writes build output under artifacts/).
/// </summary>
public sealed class Review(string root, Ui ui)
{
    public async Task<int> RunAsync(string query, string? learnerDirectory, bool runTests, CancellationToken cancellationToken)
    {
        var learnerRoot = learnerDirectory is null ? root : LearnerRoot(learnerDirectory);
        var referenceCatalog = Catalog.Load(root);
        var kata = Commands.Single(referenceCatalog, query, "review");
        var learnerCatalog = learnerRoot == root ? referenceCatalog : Catalog.Load(learnerRoot);
        var learnerKata = learnerCatalog.FindKata(kata.Id)
                          ?? throw new KoansException($"The clone in {learnerRoot} has no kata {kata.Id} on its path: it is older or newer than this one, so run review from a clone of the same version.");
        var state = LearnerState.Load(learnerRoot);

        ui.Rule($"Review of {kata.Id}: {kata.Title}");
        ui.Line($"[bold]Learner:[/] {Ui.Escape(learnerRoot)}");
        ui.Line();
        ui.Line("[bold]Test status[/]");
        var exitCode = 0;
        if (runTests)
        {
            var tester = new KataTester(new KataBuilder(learnerRoot));
            KataRun run;
            using (RunnerLock.Acquire(learnerRoot))
            {
                run = await tester.RunAsync(learnerKata, Track.Katas, cancellationToken);
            }

            ui.Explain(run, learnerRoot, allFailures: true);
            exitCode = run.Passed || run.State == KataState.Skipped ? 0 : 1;
        }
        else
        {
            ui.Line("  " + Ui.Escape(MentorText.Status(state, learnerKata)) + " [grey](last recorded run; not re-run)[/]");
        }

        var progress = state.Progress.GetValueOrDefault(kata.Id);
        var hintsShown = Math.Min(state.HintsShown.GetValueOrDefault(kata.Id), learnerKata.Metadata.Hints.Count);
        ui.Line($"  Test runs: {progress?.Attempts ?? 0}  ·  first passed: {Ui.Escape(MentorText.When(progress?.FirstPassedAt))}  ·  hints seen: {hintsShown}/{learnerKata.Metadata.Hints.Count}");
        ui.Line();
        ui.Line("[bold]Hints the learner needed[/]");
        if (hintsShown == 0)
        {
            ui.Line("  none");
        }

        for (var i = 0; i < hintsShown; i++)
        {
            ui.Line($"  {i + 1}. {Ui.Escape(learnerKata.Metadata.Hints[i])}");
        }

        ui.Line();
        ui.Note("The diffs read from the reference (-) to the learner's code (+); the stub's XML doc comments are left out.");
        foreach (var (name, diff) in Diffs(learnerKata, kata))
        {
            ui.Rule($"{name}: reference (-), learner (+)");
            WriteDiff(diff);
        }

        var notes = Path.Combine(kata.SolutionDirectory, "NOTES.md");
        if (File.Exists(notes))
        {
            ui.Rule(Path.GetRelativePath(root, notes).Replace('\\', '/'));
            ui.Text(File.ReadAllText(notes));
        }

        return exitCode;
    }

    /// <summary>One unified diff per file the learner edits, against the reference file of the same name.</summary>
    public static IReadOnlyList<(string File, string Diff)> Diffs(Kata learnerKata, Kata referenceKata)
    {
        var diffs = new List<(string, string)>();
        foreach (var stub in learnerKata.StubFiles)
        {
            var relative = Path.GetRelativePath(learnerKata.Directory, stub).Replace('\\', '/');
            var reference = Path.Combine(referenceKata.SolutionDirectory, relative);
            if (!File.Exists(reference))
            {
                diffs.Add((relative, $"(the reference has no {relative}: the learner's file is shown whole)\n" + File.ReadAllText(stub)));
                continue;
            }

            var diff = new UnidiffRenderer(contextLines: 3).Generate(
                Normalise(File.ReadAllText(reference)),
                Normalise(File.ReadAllText(stub)),
                $"reference/{relative}",
                $"learner/{relative}");
            diffs.Add((relative, string.IsNullOrWhiteSpace(diff) || !diff.Contains("@@", StringComparison.Ordinal)
                ? "(identical to the reference)"
                : diff));
        }

        return diffs;
    }

    private void WriteDiff(string diff)
    {
        foreach (var line in diff.TrimEnd('\n').Split('\n'))
        {
            if (ui.Plain)
            {
                ui.Text(line);
                continue;
            }

            var colour = line switch
            {
                _ when line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) => "bold",
                _ when line.StartsWith('+') => "green",
                _ when line.StartsWith('-') => "red",
                _ when line.StartsWith("@@", StringComparison.Ordinal) => "cyan",
                _ => "default",
            };
            ui.Line($"[{colour}]{Ui.Escape(line)}[/]");
        }
    }

    // The stub's XML doc is the task and the reference has little: diffing it would bury the code the learner wrote.
    private static string Normalise(string text) =>
        string.Join('\n', text.Replace("\r\n", "\n").Split('\n').Where(line => !line.TrimStart().StartsWith("///", StringComparison.Ordinal)));

    /// <summary>The root of a learner's clone, or one sentence saying why the folder is not one.</summary>
    public static string LearnerRoot(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!Directory.Exists(full))
        {
            throw new KoansException($"There is no folder {directory}: give --learner the path of a learner's Koans clone (the folder with run-katas.sh).");
        }

        if (!File.Exists(Path.Combine(full, Catalog.PathFile)))
        {
            throw new KoansException($"{directory} is not a Koans clone (it has no {Catalog.PathFile}): give --learner the folder with run-katas.sh in it.");
        }

        return full;
    }
}

/// <summary>Short texts about a learner's progress, shared by review and report.</summary>
public static class MentorText
{
    public static string Failure(KataRun run)
    {
        var text = run.State switch
        {
            KataState.Failed when run.FirstFailure is { } test => $"{test.DisplayName}: " + (test.FailedBecauseNotImplemented
                ? "not implemented yet"
                : (test.Message ?? "").Trim()),
            KataState.CompileError => "does not compile: " + (run.Build?.Errors.FirstOrDefault()?.Text ?? run.Problem ?? ""),
            _ => run.Summary,
        };
        return text.Length <= 500 ? text : text[..497] + "...";
    }

    /// <summary>passed, failing, …: the last recorded result, or why there is none.</summary>
    public static string Status(LearnerState state, Kata kata) => state.Cached(kata) switch
    {
        { } known => Word(known),
        null when state.Results.ContainsKey(kata.Id) => "changed since last run",
        null => "not started",
    };

    public static string Word(KataState state) => state switch
    {
        KataState.Passed => "passed",
        KataState.Failed => "failing",
        KataState.CompileError => "does not compile",
        KataState.TimedOut => "timed out",
        KataState.Skipped => "skipped",
        _ => "crashed",
    };

    public static string When(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : "not yet";
}
