using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Koans.Runner;

/// <summary>
/// `report [--html FILE] [--learner DIR] [--merge DIR]`: a learner's progress, or a class's, as one self-contained HTML
/// page (inline CSS, no external asset, works offline) that a mentor opens without running anything. It reads only the
/// recorded state: nothing is built or tested. Every text that comes from a kata or a learner's files is HTML-encoded.
/// </summary>
public sealed class Report(string root, Ui ui)
{
    public const string DefaultFile = ".koans/report.html";

    public Task<int> WriteAsync(string? htmlFile, string? learnerDirectory, string? mergeDirectory)
    {
        if (learnerDirectory is not null && mergeDirectory is not null)
        {
            throw new KoansException("report takes --learner (one learner's clone) or --merge (a folder of results files), not both.");
        }

        var catalog = Catalog.Load(root);
        string html;
        string what;
        if (mergeDirectory is not null)
        {
            var learners = ReadResultsFolder(mergeDirectory);
            html = HtmlReport.Class(catalog, learners, DateTimeOffset.UtcNow);
            what = $"{learners.Count} learners";
        }
        else
        {
            var learnerRoot = learnerDirectory is null ? root : Review.LearnerRoot(learnerDirectory);
            html = HtmlReport.Learner(catalog, LearnerState.Load(learnerRoot), Path.GetFileName(learnerRoot.TrimEnd(Path.DirectorySeparatorChar)), DateTimeOffset.UtcNow);
            what = "the progress";
        }

        var target = Path.GetFullPath(htmlFile ?? Path.Combine(root, DefaultFile));
        var directory = Path.GetDirectoryName(target)!;
        if (htmlFile is not null && !Directory.Exists(directory))
        {
            throw new KoansException($"Cannot write {htmlFile}: the folder {directory} does not exist.");
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(target, html);
        ui.Success($"Wrote {what} to {target}: open it in any browser (it needs no network).");
        return Task.FromResult(0);
    }

    /// <summary>
    /// Every *.json in the folder is one learner's results file (written by ./run-katas.sh --json), named after the
    /// learner. A file that is not one is named in a sentence and left out; the others are still merged.
    /// </summary>
    public IReadOnlyList<(string Name, LearnerState State)> ReadResultsFolder(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new KoansException($"There is no folder {directory}: give --merge a folder holding one results file per learner (written by ./run-katas.sh --json <name>.json).");
        }

        var learners = new List<(string, LearnerState)>();
        var files = Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            try
            {
                learners.Add((Path.GetFileNameWithoutExtension(file), ResultsFile.Read(file)));
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                ui.Problem($"Left out {Path.GetFileName(file)}: {e.Message}. Ask that learner for the file ./run-katas.sh --json {Path.GetFileName(file)} writes.");
            }
        }

        if (learners.Count == 0)
        {
            throw new KoansException(files.Count == 0
                ? $"{directory} holds no results file: have each learner run ./run-katas.sh --json <name>.json and put the files in it."
                : $"None of the {files.Count} files in {directory} is a results file (see above): have each learner run ./run-katas.sh --json <name>.json.");
        }

        return learners;
    }
}

/// <summary>The HTML of the reports. Pure functions of the catalog and the learners' state, so they are easy to test.</summary>
public static class HtmlReport
{
    private const string Style = """
        body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1d2125; background: #fff; }
        h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin: 2rem 0 .4rem; }
        .meta { color: #5f6b76; margin-top: 0; }
        .bar { background: #e4e8ec; border-radius: 4px; height: .8rem; overflow: hidden; max-width: 30rem; }
        .bar > span { display: block; height: 100%; background: #2e9e4f; }
        code.id { display: block; color: #5f6b76; }
        .count { color: #5f6b76; font-size: .9rem; }
        table { border-collapse: collapse; width: 100%; margin-top: .6rem; }
        th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e4e8ec; vertical-align: top; }
        th { font-weight: 600; background: #f5f7f9; }
        td.number { color: #5f6b76; text-align: right; }
        .status { font-weight: 600; white-space: nowrap; }
        .passed { color: #1f7a3a; } .failing, .does-not-compile, .timed-out, .crashed { color: #b3261e; }
        .skipped, .changed-since-last-run { color: #8a6100; } .not-started { color: #5f6b76; }
        .failure { font-family: ui-monospace, monospace; font-size: .85rem; white-space: pre-wrap; color: #5f6b76; }
        td.cell { text-align: center; white-space: nowrap; font-size: .85rem; }
        td.cell.passed { background: #e5f4e9; } td.cell.failing { background: #fbe9e7; }
        th[data-sort] { cursor: pointer; }
        @media print { body { margin: 0; } }
        """;

