using System.Diagnostics;

namespace Koans.Runner;

/// <summary>The learner's commands. Each returns the process exit code.</summary>
public sealed class Commands(string root, Ui ui, bool checkPublishedTests = true)
{
    private readonly KataTester _tester = new(new KataBuilder(root), checkPublishedTests);

    public string Root { get; } = root;

    private bool _saveProblemShown;

    /// <summary>The path, with every kata that could not be loaded reported as an error naming its file and line.</summary>
    internal Catalog LoadCatalog()
    {
        var catalog = Catalog.Load(Root);
        foreach (var problem in catalog.Problems)
        {
            ui.Problem("error: " + problem);
        }

        if (!catalog.Katas.Any())
        {
            throw new KoansException("katas/path.json lists no kata with a folder and a kata.json: run `./run-katas.sh verify` to see what is missing.");
        }

        return catalog;
    }

    /// <summary>No arguments: test the katas in order up to the first that is not done, and show it.</summary>
    public async Task<int> PathAsync(string? jsonFile, CancellationToken cancellationToken)
    {
        var catalog = LoadCatalog();
        var state = LearnerState.Load(Root);
        KataRun? current = null;
        var skipped = new List<KataRun>();
        var runs = new List<KataRun>();
        using (RunnerLock.Share(Root, "the path"))
        {
            foreach (var kata in catalog.Katas)
            {
                if (state.HasPassed(kata))
                {
                    continue;
                }

                if (!ui.Plain)
                {
                    ui.Note($"Testing {kata.Id}…");
                }

                var run = await TestAsync(kata, "(the path)", cancellationToken);
                runs.Add(run);
                state.Record(run);
                Save(state);
                if (run.Passed)
                {
                    continue;
                }

                if (run.State == KataState.Skipped)
                {
                    skipped.Add(run);
                    continue;
                }

                current = run;
                break;
            }
        }

        ui.Progress(catalog, state.HasPassed);
        ui.Line();
        foreach (var run in skipped)
        {
            ui.Explain(run, Root);
        }

        if (jsonFile is not null)
        {
            // Every kata tested on the way: those that now pass, the skipped ones, and the current one.
            ExercismResults.Write(jsonFile, runs, Root, catalog, state);
        }

        if (current is null)
        {
            ui.Success(skipped.Count == 0
                ? "Every kata passes. Well done: `./run-katas.sh solution <kata>` compares your work with the reference."
                : "Every kata that can run here passes; the skipped ones above say what they need.");
            return 0;
        }

        ShowCurrent(catalog, current, state);
        return 1;
    }

    private void ShowCurrent(Catalog catalog, KataRun run, LearnerState state)
    {
        var kata = run.Kata;
        ui.Rule($"Kata {kata.Number}/{catalog.Katas.Count()}: {kata.Title}");
        ui.Line($"[bold]{Ui.Escape(kata.Id)}[/]  ·  edit {Ui.Escape(string.Join(", ", kata.StubFiles.Select(f => Path.GetRelativePath(Root, f))))}");
        ui.Explain(run, Root);
        ui.Line();
        var shown = state.HintsShown.GetValueOrDefault(kata.Id);
        if (kata.Metadata.Hints.Count > 0)
        {
            ui.Line($"[bold]Hint 1/{kata.Metadata.Hints.Count}:[/] {Ui.Escape(kata.Metadata.Hints[0])}");
            if (shown == 0)
            {
                state.HintsShown[kata.Id] = 1;
                Save(state);
            }
        }

        ui.Note("Next: edit the stub and run ./run-katas.sh again, or ./run-katas.sh watch to re-test on every save; ./run-katas.sh hint for the next hint.");
    }

    public Task<int> ListAsync()
    {
        var catalog = LoadCatalog();
        var state = LearnerState.Load(Root);
        ui.Progress(catalog, state.HasPassed);
        foreach (var section in catalog.Sections)
        {
            ui.Line();
            ui.Line($"[bold]{Ui.Escape(section.Title)}[/] ({Ui.Escape(section.Id)}){(section.Katas.Count == 0 ? " [grey]no katas yet: this section is planned[/]" : "")}");
            foreach (var kata in section.Katas)
            {
                var (mark, word) = state.Cached(kata) switch
                {
                    KataState.Passed => ("[green]✓[/]", "passed"),
                    KataState.Skipped => ("[yellow]-[/]", "skipped"),
                    null when state.Results.ContainsKey(kata.Id) => ("[yellow]?[/]", "changed since last run"),
                    null => ("[grey]·[/]", "not run yet"),
                    _ => ("[red]✗[/]", "failing"),
                };
                var needs = kata.Metadata.Requires.Count > 0 ? $" (needs {string.Join(", ", kata.Metadata.Requires)})" : "";
                ui.Line($"  {mark} {kata.Number,3}. {Ui.Escape(kata.Id),-40} {Ui.Escape(kata.Title)}{Ui.Escape(needs)}  [grey]{word}[/]");
            }
        }

        return Task.FromResult(catalog.Problems.Count == 0 ? 0 : 2);
    }

