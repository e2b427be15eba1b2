using System.Text.Json;
using System.Text.Json.Serialization;

namespace Koans.Runner;

/// <summary>
/// The learner's side of the `--json` file (README, "results.json format"): besides Exercism's fields, `koansVersion`
/// and `progress`, one entry per kata the learner has started (from .koans/state.json). `report --merge` reads exactly
/// this, one file per learner; the file name is the learner's name.
/// </summary>
public static class ResultsFile
{
    /// <summary>The version of the Koans fields (koansVersion, katas, progress): bumped only when one changes meaning or goes.</summary>
    public const int KoansVersion = 1;

    /// <summary>The version of Exercism's test runner interface the rest of the file follows.</summary>
    public const int ExercismVersion = 3;

    public sealed record KataProgress(
        string Kata,
        string Status,
        int Attempts,
        int HintsUsed,
        DateTimeOffset? FirstPassedAt,
        DateTimeOffset? LastRunAt,
        string? LastFailure);

    private static readonly (KataState State, string Word)[] Words =
    [
        (KataState.Passed, "passed"),
        (KataState.Failed, "failing"),
        (KataState.CompileError, "does-not-compile"),
        (KataState.TimedOut, "timed-out"),
        (KataState.Crashed, "crashed"),
        (KataState.Skipped, "skipped"),
    ];

    /// <summary>Every kata the learner has run or asked a hint for, in the path's order.</summary>
    public static IReadOnlyList<KataProgress> Progress(Catalog catalog, LearnerState state) =>
        catalog.Katas
            .Where(k => state.Results.ContainsKey(k.Id) || state.HintsShown.ContainsKey(k.Id))
            .Select(k =>
            {
                var result = state.Results.GetValueOrDefault(k.Id);
                var progress = state.Progress.GetValueOrDefault(k.Id);
                return new KataProgress(
                    k.Id,
                    result is null ? "not-run" : Word(result.State),
                    progress?.Attempts ?? 0,
                    Math.Min(state.HintsShown.GetValueOrDefault(k.Id), k.Metadata.Hints.Count),
                    progress?.FirstPassedAt,
                    result?.At,
                    result?.State == KataState.Passed ? null : progress?.LastFailure);
            })
            .ToList();

    public static string Word(KataState state) => Words.First(w => w.State == state).Word;

    /// <summary>
    /// One learner's results file as the state a report shows. Throws <see cref="FormatException"/> with the reason when
    /// the file is not a results file this version reads.
    /// </summary>
    public static LearnerState Read(string file)
    {
        Document document;
        try
        {
            // The versions first: an older or newer shape is named as such, not as a JSON error deep inside.
            using (var json = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }))
            {
                if (json.RootElement.ValueKind != JsonValueKind.Object
                    || !json.RootElement.TryGetProperty("koansVersion", out var version)
                    || version.ValueKind != JsonValueKind.Number
                    || !json.RootElement.TryGetProperty("progress", out _))
                {
                    throw new FormatException("it has no koansVersion and progress: it is not a file written by ./run-katas.sh --json (a .koans/state.json is not one)");
                }

                if (!version.TryGetInt32(out var number) || number > KoansVersion)
                {
                    throw new FormatException($"it is koansVersion {version.GetRawText()}, written by a newer Koans; this one reads version {KoansVersion}: update this clone");
                }
            }

            document = JsonSerializer.Deserialize<Document>(File.ReadAllText(file), Catalog.Json)
                       ?? throw new FormatException("it is empty (null)");
        }
        catch (JsonException e)
        {
            throw new FormatException($"it is not JSON in the results format ({e.Message.Split(" Path:")[0].TrimEnd('.')})");
        }

        if (document.Progress is null)
        {
            throw new FormatException("its progress is null: it is not a file written by ./run-katas.sh --json");
        }

        var state = new LearnerState();
        foreach (var entry in document.Progress)
        {
            if (entry is null || string.IsNullOrEmpty(entry.Kata) || entry.Attempts < 0 || entry.HintsUsed < 0)
            {
                throw new FormatException("a progress entry has no kata id or a negative count");
            }

            var known = Words.FirstOrDefault(w => w.Word == entry.Status);
            if (known.Word is not null)
            {
                // Another learner's files are not here to fingerprint: the recorded result is what counts.
                state.Results[entry.Kata] = new LearnerState.CachedResult("", known.State, entry.LastRunAt ?? DateTimeOffset.MinValue);
            }
            else if (entry.Status != "not-run")
            {
                throw new FormatException($"the status '{entry.Status}' of {entry.Kata} is not one of {string.Join(", ", Words.Select(w => w.Word))}, not-run");
            }

            state.HintsShown[entry.Kata] = entry.HintsUsed;
            state.Progress[entry.Kata] = new LearnerState.KataProgress(entry.Attempts, entry.FirstPassedAt, entry.LastFailure);
        }

        return state;
    }

    private sealed record Document(
        int? Version,
        int? KoansVersion,
        [property: JsonPropertyName("progress")] IReadOnlyList<KataProgress?>? Progress);
}