    /// <summary>One learner: a bar per section, and every kata with status, test runs, hints and first pass.</summary>
    public static string Learner(Catalog catalog, LearnerState state, string learnerName, DateTimeOffset generated)
    {
        var html = Start($"Koans progress: {learnerName}");
        var katas = catalog.Katas.ToList();
        var passed = katas.Count(state.HasPassed);
        html.Append($"<h1>Koans progress: {E(learnerName)}</h1>\n");
        html.Append($"<p class=\"meta\">{passed} of {katas.Count} katas pass · generated {E(MentorText.When(generated))} by <code>./run-katas.sh report</code></p>\n");
        html.Append(Bar(passed, katas.Count, "All katas"));
        foreach (var section in catalog.Sections.Where(s => s.Katas.Count > 0))
        {
            var sectionPassed = section.Katas.Count(state.HasPassed);
            html.Append($"<section class=\"section\" data-section=\"{E(section.Id)}\">\n<h2>{E(section.Title)}</h2>\n");
            html.Append(Bar(sectionPassed, section.Katas.Count, section.Title));
            html.Append("<table>\n<thead><tr><th>#</th><th>Kata</th><th>Status</th><th>Test runs</th><th>Hints used</th><th>First passed</th><th>Last failure</th></tr></thead>\n<tbody>\n");
            foreach (var kata in section.Katas)
            {
                var status = MentorText.Status(state, kata);
                var progress = state.Progress.GetValueOrDefault(kata.Id);
                var hints = Math.Min(state.HintsShown.GetValueOrDefault(kata.Id), kata.Metadata.Hints.Count);
                var firstPassed = progress?.FirstPassedAt is { } at
                    ? $"<time datetime=\"{E(at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))}\">{E(MentorText.When(at))}</time>"
                    : "";
                var failure = status == "passed" ? "" : progress?.LastFailure ?? "";
                html.Append($"<tr data-kata=\"{E(kata.Id)}\" data-status=\"{E(status)}\">");
                html.Append($"<td class=\"number\">{kata.Number}</td>");
                html.Append($"<td><strong>{E(kata.Title)}</strong> <code class=\"id\">{E(kata.Id)}</code></td>");
                html.Append($"<td class=\"status {Css(status)}\">{E(status)}</td>");
                html.Append($"<td class=\"number\">{progress?.Attempts ?? 0}</td>");
                html.Append($"<td class=\"number\">{hints}/{kata.Metadata.Hints.Count}</td>");
                html.Append($"<td>{firstPassed}</td>");
                html.Append($"<td class=\"failure\">{E(failure)}</td>");
                html.Append("</tr>\n");
            }

            html.Append("</tbody>\n</table>\n</section>\n");
        }

        return End(html);
    }

