using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Koans.Runner;

public enum TestStatus
{
    Passed,
    Failed,
    Skipped,
    NotRun,
}

/// <summary>One test's result, read from the xunit v3 XML report.</summary>
public sealed record TestCase(
    string Name,
    string Method,
    TestStatus Status,
    string? ExceptionType = null,
    string? Message = null,
    string? StackTrace = null,
    string? Output = null,
    string? SourceFile = null,
    int? SourceLine = null,
    string? SkipReason = null)
{
    /// <summary>The test's method name as a sentence: the spec.</summary>
    public string DisplayName => Method.Replace('_', ' ');

    /// <summary>
    /// True when the test failed because the code under test threw <see cref="NotImplementedException"/>: directly,
    /// or as FluentAssertions reports it ("Expected X to be thrown, but found &lt;System.NotImplementedException&gt;").
    /// </summary>
    public bool FailedBecauseNotImplemented =>
        Status == TestStatus.Failed
        && (ExceptionType == "System.NotImplementedException"
            || (Message?.Contains("System.NotImplementedException", StringComparison.Ordinal) ?? false));
}

public static partial class XunitReport
{
    public static IReadOnlyList<TestCase> Parse(string xml)
    {
        var document = XDocument.Parse(xml);
        return document.Descendants("test").Select(ToTestCase).ToList();
    }

    private static TestCase ToTestCase(XElement test)
    {
        var failure = test.Element("failure");
        var status = (string?)test.Attribute("result") switch
        {
            "Pass" => TestStatus.Passed,
            "Fail" => TestStatus.Failed,
            "Skip" => TestStatus.Skipped,
            _ => TestStatus.NotRun,
        };
        var name = (string?)test.Attribute("name") ?? "";
        var method = (string?)test.Attribute("method") ?? name.Split('.')[^1];
        return new TestCase(
            name,
            method,
            status,
            (string?)failure?.Attribute("exception-type"),
            failure?.Element("message")?.Value,
            failure?.Element("stack-trace")?.Value,
            test.Element("output")?.Value,
            (string?)test.Attribute("source-file"),
            (int?)test.Attribute("source-line"),
            test.Element("reason")?.Value);
    }

    /// <summary>
    /// The most useful place to look: the first stack frame in the learner's own files (the kata folder, not a test file),
    /// else the first frame in the kata's test file, else the test's declaration. Framework frames are never shown.
    /// </summary>
    public static SourceLocation? LearnerLocation(TestCase test, string kataDirectory)
    {
        var frames = StackFrames(test.StackTrace)
            .Concat(StackFrames(test.Message))
            .Where(f => IsUnder(f.File, kataDirectory))
            .ToList();
        return frames.FirstOrDefault(f => !Kata.IsTestFile(f.File))
               ?? frames.FirstOrDefault()
               ?? (test.SourceFile is { } file && test.SourceLine is { } line ? new SourceLocation(file, line) : null);
    }

    public static IEnumerable<SourceLocation> StackFrames(string? trace)
    {
        if (string.IsNullOrEmpty(trace))
        {
            yield break;
        }

        foreach (Match m in FramePattern().Matches(trace))
        {
            yield return new SourceLocation(m.Groups["file"].Value.Trim(), int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static bool IsUnder(string file, string directory) =>
        Path.GetFullPath(file).StartsWith(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    [GeneratedRegex(@" in (?<file>[^\r\n]+?):line (?<line>\d+)")]
    private static partial Regex FramePattern();
}

public sealed record SourceLocation(string File, int Line)
{
    public string Display(string root) => $"{Path.GetRelativePath(root, File).Replace('\\', '/')}:{Line}";
}
