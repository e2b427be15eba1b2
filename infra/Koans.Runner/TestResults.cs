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
    /// <summary>The test's method name as a sentence (the spec), with a data-driven case's arguments.</summary>
    public string DisplayName => TestNames.Display(Name, Method);

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

    // .NET writes "in file:line 12"; Microsoft.Testing.Platform's console writes "in file:12".
    [GeneratedRegex(@" in (?<file>[^\r\n]+?\.cs):(line )?(?<line>\d+)")]
    private static partial Regex FramePattern();
}

public sealed record SourceLocation(string File, int Line)
{
    public string Display(string root) => $"{Path.GetRelativePath(root, File).Replace('\\', '/')}:{Line}";
}

public static partial class TestNames
{
    /// <summary>
    /// "Koans.Crypto.Abi.AbiTests.Decodes_a_word(hex: \"0x01\")" reads as "Decodes a word (hex: "0x01")": the method as a
    /// sentence, then the case's arguments as xunit printed them, so four cases of one theory are four names.
    /// </summary>
    public static string Display(string name, string? method = null)
    {
        var open = name.IndexOf('(', StringComparison.Ordinal);
        var qualified = open > 0 ? name[..open] : name;
        method ??= qualified.Split('.')[^1];
        var arguments = open > 0 && name.EndsWith(')') ? " " + name[open..].Replace("\\\"", "\"", StringComparison.Ordinal) : "";
        return Punctuate(method).Replace('_', ' ') + arguments;
    }

    /// <summary>
    /// A method name cannot hold the dots and hyphens of a citation, so the name spells them with underscores and the
    /// display puts them back: "RFC_8439_section_2_8_2" reads "RFC 8439 section 2.8.2", "appendix_A_2_5" reads
    /// "appendix A.2.5", "FIPS_180_4" reads "FIPS 180-4" and "SHA3_256" reads "SHA3-256".
    /// </summary>
    private static string Punctuate(string method)
    {
        method = SectionNumber().Replace(method, m => m.Groups["word"].Value + "_" + m.Groups["number"].Value.Replace('_', '.'));
        method = StandardNumber().Replace(method, "${name}_${number}-${part}");
        return Sha3Width().Replace(method, "${name}-${width}");
    }

    [GeneratedRegex(@"(?<word>(?<=^|_)(?:[Ss]ection|[Aa]ppendix|[Ee]xample))_(?<number>[0-9A-Z][0-9]*(?:_[0-9]+)+)(?=_|$)")]
    private static partial Regex SectionNumber();

    [GeneratedRegex(@"(?<name>(?<=^|_)(?:FIPS|SP))_(?<number>[0-9]+)_(?<part>[0-9]+)(?=_|$)")]
    private static partial Regex StandardNumber();

    [GeneratedRegex(@"(?<name>(?<=^|_)(?:SHA3|Sha3|SHA2|Sha2))_(?<width>224|256|384|512)(?=_|$)")]
    private static partial Regex Sha3Width();
}

/// <summary>
/// Reads Microsoft.Testing.Platform's detailed console output ("passed Name (5ms)", "failed Name (9ms)" with the
/// message indented below) and xunit's long-running reports ("[Long Running Test] 'Name', Elapsed: 00:00:10"): what
/// is known of a test run that never got to write its report.
/// </summary>
public static partial class LiveOutput
{
    public static (IReadOnlyList<TestCase> Finished, IReadOnlyList<string> Running) Parse(string output)
    {
        var finished = new List<TestCase>();
        var running = new List<string>();
        var lines = output.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (LongRunningPattern().Match(line) is { Success: true } slow)
            {
                running.Add(slow.Groups["name"].Value);
                continue;
            }

            if (ResultPattern().Match(line) is not { Success: true } result)
            {
                continue;
            }

            var message = new List<string>();
            var stack = new List<string>();
            for (; i + 1 < lines.Length && lines[i + 1].StartsWith("  ", StringComparison.Ordinal); i++)
            {
                var detail = lines[i + 1].TrimEnd('\r');
                (detail.TrimStart().StartsWith("at ", StringComparison.Ordinal) ? stack : message).Add(detail.Trim());
            }

            var name = result.Groups["name"].Value;
            var status = result.Groups["status"].Value switch
            {
                "passed" => TestStatus.Passed,
                "failed" => TestStatus.Failed,
                _ => TestStatus.Skipped,
            };
            var text = message.Count > 0 ? string.Join('\n', message) : null;
            finished.Add(new TestCase(
                name,
                (name.Contains('(', StringComparison.Ordinal) ? name[..name.IndexOf('(', StringComparison.Ordinal)] : name).Split('.')[^1],
                status,
                Message: status == TestStatus.Failed ? text : null,
                StackTrace: stack.Count > 0 ? string.Join('\n', stack.Select(s => "   " + s)) : null,
                SkipReason: status == TestStatus.Skipped ? text : null));
        }

        var done = finished.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        return (finished, running.Where(r => !done.Contains(r)).Distinct().ToList());
    }

    [GeneratedRegex(@"^\[Long Running Test\] '(?<name>.+)', Elapsed: ")]
    private static partial Regex LongRunningPattern();

    [GeneratedRegex(@"^(?<status>passed|failed|skipped) (?<name>.+) \([^()]*\)$")]
    private static partial Regex ResultPattern();
}
