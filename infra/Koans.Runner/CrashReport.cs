using System.Text.RegularExpressions;

namespace Koans.Runner;

/// <summary>
/// One sentence for a test process that ended without a report: a stack overflow (with the learner's method that
/// recursed), a kill for memory (exit 137), Environment.Exit, or else the last lines it wrote.
/// </summary>
public static partial class CrashReport
{
    private const int KilledBySigKill = 128 + 9;

    public static string Explain(Kata kata, Track track, ProcessResult process)
    {
        var sources = track == Track.Katas ? kata.StubFiles : kata.SolutionFiles;
        var root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(kata.Directory)))!;
        if (process.Output.Contains("Stack overflow.", StringComparison.Ordinal))
        {
            var frame = StackOverflowFrames(process.Output).FirstOrDefault(f => !IsTestFrame(f) && !IsFrameworkFrame(f));
            var where = frame is null ? null : Declaration(frame, sources, root);
            return $"the test process of {kata.Id} died of a stack overflow"
                   + (frame is null ? "" : $" in {frame}{(where is null ? "" : $" ({where})")}")
                   + ": a recursion that never reaches its base case, or input nested deeper than the code allows? Give the recursion a depth limit, or use a loop with an explicit stack.";
        }

        if (process.ExitCode == KilledBySigKill)
        {
            return $"the test process of {kata.Id} was killed (SIGKILL, exit code 137), most often by the system because it ran out of memory: look for a list, string or buffer that grows without bound in {Names(sources, root)}.";
        }

        if (Mentions(sources, "Environment.Exit", root) is { } exit)
        {
            return $"the test process of {kata.Id} ended (exit code {process.ExitCode}) before reporting results because {exit} calls Environment.Exit, which ends the test process too: throw an exception or return a value instead.";
        }

        var tail = string.Join('\n', process.Output.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0 && !l.StartsWith("[Long Running Test]", StringComparison.Ordinal)).TakeLast(12));
        var ending = process.ExitCode == 0
            ? "exited early (exit code 0): does the code call Environment.Exit, or end the process another way?"
            : $"ended with exit code {process.ExitCode}";
        return $"the test process of {kata.Id} {ending} without reporting results." + (tail.Length > 0 ? "\nIts last output:\n" + tail : "");
    }

    private static bool IsTestFrame(string frame) => frame.Split('(')[0].Split('.').Reverse().Skip(1).FirstOrDefault()?.EndsWith("Tests", StringComparison.Ordinal) == true;

    private static bool IsFrameworkFrame(string frame) =>
        frame.StartsWith("System.", StringComparison.Ordinal) || frame.StartsWith("Microsoft.", StringComparison.Ordinal)
        || frame.StartsWith("Xunit.", StringComparison.Ordinal) || frame.StartsWith("FluentAssertions.", StringComparison.Ordinal)
        || frame.StartsWith("InvokeStub_", StringComparison.Ordinal);

    /// <summary>The frames the runtime prints after "Stack overflow.", innermost first, e.g. "Koans.X.Y.Rlp.Decode(Byte[])".</summary>
    private static IEnumerable<string> StackOverflowFrames(string output) =>
        output[output.IndexOf("Stack overflow.", StringComparison.Ordinal)..]
            .Split('\n')
            .Select(l => FramePattern().Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups["frame"].Value.Trim());

    /// <summary>Where a frame's method is declared in the learner's files, as file:line.</summary>
    private static string? Declaration(string frame, IEnumerable<string> sources, string root)
    {
        var method = frame.Split('(')[0].Split('.')[^1];
        var declaration = new Regex($@"\b{Regex.Escape(method)}\s*(<[^>]*>)?\s*\(");
        foreach (var file in sources)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (declaration.IsMatch(lines[i]) && !lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal) && !lines[i].Contains("return", StringComparison.Ordinal))
                {
                    return $"{StubLock.Relative(root, file)}:{i + 1}";
                }
            }
        }

        return null;
    }

    private static string? Mentions(IEnumerable<string> sources, string text, string root)
    {
        foreach (var file in sources)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Contains(text, StringComparison.Ordinal) && !lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal))
                {
                    return $"{StubLock.Relative(root, file)}:{i + 1}";
                }
            }
        }

        return null;
    }

    private static string Names(IEnumerable<string> sources, string root) =>
        string.Join(", ", sources.Select(f => StubLock.Relative(root, f))) is { Length: > 0 } names ? names : "the kata's code";

    [GeneratedRegex(@"^\s*at (?<frame>[^\s].*\))\s*$")]
    private static partial Regex FramePattern();
}
