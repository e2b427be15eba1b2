using System.Text.Json;
using System.Text.Json.Serialization;

namespace Koans.Runner;

public sealed record KataLink(string Title, string Url);

/// <summary>The contents of a kata's kata.json.</summary>
public sealed class KataMetadata
{
    public string Id { get; init; } = "";
    public string Title { get; init; } = "";
    public IReadOnlyList<string> Concepts { get; init; } = [];
    public IReadOnlyList<string> Hints { get; init; } = [];
    public IReadOnlyList<KataLink> References { get; init; } = [];
    public int? TimeoutSeconds { get; init; }
    public IReadOnlyList<string> Requires { get; init; } = [];
    /// <summary>Why hint 1 may name an identifier of the reference that the stub does not (the lint's give-away check); null: no opt-out.</summary>
    public string? HintLintOptOut { get; init; }
}

public sealed class Section
{
    public required string Id { get; init; }
    public required string Folder { get; init; }
    public required string Title { get; init; }
    public List<Kata> Katas { get; } = [];
}

public sealed class Kata
{
    /// <summary>
    /// Longer than the 30 s hang guards tests put on their own awaits (the lint checks), so a guard's diagnostic
    /// shows before the runner stops the kata.
    /// </summary>
    public const int DefaultTimeoutSeconds = 45;

    public required Section Section { get; init; }
    public required string Folder { get; init; }
    public required KataMetadata Metadata { get; init; }
    /// <summary>Absolute path of katas/&lt;Section&gt;/&lt;Kata&gt;.</summary>
    public required string Directory { get; init; }
    /// <summary>Absolute path of solutions/&lt;Section&gt;/&lt;Kata&gt;.</summary>
    public required string SolutionDirectory { get; init; }
    /// <summary>1-based position in the whole path.</summary>
    public int Number { get; set; }

    public string Id => Metadata.Id;
    public string Title => Metadata.Title;
    public int TimeoutSeconds => Metadata.TimeoutSeconds ?? DefaultTimeoutSeconds;
    public string RelativeDirectory => $"katas/{Section.Folder}/{Folder}";
    public string AssemblyName => $"Koans.{Section.Folder}.{Folder}";

    public string ProjectPath =>
        System.IO.Directory.EnumerateFiles(Directory, "*.csproj").FirstOrDefault()
        ?? Path.Combine(Directory, Folder + ".csproj");

    /// <summary>The files the learner edits: every .cs file in the kata folder that is neither a test nor provided.</summary>
    public IReadOnlyList<string> StubFiles => SourceFiles(Directory).Where(f => !IsTestFile(f) && !IsProvidedFile(f)).ToList();

    public IReadOnlyList<string> TestFiles => SourceFiles(Directory).Where(IsTestFile).ToList();

    /// <summary>Types the kata gives the learner (*.Provided.cs): compiled on both tracks, never replaced.</summary>
    public IReadOnlyList<string> ProvidedFiles => SourceFiles(Directory).Where(IsProvidedFile).ToList();

    public IReadOnlyList<string> SolutionFiles =>
        System.IO.Directory.Exists(SolutionDirectory) ? SourceFiles(SolutionDirectory) : [];

    /// <summary>The .cs files the given track compiles.</summary>
    public IReadOnlyList<string> CompiledFiles(Track track) =>
        track == Track.Katas ? SourceFiles(Directory) : [.. TestFiles, .. ProvidedFiles, .. SolutionFiles];

    public static bool IsTestFile(string path) => Path.GetFileNameWithoutExtension(path).EndsWith("Tests", StringComparison.Ordinal);

    public static bool IsProvidedFile(string path) => path.EndsWith(".Provided.cs", StringComparison.Ordinal);

    internal static IReadOnlyList<string> SourceFiles(string directory) =>
        System.IO.Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(directory, f)))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static bool IsBuildOutput(string relative)
    {
        var first = relative.Split(Path.DirectorySeparatorChar, 2)[0];
        return first is "bin" or "obj";
    }

    public override string ToString() => Id;
}

