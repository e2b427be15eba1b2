using System.CommandLine;

namespace Koans.Runner;

/// <summary>The command-line shape of the mentor commands (review, report); Program.cs only adds them.</summary>
public static class MentorCommands
{
    public static (Command Review, Command Report) Create(string root, Ui ui, Argument<string> kata, Func<Func<Task<int>>, Task<int>> guard)
    {
        var learner = new Option<string?>("--learner") { Description = "A learner's Koans clone to look at instead of this one." };
        var noRun = new Option<bool>("--no-run") { Description = "Show the last recorded test status instead of running the kata's tests." };
        var review = new Command("review", "For mentors: a kata's test status, the learner's code against the reference (a diff), the hints they needed, the mentor notes.")
        {
            kata, learner, noRun,
        };
        review.SetAction((result, ct) => guard(() =>
            new Review(root, ui).RunAsync(result.GetValue(kata)!, result.GetValue(learner), !result.GetValue(noRun), ct)));

        var html = new Option<string?>("--html") { Description = $"Where to write the page ({Report.DefaultFile} by default)." };
        var reportLearner = new Option<string?>("--learner") { Description = "A learner's Koans clone to report on instead of this one." };
        var merge = new Option<string?>("--merge") { Description = "A folder of learners' results files (each learner's .koans/state.json saved as <name>.json): one page for the class." };
        var report = new Command("report", "Progress as one self-contained HTML page (works offline): per section, every kata with status, test runs, hints used, first pass.")
        {
            html, reportLearner, merge,
        };
        report.SetAction((result, _) => guard(() =>
            new Report(root, ui).WriteAsync(result.GetValue(html), result.GetValue(reportLearner), result.GetValue(merge))));
        return (review, report);
    }
}