    public Task<int> HintAsync(string? query)
    {
        var catalog = LoadCatalog();
        var state = LearnerState.Load(Root);
        var kata = query is null
            ? catalog.Katas.FirstOrDefault(k => !state.HasPassed(k))
              ?? throw new KoansException("Every kata has passed: there is no current kata to give a hint for. Name one: ./run-katas.sh hint <kata>.")
            : Single(catalog, query, "hint");
        var hints = kata.Metadata.Hints;
        var shown = state.HintsShown.GetValueOrDefault(kata.Id);
        if (shown >= hints.Count)
        {
            ui.Line($"[bold]{Ui.Escape(kata.Id)}[/]: you have seen all {hints.Count} hints:");
            for (var i = 0; i < hints.Count; i++)
            {
                ui.Line($"  [bold]Hint {i + 1}/{hints.Count}:[/] {Ui.Escape(hints[i])}");
            }

            ui.Note($"Once the kata passes, ./run-katas.sh solution {kata.Id} shows the reference and the mentor notes.");
            return Task.FromResult(0);
        }

        ui.Line($"[bold]{Ui.Escape(kata.Id)} — hint {shown + 1}/{hints.Count}:[/] {Ui.Escape(hints[shown])}");
        state.HintsShown[kata.Id] = shown + 1;
        Save(state);
        if (shown + 1 < hints.Count)
        {
            ui.Note("Run ./run-katas.sh hint again for the next, more specific one.");
        }

        return Task.FromResult(0);
    }

    public async Task<int> RunAsync(string query, string? jsonFile, CancellationToken cancellationToken)
    {
        var catalog = LoadCatalog();
        var katas = catalog.Resolve(query);
        var state = LearnerState.Load(Root);
        var runs = new List<KataRun>();
        using (RunnerLock.Share(Root, "run"))
        {
            foreach (var kata in katas)
            {
                var run = await TestAsync(kata, "run", cancellationToken);
                state.Record(run);
                Save(state);
                runs.Add(run);
                ui.Explain(run, Root, allFailures: katas.Count == 1);
            }
        }

        if (jsonFile is not null)
        {
            ExercismResults.Write(jsonFile, runs, Root, catalog, state);
        }

        if (katas.Count > 1)
        {
            ui.Line();
            ui.Line($"[bold]{runs.Count(r => r.Passed)}/{runs.Count} passed[/]");
        }

        return runs.All(r => r.Passed || r.State == KataState.Skipped) ? 0 : 1;
    }

    public async Task<int> SolutionAsync(string query, bool mentor, CancellationToken cancellationToken)
    {
        var catalog = LoadCatalog();
        var kata = Single(catalog, query, "solution");
        if (!mentor)
        {
            var state = LearnerState.Load(Root);
            if (!state.HasPassed(kata))
            {
                using (RunnerLock.Share(Root, "solution"))
                {
                    var run = await TestAsync(kata, "solution", cancellationToken);
                    state.Record(run);
                    Save(state);
                    if (run.ChangedTests.Count > 0)
                    {
                        throw new KoansException($"The reference for {kata.Id} opens only when the published tests pass, and {string.Join(", ", run.ChangedTests)} differs from the published version: restore it with `git checkout -- {string.Join(" ", run.ChangedTests)}`.");
                    }
                }
            }

            if (!state.HasPassed(kata))
            {
                throw new KoansException($"The reference for {kata.Id} opens once your kata passes: keep going (./run-katas.sh hint {kata.Id} helps). Mentors: add --mentor.");
            }
        }

        foreach (var file in kata.SolutionFiles)
        {
            ui.Rule(Path.GetRelativePath(Root, file));
            ui.Text(File.ReadAllText(file));
        }

        var notes = Path.Combine(kata.SolutionDirectory, "NOTES.md");
        if (File.Exists(notes))
        {
            ui.Rule(Path.GetRelativePath(Root, notes));
            ui.Text(File.ReadAllText(notes));
        }

        return 0;
    }