/// <summary>
/// The learning path: katas/path.json gives the order; each kata folder's kata.json its metadata.
/// Loading never throws on a missing or broken kata: it records a problem (the lint reports them) and leaves the kata out.
/// </summary>
public sealed class Catalog
{
    public const string PathFile = "katas/path.json";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string Root { get; init; }
    public required IReadOnlyList<Section> Sections { get; init; }
    public required IReadOnlyList<string> Problems { get; init; }

    /// <summary>Katas on the path that could not be loaded, by folder (katas/Crypto/Hkdf), with the reason.</summary>
    public IReadOnlyList<(string Folder, string Problem)> BrokenKatas { get; init; } = [];

    public IEnumerable<Kata> Katas => Sections.SelectMany(s => s.Katas);

    public static Catalog Load(string root)
    {
        var problems = new List<string>();
        var pathFile = Path.Combine(root, PathFile);
        if (!File.Exists(pathFile))
        {
            throw new KoansException($"{PathFile} is missing: run this from a Koans checkout (the folder with run-katas.sh).");
        }

        PathDocument document;
        try
        {
            document = JsonSerializer.Deserialize<PathDocument>(File.ReadAllText(pathFile), Json)
                       ?? throw new JsonException("the file is empty");
        }
        catch (JsonException e)
        {
            throw new KoansException($"{PathFile} is not valid JSON{(e.LineNumber is { } line ? $" at line {line + 1}" : "")} ({JsonReason(e)}): fix it, or restore it with `git checkout -- {PathFile}`.");
        }

        var sections = new List<Section>();
        var broken = new List<(string Folder, string Problem)>();
        var pathLines = File.ReadAllLines(pathFile);
        var number = 0;
        foreach (var entry in document.Sections)
        {
            var section = new Section { Id = entry.Id, Folder = entry.Folder, Title = entry.Title };
            sections.Add(section);
            foreach (var folder in entry.Katas)
            {
                var directory = Path.Combine(root, "katas", entry.Folder, folder);
                var relative = $"katas/{entry.Folder}/{folder}";
                void Broken(string problem)
                {
                    problems.Add(problem);
                    broken.Add((relative, problem));
                }

                if (!Directory.Exists(directory))
                {
                    var line = Array.FindIndex(pathLines, l => l.Contains($"\"{folder}\"", StringComparison.Ordinal)) + 1;
                    Broken($"{PathFile}{(line > 0 ? $":{line}" : "")}: lists {relative}, but there is no such folder.");
                    continue;
                }

                var metadataFile = Path.Combine(directory, "kata.json");
                if (!File.Exists(metadataFile))
                {
                    Broken($"{relative} has no kata.json.");
                    continue;
                }

                KataMetadata? metadata;
                try
                {
                    metadata = JsonSerializer.Deserialize<KataMetadata>(File.ReadAllText(metadataFile), Json);
                }
                catch (JsonException e)
                {
                    Broken($"{relative}/kata.json{JsonLine(e)}: is not valid kata metadata: {JsonReason(e)}");
                    continue;
                }

                if (metadata is null || string.IsNullOrWhiteSpace(metadata.Id))
                {
                    Broken($"{relative}/kata.json:1: has no \"id\".");
                    continue;
                }

                section.Katas.Add(new Kata
                {
                    Section = section,
                    Folder = folder,
                    Metadata = metadata,
                    Directory = directory,
                    SolutionDirectory = Path.Combine(root, "solutions", entry.Folder, folder),
                    Number = ++number,
                });
            }
        }

        return new Catalog { Root = root, Sections = sections, Problems = problems, BrokenKatas = broken };
    }

    /// <summary>Finds a kata by id (crypto.hmac), short name (hmac), folder (Hmac) or path (katas/Crypto/Hmac).</summary>
    public Kata? FindKata(string query)
    {
        var q = query.Trim().TrimEnd('/').Replace('\\', '/');
        return Katas.FirstOrDefault(k => k.Id.Equals(q, StringComparison.OrdinalIgnoreCase))
               ?? Katas.FirstOrDefault(k => k.RelativeDirectory.Equals(q, StringComparison.OrdinalIgnoreCase)
                                            || $"{k.Section.Folder}/{k.Folder}".Equals(q, StringComparison.OrdinalIgnoreCase))
               ?? Unique(Katas.Where(k => k.Id.Split('.', 2)[^1].Equals(q, StringComparison.OrdinalIgnoreCase)
                                          || k.Folder.Equals(q, StringComparison.OrdinalIgnoreCase)));
    }

