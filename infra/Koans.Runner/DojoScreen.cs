using Spectre.Console;

namespace Koans.Runner;

/// <summary>What the dojo screen shows at one moment.</summary>
public sealed record DojoView(Kata Kata, KataRun? Run, bool Testing, Rotation Rotation);

/// <summary>
/// One frame of dojo mode, drawn for a projector: the status in large red or green letters, the tests passing, the
/// failing test and its message, the turn's countdown and the "switch driver" banner. A pure function of the view and
/// the terminal's size (at least 80×24; a larger terminal gets wider bars and more of the message).
/// </summary>
public static class DojoScreen
{
    public const int MinimumWidth = 80;
    public const int MinimumHeight = 24;

    public static bool Fits(int width, int height) => width >= MinimumWidth && height >= MinimumHeight;

    public static string TooSmall(int width, int height) =>
        $"dojo needs a terminal of at least {MinimumWidth}×{MinimumHeight} characters, and this one is {width}×{height}: enlarge the window (or make the font smaller) and it redraws.";

    public static string Render(DojoView view, string root, int width, int height, bool colour)
    {
        if (!Fits(width, height))
        {
            return TooSmall(width, height);
        }

        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = colour ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = colour ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = width;
        console.Profile.Height = height;

        var rotation = view.Rotation;
        var (word, band, tone) = Status(view);
        var lines = 0;
        void Line(string markup)
        {
            console.MarkupLine(markup);
            lines++;
        }

        var right = $"driver {rotation.Driver} · {Rotation.Clock(rotation.Remaining)} left{(view.Testing ? " · testing…" : "")}";
        var left = Fit($"Koans dojo · {view.Kata.Id} · {view.Kata.Title}", width - right.Length - 2);
        Line($"[bold]{Markup.Escape(left)}[/]{new string(' ', width - left.Length - right.Length)}[bold]{Markup.Escape(right)}[/]");
        Line("");

        var big = rotation.Switching ? "SWITCH!" : word;
        var bigTone = rotation.Switching ? Color.Yellow : tone;
        var figlet = new StringWriter();
        var figletConsole = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(figlet),
        });
        figletConsole.Profile.Width = width;
        figletConsole.Write(new FigletText(big));
        foreach (var row in figlet.ToString().TrimEnd('\n').Split('\n'))
        {
            Line($"[bold {bigTone.ToMarkup()}]{Markup.Escape(row.TrimEnd())}[/]");
        }

        var bandText = rotation.Switching
            ? $"SWITCH DRIVER: driver {rotation.Driver}, take the keyboard · {band}"
            : band;
        Line($"[bold black on {(rotation.Switching ? Color.Yellow : tone).ToMarkup()}]{Markup.Escape(Fit(" " + bandText, width).PadRight(width))}[/]");
        Line("");

        var footer = 3;
        var room = height - lines - footer;
        foreach (var (text, style) in Details(view, root).Take(room))
        {
            var fitted = Markup.Escape(Fit(text, width));
            Line(style is null ? fitted : $"[{style}]{fitted}[/]");
        }

        while (lines < height - 2)
        {
            Line("");
        }

        var clock = Rotation.Clock(rotation.Remaining);
        var after = $" {clock} left · then driver {rotation.Driver + 1} takes the keyboard";
        var barWidth = Math.Max(10, width - after.Length - 8);
        var elapsed = rotation.Length - rotation.Remaining;
        var filled = (int)Math.Round(barWidth * Math.Clamp(elapsed / rotation.Length, 0, 1));
        var barTone = rotation.Remaining <= TimeSpan.FromSeconds(30) ? "yellow" : "blue";
        Line($"Turn [{barTone}]{new string('█', filled)}[/][grey]{new string('░', barWidth - filled)}[/]{Markup.Escape(after)}");
        console.Markup("[grey][[n]] next driver now   [[r]] re-test   [[q]] quit   · save a file to re-test[/]");
        return output.ToString();
    }

    private static (string Word, string Band, Color Tone) Status(DojoView view)
    {
        var testing = view.Testing ? " · testing your change…" : "";
        return view.Run switch
        {
            null => ("...", "TESTING · building and running the tests…", Color.Grey),
            { Passed: true } run => ("GREEN", $"GREEN · all {run.Tests.Count} tests pass{testing}", Color.Green),
            { State: KataState.Skipped } run => ("SKIPPED", $"SKIPPED · {run.Summary}{testing}", Color.Yellow),
            { State: KataState.CompileError } => ("RED", $"RED · does not compile{testing}", Color.Red),
            var run => ("RED", $"RED · {Passing(run)} of {run.Tests.Count} tests pass{testing}", Color.Red),
        };
    }

    private static int Passing(KataRun run) => run.Tests.Count(t => t.Status == TestStatus.Passed);

    /// <summary>What to fix next: the failing test and its message, or the compiler's errors (text, and its style).</summary>
    private static IEnumerable<(string Text, string? Style)> Details(DojoView view, string root)
    {
        if (view.Run is not { } run)
        {
            yield return ("The first test run of the session is on its way.", null);
            yield break;
        }

        if (run.Passed)
        {
            yield return ($"Every test of {run.Kata.Id} passes. Refactor while it stays green, or compare: ./run-katas.sh solution {run.Kata.Id}", "green");
            yield break;
        }

        if (run.State == KataState.CompileError)
        {
            yield return ("The build fails:", "bold");
            foreach (var line in run.Build?.ErrorLines(root) ?? [run.Problem ?? "the build failed"])
            {
                yield return ("  " + line, null);
            }

            yield break;
        }

        if (run.State is KataState.TimedOut or KataState.Crashed)
        {
            yield return (run.Problem ?? run.Summary, "bold");
        }

        if (run.Tests.FirstOrDefault(t => t.Status == TestStatus.Failed) is not { } test)
        {
            yield break;
        }

        yield return ("Failing test: " + test.DisplayName, "bold");
        var message = test.FailedBecauseNotImplemented
            ? "Not implemented yet: the stub still throws NotImplementedException."
            : (test.Message ?? "").Trim();
        foreach (var line in message.Split('\n'))
        {
            yield return ("  " + line.TrimEnd(), null);
        }
    }

    private static string Fit(string text, int width) =>
        text.Length <= width ? text : text[..Math.Max(0, width - 1)] + "…";
}
