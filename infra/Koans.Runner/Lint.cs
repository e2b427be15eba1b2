using System.Text.RegularExpressions;

namespace Koans.Runner;

public sealed record LintCheck(string Name, IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>
/// The metadata lint: every kata folder has metadata and is on the path, every listed kata has a folder, hints are
/// real, every kata has a solution and mentor notes, every project is in Koans.sln, the stub lock is current.
/// </summary>
public static partial class Lint
{
    public static IReadOnlyList<LintCheck> Run(Catalog catalog, IReadOnlyCollection<Kata>? only = null)
    {
        var root = catalog.Root;
        var checks = new List<LintCheck>();
        var katas = only ?? catalog.Katas.ToList();
        // A kata that cannot be loaded is missing from every command: always an error, whatever the narrowing.
        checks.Add(new LintCheck("katas/path.json lists only existing katas with metadata", catalog.Problems));
        if (only is null)
        {
            checks.Add(new LintCheck("every kata folder is on the path", UnlistedFolders(catalog).ToList()));
            checks.Add(new LintCheck("kata ids are unique", catalog.Katas.GroupBy(k => k.Id).Where(g => g.Count() > 1)
                .Select(g => $"the id {g.Key} is used by {string.Join(" and ", g.Select(k => k.RelativeDirectory))}").ToList()));
            checks.Add(new LintCheck("infra/katas.lock matches the kata files", StubLock.Problems(catalog)));
        }

        var solution = Path.Combine(root, "Koans.sln");
        var solutionText = File.Exists(solution) ? File.ReadAllText(solution).Replace('\\', '/') : "";
        checks.AddRange(katas.Select(k => new LintCheck($"{k.Id} metadata, solution and notes", KataProblems(k, root, solutionText).ToList())));
        return checks;
    }

    private static IEnumerable<string> UnlistedFolders(Catalog catalog)
    {
        var katasRoot = Path.Combine(catalog.Root, "katas");
        var listed = catalog.Katas.Select(k => Path.GetFullPath(k.Directory)).ToHashSet();
        foreach (var project in Directory.EnumerateFiles(katasRoot, "*.csproj", SearchOption.AllDirectories))
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(project))!;
            if (listed.Contains(directory))
            {
                continue;
            }

            var relative = Path.GetRelativePath(catalog.Root, directory).Replace('\\', '/');
            var alreadyReported = catalog.Problems.Any(p => p.Contains(relative + " ", StringComparison.Ordinal) || p.Contains(relative + "/", StringComparison.Ordinal));
            if (!alreadyReported)
            {
                yield return File.Exists(Path.Combine(directory, "kata.json"))
                    ? $"{relative} is not listed in katas/path.json."
                    : $"{relative} has no kata.json and is not listed in katas/path.json.";
            }
        }
    }

    private static IEnumerable<string> KataProblems(Kata kata, string root, string solutionText)
    {
        var meta = kata.Metadata;
        var where = kata.RelativeDirectory + "/kata.json";
        if (!IdPattern().IsMatch(meta.Id) || !meta.Id.StartsWith(kata.Section.Id + ".", StringComparison.Ordinal))
        {
            yield return $"{where}: id '{meta.Id}' must be '{kata.Section.Id}.<kebab-case-name>'.";
        }

        if (string.IsNullOrWhiteSpace(meta.Title))
        {
            yield return $"{where}: the title is empty.";
        }

        if (meta.Concepts.Count == 0)
        {
            yield return $"{where}: list at least one concept.";
        }

        if (meta.Hints.Count < 2)
        {
            yield return $"{where}: has {meta.Hints.Count} hint(s); give at least two, gentle first, near-solution last.";
        }

        for (var i = 0; i < meta.Hints.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(meta.Hints[i]))
            {
                yield return $"{where}: hint {i + 1} is empty.";
            }
        }

        foreach (var problem in HintGiveAways(kata, root))
        {
            yield return problem;
        }

        if (meta.References.Count == 0)
        {
            yield return $"{where}: give at least one reference (RFC, spec or documentation URL).";
        }

        foreach (var reference in meta.References.Where(r => !Uri.TryCreate(r.Url, UriKind.Absolute, out _) || string.IsNullOrWhiteSpace(r.Title)))
        {
            yield return $"{where}: the reference '{reference.Title}' needs a title and an absolute URL.";
        }

        if (meta.TimeoutSeconds is <= 0)
        {
            yield return $"{where}: timeoutSeconds must be positive.";
        }

        foreach (var (file, line, seconds) in HangGuards(kata).Where(g => g.Seconds >= kata.TimeoutSeconds))
        {
            yield return $"{StubLock.Relative(root, file)}:{line}: a {seconds} s hang guard is not shorter than the kata's {kata.TimeoutSeconds} s limit, so the runner stops the kata before the guard can name the problem: raise timeoutSeconds in {where} above {seconds}.";
        }

        var relativeSolution = $"solutions/{kata.Section.Folder}/{kata.Folder}";
        if (kata.SolutionFiles.Count == 0)
        {
            yield return $"{kata.RelativeDirectory} has no reference solution in {relativeSolution}/.";
        }

        var notes = Path.Combine(kata.SolutionDirectory, "NOTES.md");
        if (!File.Exists(notes) || string.IsNullOrWhiteSpace(File.ReadAllText(notes)))
        {
            yield return $"{relativeSolution}/NOTES.md is missing or empty.";
        }

        var solutionNames = kata.SolutionFiles.Select(f => Path.GetRelativePath(kata.SolutionDirectory, f)).ToHashSet();
        foreach (var stub in kata.StubFiles.Select(f => Path.GetRelativePath(kata.Directory, f)).Where(s => !solutionNames.Contains(s)))
        {
            yield return $"{kata.RelativeDirectory}/{stub} has no reference counterpart {relativeSolution}/{stub}.";
        }

        foreach (var provided in kata.ProvidedFiles.Select(f => Path.GetRelativePath(kata.Directory, f)).Where(solutionNames.Contains))
        {
            yield return $"{kata.RelativeDirectory}/{provided} is provided code, compiled on both tracks: delete its copy {relativeSolution}/{provided}.";
        }

        if (kata.StubFiles.Count == 0)
        {
            yield return $"{kata.RelativeDirectory} has no stub file for the learner to edit.";
        }

        if (kata.TestFiles.Count == 0)
        {
            yield return $"{kata.RelativeDirectory} has no tests (*Tests.cs).";
        }

        var project = Path.GetRelativePath(root, kata.ProjectPath).Replace('\\', '/');
        if (!solutionText.Contains(project, StringComparison.Ordinal))
        {
            yield return $"{project} is not in Koans.sln: dotnet sln Koans.sln add --solution-folder katas/{kata.Section.Folder} {project}";
        }
    }

    /// <summary>
    /// Hint 1 names the concept or the question, never the answer: it may not contain an identifier that the reference
    /// solution's code uses but the learner's files (stubs and provided files, comments included) never mention. A
    /// word counts as an identifier when it has an upper-case letter after its first character (`FixedTimeEquals`,
    /// `SHA256`), is a segment of a dotted name with an upper-case letter (`Task.WhenAll`), or is followed by `(` or
    /// `<`, so plain English does not. A kata opts out with `"hintLintOptOut": "<reason>"`.
    /// </summary>
    internal static IEnumerable<string> HintGiveAways(Kata kata, string root)
    {
        var meta = kata.Metadata;
        var where = kata.RelativeDirectory + "/kata.json";
        if (meta.HintLintOptOut is { } reason)
        {
            if (string.IsNullOrWhiteSpace(reason))
            {
                yield return $"{where}: hintLintOptOut needs a reason (why hint 1 may name what the reference uses), or remove it.";
            }

            yield break;
        }

        if (meta.Hints.Count == 0 || kata.SolutionFiles.Count == 0)
        {
            yield break;
        }

        var learnerWords = kata.StubFiles.Concat(kata.ProvidedFiles)
            .SelectMany(f => WordPattern().Matches(File.ReadAllText(f)).Select(m => m.Value))
            .ToHashSet(StringComparer.Ordinal);
        var referenceIdentifiers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in kata.SolutionFiles)
        {
            foreach (var identifier in CodeIdentifiers(File.ReadAllText(file)))
            {
                referenceIdentifiers.TryAdd(identifier, file);
            }
        }

        foreach (var word in HintIdentifiers(meta.Hints[0]).Distinct(StringComparer.Ordinal))
        {
            if (!learnerWords.Contains(word) && referenceIdentifiers.TryGetValue(word, out var file))
            {
                yield return $"{where}: hint 1 gives the answer away: '{word}' is used by {StubLock.Relative(root, file)} but appears nowhere in the stub; name the concept or the question in hint 1 and keep '{word}' for a later hint (or opt out with \"hintLintOptOut\": \"<reason>\").";
            }
        }
    }

    /// <summary>The identifiers of C# source, without its comments and string literals.</summary>
    internal static IEnumerable<string> CodeIdentifiers(string source) =>
        CodeTokenPattern().Matches(source).Where(m => m.Groups["id"].Success).Select(m => m.Groups["id"].Value);

    /// <summary>The words of a hint that look like C# identifiers rather than English.</summary>
    internal static IEnumerable<string> HintIdentifiers(string hint)
    {
        foreach (Match m in HintWordPattern().Matches(hint))
        {
            var segments = m.Value.Split('.');
            var followedByCode = m.Index + m.Length < hint.Length && hint[m.Index + m.Length] is '(' or '<';
            for (var i = 0; i < segments.Length; i++)
            {
                var segment = segments[i];
                var interiorUpper = segment.Skip(1).Any(char.IsUpper);
                var dottedCode = segments.Length > 1 && segment.Length > 1 && segment.Any(char.IsUpper);
                if (interiorUpper || dottedCode || (followedByCode && i == segments.Length - 1))
                {
                    yield return segment;
                }
            }
        }
    }

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")]
    private static partial Regex HintWordPattern();

    // Comments and string literals match first (raw, verbatim, regular, char), so the words inside them are skipped.
    [GeneratedRegex("""//[^\n]*|/\*[\s\S]*?\*/|\$*"{3,}[\s\S]*?"{3,}|\$?@"(?:""|[^"])*"|\$?"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])+'|(?<id>[A-Za-z_][A-Za-z0-9_]*)""")]
    private static partial Regex CodeTokenPattern();

    /// <summary>The tests' own limits on an await: `.WaitAsync(TimeSpan.FromSeconds(30), …)`, `CancelAfter(TimeSpan.FromSeconds(30))`.</summary>
    private static IEnumerable<(string File, int Line, double Seconds)> HangGuards(Kata kata)
    {
        foreach (var file in kata.TestFiles)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match m in HangGuardPattern().Matches(lines[i]))
                {
                    var value = double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    yield return (file, i + 1, m.Groups["unit"].Value == "Minutes" ? value * 60 : value);
                }
            }
        }
    }

    [GeneratedRegex(@"(WaitAsync|CancelAfter)\(\s*TimeSpan\.From(?<unit>Seconds|Minutes)\(\s*(?<value>\d+(\.\d+)?)\s*\)")]
    private static partial Regex HangGuardPattern();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*\\.[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();
}
