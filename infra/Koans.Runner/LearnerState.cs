using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Koans.Runner;

/// <summary>
/// What the runner remembers for this learner, in .koans/state.json (git-ignored): hints shown, and each kata's last
/// result with a fingerprint of its files, so the path does not rebuild katas that passed and have not changed.
/// </summary>
public sealed class LearnerState
{
    public Dictionary<string, int> HintsShown { get; init; } = [];
    public Dictionary<string, CachedResult> Results { get; init; } = [];
    /// <summary>For mentors (review, report): test runs per kata, when it first passed, its last failure.</summary>
    public Dictionary<string, KataProgress> Progress { get; init; } = [];

    public sealed record CachedResult(string Fingerprint, KataState State, DateTimeOffset At);

    public sealed record KataProgress(int Attempts, DateTimeOffset? FirstPassedAt, string? LastFailure);

    public static string Directory(string root) => Path.Combine(root, ".koans");

    private static string FilePath(string root) => Path.Combine(Directory(root), "state.json");

    public static LearnerState Load(string root)
    {
        var file = FilePath(root);
        if (!File.Exists(file))
        {
            return new LearnerState();
        }

        try
        {
            return JsonSerializer.Deserialize<LearnerState>(File.ReadAllText(file), Catalog.Json) ?? new LearnerState();
        }
        catch (JsonException)
        {
            // A damaged cache is only a cache: start afresh rather than stop the learner.
            return new LearnerState();
        }
    }

    public void Save(string root)
    {
        System.IO.Directory.CreateDirectory(Directory(root));
        var file = FilePath(root);
        var temporary = file + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Catalog.Json));
        File.Move(temporary, file, overwrite: true);
    }

    public void Record(KataRun run)
    {
        if (run.Track == Track.Katas)
        {
            var now = DateTimeOffset.UtcNow;
            Results[run.Kata.Id] = new CachedResult(Fingerprint(run.Kata), run.State, now);
            var before = Progress.GetValueOrDefault(run.Kata.Id) ?? new KataProgress(0, null, null);
            Progress[run.Kata.Id] = new KataProgress(
                before.Attempts + 1,
                before.FirstPassedAt ?? (run.Passed ? now : null),
                run.Passed ? before.LastFailure : MentorText.Failure(run));
        }
    }

    /// <summary>The last result, if the kata's files have not changed since.</summary>
    public KataState? Cached(Kata kata) =>
        Results.TryGetValue(kata.Id, out var cached) && cached.Fingerprint == Fingerprint(kata) ? cached.State : null;

    public bool HasPassed(Kata kata) => Cached(kata) == KataState.Passed;

    /// <summary>SHA-256 over the kata's source files and project: any edit changes it.</summary>
    public static string Fingerprint(Kata kata)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in kata.CompiledFiles(Track.Katas).Append(kata.ProjectPath).Where(File.Exists))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(kata.Directory, file) + "\0"));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
