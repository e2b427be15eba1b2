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
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // A damaged or unreadable cache is only a cache: start afresh rather than stop the learner.
            return new LearnerState();
        }
    }

    /// <summary>Writes the state; returns null, or the sentence to show when it could not be written (nothing is thrown).</summary>
    public string? Save(string root)
    {
        var file = FilePath(root);
        try
        {
            System.IO.Directory.CreateDirectory(Directory(root));
            var temporary = file + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(this, Catalog.Json));
            File.Move(temporary, file, overwrite: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var why = e is UnauthorizedAccessException ? "permission denied" : e.Message;
            return $"Your progress could not be saved in {Path.GetRelativePath(root, file)} ({why}): the verdict above stands, but passes and hints seen are not remembered. Make .koans/ writable (chmod -R u+w .koans) to fix it.";
        }
    }

    public void Record(KataRun run)
    {
        if (run.Track == Track.Katas)
        {
            // A pass against changed tests is not a pass: it never unlocks the reference.
            var state = run.State == KataState.Passed && !run.Passed ? KataState.Failed : run.State;
            var now = DateTimeOffset.UtcNow;
            Results[run.Kata.Id] = new CachedResult(Fingerprint(run.Kata), state, now);
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