    /// <summary>
    /// A class or a dojo: a row per learner, a column per kata, the katas the room found hardest (most test runs and
    /// hints across the room) first. Headers sort the rows (a few lines of inline script; the page works without it).
    /// </summary>
    public static string Class(Catalog catalog, IReadOnlyList<(string Name, LearnerState State)> learners, DateTimeOffset generated)
    {
        var html = Start("Koans: the class");
        var katas = Hardest(catalog, learners);
        html.Append("<h1>Koans: the class</h1>\n");
        html.Append($"<p class=\"meta\">{learners.Count} learners · {katas.Count} katas, hardest first (most test runs and hints across the room) · generated {E(MentorText.When(generated))} by <code>./run-katas.sh report --merge</code></p>\n");
        html.Append("<h2>Hardest for this room</h2>\n<ol id=\"hardest\">\n");
        foreach (var kata in katas.Take(5))
        {
            var runs = learners.Sum(l => l.State.Progress.GetValueOrDefault(kata.Id)?.Attempts ?? 0);
            var hintsSeen = learners.Sum(l => Math.Min(l.State.HintsShown.GetValueOrDefault(kata.Id), kata.Metadata.Hints.Count));
            var passedBy = learners.Count(l => Recorded(l.State, kata) == KataState.Passed);
            html.Append($"<li data-kata=\"{E(kata.Id)}\"><strong>{E(kata.Title)}</strong> <code>{E(kata.Id)}</code> <span class=\"count\">{runs} test runs · {hintsSeen} hints · passed by {passedBy} of {learners.Count}</span></li>\n");
        }

        html.Append("</ol>\n<h2>Every learner</h2>\n");
        html.Append("<table id=\"class\">\n<thead><tr><th data-sort=\"text\">Learner</th><th data-sort=\"number\">Passed</th>");
        foreach (var kata in katas)
        {
            html.Append($"<th data-sort=\"number\" data-kata=\"{E(kata.Id)}\" title=\"{E(kata.Title)}\">{E(kata.Id)}</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var (name, state) in learners)
        {
            var passedCount = katas.Count(k => Recorded(state, k) == KataState.Passed);
            html.Append($"<tr data-learner=\"{E(name)}\"><td><strong>{E(name)}</strong></td><td class=\"number\" data-value=\"{passedCount}\">{passedCount}/{katas.Count}</td>");
            foreach (var kata in katas)
            {
                var recorded = Recorded(state, kata);
                var status = recorded is { } s ? MentorText.Word(s) : "not started";
                var progress = state.Progress.GetValueOrDefault(kata.Id);
                var hints = Math.Min(state.HintsShown.GetValueOrDefault(kata.Id), kata.Metadata.Hints.Count);
                var mark = recorded switch { KataState.Passed => "✓", null => "·", KataState.Skipped => "–", _ => "✗" };
                var rank = recorded == KataState.Passed ? 2 : recorded is null ? 0 : 1;
                html.Append($"<td class=\"cell {Css(status)}\" data-kata=\"{E(kata.Id)}\" data-value=\"{rank}\" title=\"{E(status)}\">{mark} {progress?.Attempts ?? 0} runs · {hints} hints</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        html.Append("""
            <script>
            // Click a header to sort the learners by it; click again to reverse.
            document.querySelectorAll('#class th[data-sort]').forEach(function (th, column) {
              th.addEventListener('click', function () {
                var body = document.querySelector('#class tbody');
                var rows = Array.prototype.slice.call(body.rows);
                var descending = th.getAttribute('aria-sort') !== 'descending';
                rows.sort(function (a, b) {
                  var x = a.cells[column], y = b.cells[column];
                  var order = th.dataset.sort === 'number'
                    ? Number(x.dataset.value) - Number(y.dataset.value)
                    : x.textContent.localeCompare(y.textContent);
                  return descending ? -order : order;
                });
                rows.forEach(function (row) { body.appendChild(row); });
                th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
              });
            });
            </script>

            """);
        return End(html);
    }

    /// <summary>The katas anyone has started, hardest first; ties keep the path's order.</summary>
    public static IReadOnlyList<Kata> Hardest(Catalog catalog, IReadOnlyList<(string Name, LearnerState State)> learners) =>
        catalog.Katas
            .Where(k => learners.Any(l => l.State.Results.ContainsKey(k.Id) || l.State.HintsShown.ContainsKey(k.Id)))
            .OrderByDescending(k => learners.Sum(l => (l.State.Progress.GetValueOrDefault(k.Id)?.Attempts ?? 0) + l.State.HintsShown.GetValueOrDefault(k.Id)))
            .ThenBy(k => k.Number)
            .ToList();

    // Another learner's files are not here to fingerprint: their last recorded result is what counts.
    internal static KataState? Recorded(LearnerState state, Kata kata) =>
        state.Results.TryGetValue(kata.Id, out var cached) ? cached.State : null;

    private static StringBuilder Start(string title)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append($"<title>{E(title)}</title>\n<style>\n{Style}\n</style>\n</head>\n<body>\n");
        return html;
    }

    private static string End(StringBuilder html) => html.Append("</body>\n</html>\n").ToString();

    private static string Bar(int done, int total, string label)
    {
        var percent = total == 0 ? 0 : (int)Math.Round(100.0 * done / total);
        return $"<div class=\"bar\" role=\"progressbar\" aria-label=\"{E(label)}\" aria-valuemin=\"0\" aria-valuemax=\"{total}\" aria-valuenow=\"{done}\"><span style=\"width: {percent}%\"></span></div>\n"
               + $"<p class=\"count\">{done}/{total} pass</p>\n";
    }

    private static string Css(string status) => status.Replace(' ', '-');

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