    public async Task<int> ResetAsync(string query, bool yes, CancellationToken cancellationToken, Confirmation? confirmation = null)
    {
        var catalog = LoadCatalog();
        var kata = Single(catalog, query, "reset");
        var git = await ProcessRunner.RunAsync("git", ["rev-parse", "--is-inside-work-tree"], Root, TimeSpan.FromSeconds(30), cancellationToken);
        if (git.ExitCode != 0)
        {
            throw new KoansException("reset needs git, and this folder is not a git checkout: clone Koans with git to use reset (your files are unchanged).");
        }

        var locked = StubLock.Read(Root)
            .Where(e => e.Key.StartsWith(kata.RelativeDirectory + "/", StringComparison.Ordinal) && !Kata.IsTestFile(e.Key))
            .ToList();
        if (locked.Count == 0)
        {
            throw new KoansException($"{StubLock.FileName} has no entry for {kata.Id}, so its original stub is unknown: update your checkout (git pull) and try again.");
        }

        var changed = locked
            .Where(e => !File.Exists(Path.Combine(Root, e.Key)) || StubLock.BlobId(File.ReadAllBytes(Path.Combine(Root, e.Key))) != e.Value)
            .ToList();
        if (changed.Count == 0)
        {
            ui.Success($"{kata.Id} is already the original stub: nothing to reset.");
            return 0;
        }

        // Fetch every original first: if one is missing, nothing is touched.
        var originals = new List<(string File, byte[] Content)>();
        foreach (var (file, blob) in changed)
        {
            originals.Add((file, await GitBlobAsync(blob, file, cancellationToken)));
        }

        if (!yes)
        {
            var ask = confirmation ?? Confirmation.Terminal("run it again with --yes to confirm.");
            var files = string.Join(", ", changed.Select(c => c.Key));
            if (!ask.CanAsk)
            {
                throw new KoansException($"reset would replace your work in {files}, and there is no terminal to ask on: {ask.NoTerminalAdvice}");
            }

            ui.Line($"This replaces your work in [bold]{Ui.Escape(files)}[/] with the original stub (a backup is kept).");
            if (!ask.Ask("Reset?"))
            {
                ui.Note("Nothing changed.");
                return 1;
            }
        }

        var backup = Path.Combine(LearnerState.Directory(Root), "backups", kata.Id, DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (file, content) in originals)
        {
            var path = Path.Combine(Root, file);
            if (File.Exists(path))
            {
                var saved = Path.Combine(backup, file);
                Directory.CreateDirectory(Path.GetDirectoryName(saved)!);
                File.Copy(path, saved, overwrite: true);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, content, cancellationToken);
        }

        ui.Success($"{kata.Id} is back to its original stub.");
        if (Directory.Exists(backup))
        {
            ui.Note($"Your previous version is in {Path.GetRelativePath(Root, backup)}.");
        }

        return 0;
    }

    private async Task<byte[]> GitBlobAsync(string blob, string file, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("cat-file");
        start.ArgumentList.Add("blob");
        start.ArgumentList.Add(blob);
        using var process = Process.Start(start) ?? throw new KoansException("Could not start git.");
        using var memory = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(memory, cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await copy;
        await errors;
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new KoansException($"The original of {file} (git object {blob[..10]}) is not in this clone's history: run `git fetch` from the Koans repository and try again. Nothing was changed.");
        }

        return memory.ToArray();
    }

    public Task<int> LockStubsAsync()
    {
        var catalog = LoadCatalog();
        using var checkout = RunnerLock.Acquire(Root, "lock");
        StubLock.Write(catalog);
        ui.Success($"{StubLock.FileName} now records {StubLock.Compute(catalog).Count} kata files.");
        return Task.FromResult(0);
    }

    internal static Kata Single(Catalog catalog, string query, string command)
    {
        var katas = catalog.Resolve(query);
        return katas.Count == 1 && catalog.FindKata(query) is not null
            ? katas[0]
            : throw new KoansException($"{command} takes one kata, and '{query}' is a section: name a kata, for example {katas.FirstOrDefault()?.Id ?? "crypto.hashing"}.");
    }

    internal KataTester Tester => _tester;

    /// <summary>Builds and tests one kata on the katas track, holding that kata's lock (and no other) meanwhile.</summary>
    internal async Task<KataRun> TestAsync(Kata kata, string command, CancellationToken cancellationToken)
    {
        using var kataLock = await RunnerLock.ForKataAsync(Root, kata, command, ui.Note, cancellationToken);
        return await _tester.RunAsync(kata, Track.Katas, cancellationToken);
    }

    /// <summary>Saves the learner's state; if it cannot be saved, the verdict still stands and the learner is told once.</summary>
    internal void Save(LearnerState state)
    {
        if (state.Save(Root) is { } problem && !_saveProblemShown)
        {
            _saveProblemShown = true;
            ui.Problem(problem);
        }
    }
}