    public Section? FindSection(string query) =>
        Sections.FirstOrDefault(s => s.Id.Equals(query, StringComparison.OrdinalIgnoreCase)
                                     || s.Folder.Equals(query, StringComparison.OrdinalIgnoreCase));

    /// <summary>A kata, or all katas of a section; otherwise a clear error naming what exists.</summary>
    public IReadOnlyList<Kata> Resolve(string query)
    {
        if (FindKata(query) is { } kata)
        {
            return [kata];
        }

        if (FindSection(query) is { } section)
        {
            return section.Katas;
        }

        var q = query.Trim().ToLowerInvariant();
        var brokenFolder = q.Split('.')[^1].Replace("-", "", StringComparison.Ordinal);
        foreach (var (folder, problem) in BrokenKatas)
        {
            if (folder.Equals(q.TrimEnd('/'), StringComparison.OrdinalIgnoreCase) || folder.Split('/')[^1].Equals(brokenFolder, StringComparison.OrdinalIgnoreCase))
            {
                throw new KoansException($"'{query}' is on the path, but it cannot be loaded: {problem}");
            }
        }

        var suggestions = Suggest(q);
        var didYouMean = suggestions.Count > 0 ? $" Did you mean {string.Join(" or ", suggestions)}?" : "";
        throw new KoansException($"There is no kata or section called '{query}'.{didYouMean} `./run-katas.sh list` shows them all.");
    }

    /// <summary>The kata or section ids nearest to a mistyped name, by edit distance to an id, a short name or a folder.</summary>
    public IReadOnlyList<string> Suggest(string query)
    {
        var q = query.Trim().ToLowerInvariant();
        var candidates = Katas.SelectMany(k => new[] { (Name: k.Id, Id: k.Id), (Name: k.Id.Split('.', 2)[^1], Id: k.Id), (Name: k.Folder.ToLowerInvariant(), Id: k.Id) })
            .Concat(Sections.Select(s => (Name: s.Id, Id: s.Id)))
            .Select(c => (c.Id, Distance: EditDistance(q, c.Name.ToLowerInvariant())))
            .GroupBy(c => c.Id, (id, ds) => (Id: id, Distance: ds.Min(d => d.Distance)))
            .ToList();
        var best = candidates.Count == 0 ? int.MaxValue : candidates.Min(c => c.Distance);
        return best <= Math.Max(2, q.Length / 3)
            ? candidates.Where(c => c.Distance == best).Select(c => c.Id).Take(3).ToList()
            : [];
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours ("hmca").</summary>
    public static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static string JsonLine(JsonException e) => e.LineNumber is { } line ? $":{line + 1}" : "";

    private static string JsonReason(JsonException e) => e.Message.Split(" Path: ", 2)[0].Split(" LineNumber: ", 2)[0].TrimEnd('|', ' ', '.') + ".";

    private static Kata? Unique(IEnumerable<Kata> candidates)
    {
        var list = candidates.Take(2).ToList();
        return list.Count == 1 ? list[0] : null;
    }

    private sealed class PathDocument
    {
        public List<PathSection> Sections { get; init; } = [];
    }

    private sealed class PathSection
    {
        public string Id { get; init; } = "";
        public string Folder { get; init; } = "";
        public string Title { get; init; } = "";
        public List<string> Katas { get; init; } = [];
    }
}

public enum Track
{
    Katas,
    Solutions,
}

public static class TrackNames
{
    public static string Name(this Track track) => track == Track.Katas ? "katas" : "solutions";

    public static Track Parse(string value) => value.ToLowerInvariant() switch
    {
        "katas" or "kata" or "stubs" => Track.Katas,
        "solutions" or "solution" => Track.Solutions,
        _ => throw new KoansException($"Unknown track '{value}': use katas (the stubs) or solutions (the reference implementations)."),
    };
}
