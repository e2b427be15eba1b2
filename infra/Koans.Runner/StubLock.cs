using System.Security.Cryptography;
using System.Text;

namespace Koans.Runner;

/// <summary>
/// infra/katas.lock records the git blob id of every kata file as published: the stubs, so `reset` can restore one
/// exactly even when the learner has committed their own work on top of it; and the tests, so a deleted test file is
/// noticed and named.
/// </summary>
public static class StubLock
{
    public const string FileName = "infra/katas.lock";

    /// <summary>The git blob id of some bytes: SHA-1 of "blob &lt;length&gt;\0" followed by the bytes.</summary>
    public static string BlobId(byte[] content)
    {
        var header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
#pragma warning disable CA5350 // git's object ids are SHA-1 by definition; this is naming, not security.
        return Convert.ToHexStringLower(SHA1.HashData([.. header, .. content]));
#pragma warning restore CA5350
    }

    public static Dictionary<string, string> Read(string root)
    {
        var path = Path.Combine(root, FileName);
        if (!File.Exists(path))
        {
            return [];
        }

        return File.ReadAllLines(path)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2, StringSplitOptions.TrimEntries))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[1], parts => parts[0], StringComparer.Ordinal);
    }

    public static IReadOnlyDictionary<string, string> Compute(Catalog catalog) =>
        catalog.Katas
            .SelectMany(k => k.CompiledFiles(Track.Katas))
            .ToDictionary(f => Relative(catalog.Root, f), f => BlobId(File.ReadAllBytes(f)), StringComparer.Ordinal);

    public static void Write(Catalog catalog)
    {
        var lines = Compute(catalog).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Value} {e.Key}");
        Directory.CreateDirectory(Path.Combine(catalog.Root, Path.GetDirectoryName(FileName)!));
        File.WriteAllLines(Path.Combine(catalog.Root, FileName),
            ["# git blob ids of the published kata files (stubs and tests); `./run-katas.sh reset` restores stubs from them. Regenerate: ./run-katas.sh lock", .. lines]);
    }

    public static IReadOnlyList<string> Problems(Catalog catalog)
    {
        var locked = Read(catalog.Root);
        var actual = Compute(catalog);
        var problems = new List<string>();
        foreach (var (file, blob) in actual)
        {
            if (!locked.TryGetValue(file, out var lockedBlob))
            {
                problems.Add($"{file} is not in {FileName}: run ./run-katas.sh lock after changing a kata file.");
            }
            else if (lockedBlob != blob)
            {
                problems.Add($"{file} differs from {FileName}: a published kata file changed (run ./run-katas.sh lock), or a learner's edit is being verified.");
            }
        }

        problems.AddRange(locked.Keys.Where(f => !actual.ContainsKey(f)).Select(f => $"{FileName} lists {f}, which is not a kata file any more: run ./run-katas.sh lock."));
        return problems;
    }

    /// <summary>Test files of the kata that were published but are gone: the tests are the spec, so the runner stops.</summary>
    public static IReadOnlyList<string> MissingTests(string root, Kata kata) =>
        Read(root).Keys
            .Where(f => f.StartsWith(kata.RelativeDirectory + "/", StringComparison.Ordinal) && Kata.IsTestFile(f))
            .Where(f => !File.Exists(Path.Combine(root, f)))
            .ToList();

    /// <summary>
    /// Test files of the kata that exist but differ from the published ones: a learner's run against them proves
    /// nothing, so it never counts as a pass. Files the lock does not know (a kata not locked yet) are not judged.
    /// </summary>
    public static IReadOnlyList<string> ChangedTests(string root, Kata kata)
    {
        var locked = Read(root);
        return kata.TestFiles
            .Select(f => Relative(root, f))
            .Where(f => locked.TryGetValue(f, out var blob) && File.Exists(Path.Combine(root, f)) && BlobId(File.ReadAllBytes(Path.Combine(root, f))) != blob)
            .ToList();
    }

    /// <summary>Stub files of the kata that were published but are gone right now (an editor that deletes, then writes).</summary>
    public static IReadOnlyList<string> MissingStubs(string root, Kata kata) =>
        Read(root).Keys
            .Where(f => f.StartsWith(kata.RelativeDirectory + "/", StringComparison.Ordinal) && !Kata.IsTestFile(f) && !Kata.IsProvidedFile(f))
            .Where(f => !File.Exists(Path.Combine(root, f)))
            .ToList();

    public static string Relative(string root, string file) => Path.GetRelativePath(root, file).Replace('\\', '/');
}
