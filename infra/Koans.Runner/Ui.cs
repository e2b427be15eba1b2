using Spectre.Console;

namespace Koans.Runner;

/// <summary>
/// All output goes through here: Spectre.Console with colour on a terminal, plain text when the output is redirected
/// (CI logs, pipes), when NO_COLOR is set, or when TERM=dumb.
/// </summary>
public sealed class Ui
{
    public Ui(TextWriter? writer = null, bool? plain = null)
    {
        Plain = plain ?? (writer is not null
                          || System.Console.IsOutputRedirected
                          || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
                          || Environment.GetEnvironmentVariable("TERM") == "dumb");
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = Plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = Plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = Plain ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(writer ?? System.Console.Out),
        });
        if (Plain)
        {
            Console.Profile.Width = 400; // never wrap a path or a compiler message in a log
        }
    }

    public bool Plain { get; }

    public IAnsiConsole Console { get; }

    public static string Escape(string text) => Markup.Escape(text);

    public void Line(string markup = "") => Console.MarkupLine(markup);

    public void Text(string text) => Console.WriteLine(text);

    public void Success(string text) => Line($"[green]{Escape(text)}[/]");

    public void Problem(string text) => Line($"[red]{Escape(text)}[/]");

    public void Note(string text) => Line($"[grey]{Escape(text)}[/]");

    public void Rule(string title)
    {
        if (Plain)
        {
            Text($"== {title} ==");
        }
        else
        {
            Console.Write(new Rule($"[bold]{Escape(title)}[/]").LeftJustified());
        }
    }

    /// <summary>A progress bar as text, the same in both modes: [#####.....] 12/70.</summary>
    public static string Bar(int done, int total, int width = 30)
    {
        var filled = total == 0 ? 0 : (int)Math.Round(width * (double)done / total);
        return $"[{new string('#', filled)}{new string('.', width - filled)}] {done}/{total}";
    }

    public void Progress(Catalog catalog, Func<Kata, bool> isDone)
    {
        var all = catalog.Katas.ToList();
        var done = all.Count(isDone);
        Line($"[bold]Progress[/] {Escape(Bar(done, all.Count))}");
        var width = catalog.Sections.Max(s => s.Title.Length);
        foreach (var section in catalog.Sections.Where(s => s.Katas.Count > 0))
        {
            var sectionDone = section.Katas.Count(isDone);
            var colour = sectionDone == section.Katas.Count ? "green" : "grey";
            Line($"  [{colour}]{Escape(section.Title.PadRight(width))} {Escape(Bar(sectionDone, section.Katas.Count, 20))}[/]");
        }
    }

    /// <summary>Shows why a kata is not done yet: the first failing test, the place to look, the compile errors.</summary>
    public void Explain(KataRun run, string root, bool allFailures = false)
    {
        ExplainVerdict(run, root, allFailures);
        if (run.Build is { Succeeded: true, Warnings.Count: > 0 } build)
        {
            // Beneath the verdict: worth fixing, never a reason to stop a learner's run.
            var warnings = build.Warnings.Select(w => w.Display(root)).Distinct().ToList();
            Line($"[yellow]{warnings.Count} compiler warning{(warnings.Count == 1 ? "" : "s")} (not blocking; verify treats them as errors):[/]");
            foreach (var warning in warnings.Take(5))
            {
                Text("    " + warning);
            }
        }
    }

    private void ExplainVerdict(KataRun run, string root, bool allFailures)
    {
        var kata = run.Kata;
        foreach (var changed in run.ChangedTests)
        {
            Problem($"! {changed} differs from the published tests (infra/katas.lock): the tests are the spec, so this run does not count and the reference stays closed. Restore it with `git checkout -- {changed}`.");
        }

        switch (run.State)
        {
            case KataState.Passed when run.ChangedTests.Count > 0:
                Line($"[yellow]- {Escape(kata.Id)}: {Escape(run.Summary)}[/]");
                return;
            case KataState.Passed:
                Success($"✓ {kata.Id}: {run.Summary}");
                return;
            case KataState.CompileError:
                Problem($"✗ {kata.Id} does not compile:");
                foreach (var line in run.Build?.ErrorLines(root) ?? [run.Problem ?? "the build failed"])
                {
                    Text("    " + line);
                }

                return;
            case KataState.TimedOut or KataState.Crashed:
                Problem($"✗ {kata.Id}: {run.Problem}");
                foreach (var test in run.StillRunning)
                {
                    Line($"  [bold]Not finished when stopped:[/] {Escape(TestNames.Display(test))}");
                }

                // The verdicts of the tests that finished before the hang or crash are kept.
                foreach (var test in run.Tests.Where(t => t.Status == TestStatus.Failed).Take(allFailures ? int.MaxValue : 1))
                {
                    ShowFailure(test, kata, root);
                }

                return;
            case KataState.Skipped:
                Line($"[yellow]- {Escape(kata.Id)}: {Escape(run.Summary)}[/]");
                return;
        }

        var failures = run.Tests.Where(t => t.Status != TestStatus.Passed).ToList();
        Problem($"✗ {kata.Id}: {run.Summary}");
        foreach (var test in allFailures ? failures : failures.Take(1))
        {
            ShowFailure(test, kata, root);
        }

        if (!allFailures && failures.Count > 1)
        {
            Note($"  (and {failures.Count - 1} more failing: ./run-katas.sh run {kata.Id} lists them all)");
        }
    }

    private void ShowFailure(TestCase test, Kata kata, string root)
    {
        Line($"  [bold]Failing test:[/] {Escape(test.DisplayName)}");
        if (XunitReport.LearnerLocation(test, kata.Directory) is { } location)
        {
            Line($"  [bold]Look at:[/] {Escape(location.Display(root))}");
        }

        var message = (test.Message ?? test.SkipReason ?? "").Trim();
        if (test.FailedBecauseNotImplemented)
        {
            message = "Not implemented yet: the stub still throws NotImplementedException.";
        }

        foreach (var line in message.Split('\n').Take(12))
        {
            Text("    " + line.TrimEnd());
        }
    }
}
