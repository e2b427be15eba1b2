using AngleSharp.Html.Parser;

namespace Koans.Runner.Tests;

/// <summary>
/// The report as a browser shows it: Debian's chromium, headless, on file:// only (no network), with a fresh profile;
/// its process group is killed afterwards. Skips with one sentence where chromium is not installed (CI installs it).
/// </summary>
public class ReportInChromiumTests
{
    private const string Chromium = "/usr/bin/chromium";

    private static async Task<string> RunChromiumAsync(string profile, params string[] arguments)
    {
        string[] flags =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
        ];
        // sh drops chromium's stderr chatter (dbus, GPU) so stdout is the page alone; killLeftovers ends the whole group.
        var result = await ProcessRunner.RunAsync("sh", ["-c", "exec \"$0\" \"$@\" 2>/dev/null", Chromium, .. flags, .. arguments],
            profile, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken, killLeftovers: true);
        result.TimedOut.Should().BeFalse("chromium renders a local page in seconds");
        result.ExitCode.Should().Be(0, result.Output);
        return result.Output;
    }

    [Fact]
    public async Task The_learner_and_class_reports_render_in_headless_chromium_with_their_bars_rows_and_hardest_katas()
    {
        Assert.SkipUnless(File.Exists(Chromium), "Debian's chromium is not installed here (apt-get install chromium; CI installs it).");
        using var tree = TempTree.WithKatas("One", "Two", "Three");
        using var work = new TempTree();
        var catalog = Catalog.Load(tree.Root);
        var ada = new LearnerState();
        ada.Results["demo.one"] = new LearnerState.CachedResult(LearnerState.Fingerprint(catalog.FindKata("demo.one")!), KataState.Passed, DateTimeOffset.UtcNow);
        ada.Progress["demo.one"] = new LearnerState.KataProgress(2, DateTimeOffset.UtcNow, null);
        ada.Results["demo.two"] = new LearnerState.CachedResult("x", KataState.Failed, DateTimeOffset.UtcNow);
        ada.Progress["demo.two"] = new LearnerState.KataProgress(6, null, "Answer is 42: Expected 42, found 41.");
        ada.HintsShown["demo.two"] = 2;
        var bob = new LearnerState();
        bob.Results["demo.one"] = new LearnerState.CachedResult("x", KataState.Failed, DateTimeOffset.UtcNow);
        bob.Progress["demo.one"] = new LearnerState.KataProgress(1, null, null);
        var learnerPage = work.Write("ada.html", HtmlReport.Learner(catalog, ada, "ada", DateTimeOffset.UtcNow));
        var classPage = work.Write("class.html", HtmlReport.Class(catalog, [("ada", ada), ("bob", bob)], DateTimeOffset.UtcNow));
        var profile = Path.Combine(work.Root, "profile");
        Directory.CreateDirectory(profile);

        var learner = new HtmlParser().ParseDocument(await RunChromiumAsync(profile, "--dump-dom", new Uri(learnerPage).AbsoluteUri));

        learner.Title.Should().Be("Koans progress: ada", "the rendered DOM is the report, not an error page");
        learner.QuerySelectorAll("[role=progressbar]").Select(b => b.GetAttribute("aria-valuenow")).Should().Equal(["1", "1"], "one bar for all katas, one per section");
        learner.QuerySelectorAll("tbody tr").Select(r => r.GetAttribute("data-status")).Should().Equal(["passed", "changed since last run", "not started"]);

        var room = new HtmlParser().ParseDocument(await RunChromiumAsync(profile, "--dump-dom", new Uri(classPage).AbsoluteUri));

        room.QuerySelectorAll("#hardest li").Select(li => li.GetAttribute("data-kata")).Should().Equal(["demo.two", "demo.one"]);
        room.QuerySelectorAll("#class tbody tr").Select(r => r.GetAttribute("data-learner")).Should().Equal(["ada", "bob"]);
        room.QuerySelectorAll("#class th[data-sort]").Should().HaveCount(4, "learner, passed and one column per started kata");

        var screenshot = Path.Combine(work.Root, "class.png");
        await RunChromiumAsync(profile, "--window-size=1000,600", "--screenshot=" + screenshot, new Uri(classPage).AbsoluteUri);
        var png = await File.ReadAllBytesAsync(screenshot, TestContext.Current.CancellationToken);
        png.Take(8).Should().Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "chromium drew the page into a PNG");
        png.Length.Should().BeGreaterThan(5_000, "a rendered table, not a blank image");
    }
}
