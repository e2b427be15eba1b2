using System.Text.Json;
using AngleSharp.Html.Parser;

namespace Koans.Runner.Tests;

/// <summary>review and report, on small temp trees: what a mentor sees, and that a learner's text cannot become markup.</summary>
public class MentorTests
{
    private const string Hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>";

    private static LearnerState StateFor(TempTree tree, string kataId, int attempts, int hints, DateTimeOffset? firstPassed, string? failure, KataState state)
    {
        var catalog = Catalog.Load(tree.Root);
        var kata = catalog.FindKata(kataId)!;
        var learner = new LearnerState();
        learner.HintsShown[kataId] = hints;
        learner.Results[kataId] = new LearnerState.CachedResult(LearnerState.Fingerprint(kata), state, DateTimeOffset.UtcNow);
        learner.Progress[kataId] = new LearnerState.KataProgress(attempts, firstPassed, failure);
        return learner;
    }

    [Fact]
    public async Task Review_shows_the_diff_against_the_reference_the_hints_needed_and_the_notes()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tree = TempTree.WithKatas("One");
        tree.Write("katas/Demo/One/Stub.cs", "namespace Demo;\n/// <summary>The task.</summary>\npublic static class Stub { public static int Answer() => 41; }\n");
        tree.Write("solutions/Demo/One/NOTES.md", "# Why 42\nThe classic mistake is 41.\n");
        StateFor(tree, "demo.one", attempts: 4, hints: 2, firstPassed: null, failure: "Answer is 42: expected 42, found 41", KataState.Failed).Save(tree.Root);
        var output = new StringWriter();

        (await new Review(tree.Root, new Ui(output)).RunAsync("one", null, runTests: false, ct)).Should().Be(0);

        var text = output.ToString();
        text.Should().Contain("Review of demo.one").And.Contain("failing", "the last recorded result is shown when the tests are not re-run");
        text.Should().Contain("Test runs: 4").And.Contain("hints seen: 2/2");
        text.Should().Contain("1. gentle").And.Contain("2. near", "the mentor sees which hints the learner needed");
        text.Should().Contain("--- reference/Stub.cs").And.Contain("+++ learner/Stub.cs").And.Contain("@@ ");
        text.Should().Contain("-namespace Demo; public static class Stub { public static int Answer() => 42; }")
            .And.Contain("+public static class Stub { public static int Answer() => 41; }", "the diff reads reference (-) to learner (+)");
        text.Should().NotContain("The task.", "the stub's XML doc is the task, not the learner's work: it is left out of the diff");
        text.Should().Contain("The classic mistake is 41.", "the mentor notes close the review");
    }

    [Fact]
    public async Task Review_of_an_unchanged_copy_of_the_reference_says_identical()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tree = TempTree.WithKatas("One");
        File.Copy(Path.Combine(tree.Root, "solutions/Demo/One/Stub.cs"), Path.Combine(tree.Root, "katas/Demo/One/Stub.cs"), overwrite: true);
        var output = new StringWriter();

        await new Review(tree.Root, new Ui(output)).RunAsync("demo.one", null, runTests: false, ct);

        output.ToString().Should().Contain("(identical to the reference)").And.Contain("not started").And.Contain("none");
    }

    [Fact]
    public async Task Review_reads_another_learners_clone_with_learner()
    {
        var ct = TestContext.Current.CancellationToken;
        using var mentor = TempTree.WithKatas("One");
        using var learner = TempTree.WithKatas("One");
        learner.Write("katas/Demo/One/Stub.cs", "namespace Demo; public static class Stub { public static int Answer() => 6 * 7; }\n");
        StateFor(learner, "demo.one", attempts: 2, hints: 1, DateTimeOffset.UtcNow, null, KataState.Passed).Save(learner.Root);
        var output = new StringWriter();

        await new Review(mentor.Root, new Ui(output)).RunAsync("demo.one", learner.Root, runTests: false, ct);

        output.ToString().Should().Contain("+namespace Demo; public static class Stub { public static int Answer() => 6 * 7; }")
            .And.Contain("passed").And.Contain("Test runs: 2").And.Contain("hints seen: 1/2");
    }

    [Fact]
    public async Task Review_rejects_an_unknown_kata_with_a_suggestion_and_a_folder_that_is_not_a_clone()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tree = TempTree.WithKatas("Hmac");
        using var notAClone = new TempTree();
        var review = new Review(tree.Root, new Ui(new StringWriter()));

        var unknown = () => review.RunAsync("hmacc", null, runTests: false, ct);
        (await unknown.Should().ThrowAsync<KoansException>()).Which.Message.Should().Contain("no kata or section called 'hmacc'").And.Contain("Did you mean demo.hmac?");

        var notClone = () => review.RunAsync("demo.hmac", notAClone.Root, runTests: false, ct);
        (await notClone.Should().ThrowAsync<KoansException>()).Which.Message.Should().Contain("is not a Koans clone");

        var missing = () => review.RunAsync("demo.hmac", Path.Combine(notAClone.Root, "nowhere"), runTests: false, ct);
        (await missing.Should().ThrowAsync<KoansException>()).Which.Message.Should().StartWith("There is no folder");
    }

    [Fact]
    public async Task Review_runs_the_learners_real_kata_and_leaves_their_progress_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        var source = TempTree.RepositoryRoot();
        using var tree = new TempTree();
        foreach (var item in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json",
                                     "katas/Crypto/Hashing", "solutions/Crypto/Hashing" })
        {
            TempTree.Copy(Path.Combine(source, item), Path.Combine(tree.Root, item));
        }

        tree.Write("katas/path.json", """{ "sections": [ { "id": "crypto", "folder": "Crypto", "title": "Cryptography", "katas": ["Hashing"] } ] }""");
        // The learner solved it by writing the reference's code: the tests pass and the diff is empty.
        TempTree.Copy(Path.Combine(tree.Root, "solutions/Crypto/Hashing/Digests.cs"), Path.Combine(tree.Root, "katas/Crypto/Hashing/Digests.cs"));
        var output = new StringWriter();

        (await new Review(tree.Root, new Ui(output)).RunAsync("hashing", null, runTests: true, ct)).Should().Be(0);

        output.ToString().Should().Contain("✓ crypto.hashing: passed").And.Contain("(identical to the reference)").And.Contain("solutions/Crypto/Hashing/NOTES.md");
        File.Exists(Path.Combine(tree.Root, ".koans", "state.json")).Should().BeFalse("a review reads the learner's progress, it never records into it");
    }

    [Fact]
    public void Recording_runs_counts_attempts_and_keeps_the_first_pass()
    {
        using var tree = TempTree.WithKatas("One");
        var kata = Catalog.Load(tree.Root).FindKata("demo.one")!;
        var state = new LearnerState();
        var failing = new TestCase("Demo.StubTests.Answer_is_42", "Answer_is_42", TestStatus.Failed, "Xunit.Sdk.XunitException", "Expected 42, found 41.");

        state.Record(new KataRun(kata, Track.Katas, KataState.Failed, [failing], null, null, TimeSpan.Zero));
        state.Record(new KataRun(kata, Track.Katas, KataState.Passed, [], null, null, TimeSpan.Zero));
        var firstPass = state.Progress["demo.one"].FirstPassedAt;
        state.Record(new KataRun(kata, Track.Katas, KataState.Passed, [], null, null, TimeSpan.Zero));
        state.Record(new KataRun(kata, Track.Solutions, KataState.Passed, [], null, null, TimeSpan.Zero));

        state.Progress["demo.one"].Attempts.Should().Be(3, "every test run of the learner's kata counts, the reference's do not");
        state.Progress["demo.one"].FirstPassedAt.Should().NotBeNull().And.Be(firstPass, "a later pass does not move the first");
        state.Progress["demo.one"].LastFailure.Should().Be("Answer is 42: Expected 42, found 41.");
    }

    [Fact]
    public void State_files_written_before_progress_was_recorded_still_load()
    {
        using var tree = TempTree.WithKatas("One");
        tree.Write(".koans/state.json", """{ "hintsShown": { "demo.one": 1 }, "results": {} }""");

        var state = LearnerState.Load(tree.Root);

        state.HintsShown["demo.one"].Should().Be(1);
        state.Progress.Should().BeEmpty("an older state file has no progress yet, and that is not an error");
    }

    [Fact]
    public void The_report_is_one_self_contained_page_with_a_bar_per_section_and_a_row_per_kata()
    {
        using var tree = TempTree.WithKatas("One", "Two", "Three");
        var passedAt = new DateTimeOffset(2026, 11, 30, 9, 15, 0, TimeSpan.Zero);
        var state = StateFor(tree, "demo.one", attempts: 3, hints: 1, passedAt, null, KataState.Passed);
        var two = Catalog.Load(tree.Root).FindKata("demo.two")!;
        state.Results["demo.two"] = new LearnerState.CachedResult(LearnerState.Fingerprint(two), KataState.Failed, passedAt);
        state.Progress["demo.two"] = new LearnerState.KataProgress(5, null, "Answer is 42: Expected 42, found 41.");
        state.HintsShown["demo.two"] = 2;

        var html = HtmlReport.Learner(Catalog.Load(tree.Root), state, "ada", passedAt);
        var document = new HtmlParser().ParseDocument(html);

        document.QuerySelectorAll("link, img, iframe, object, embed, [src]").Should().BeEmpty("the page works offline: no external asset");
        document.QuerySelectorAll("script").Should().BeEmpty("a learner's report needs no script");
        document.QuerySelectorAll("style").Should().ContainSingle("the CSS is inline");
        document.Title.Should().Be("Koans progress: ada");

        var section = document.QuerySelector("section[data-section='demo']");
        section.Should().NotBeNull("each section has its own block");
        var bar = section!.QuerySelector("[role=progressbar]")!;
        bar.GetAttribute("aria-valuenow").Should().Be("1", "one of the section's three katas passes");
        bar.GetAttribute("aria-valuemax").Should().Be("3");
        bar.QuerySelector("span")!.GetAttribute("style").Should().Contain("width: 33%");

        var rows = section.QuerySelectorAll("tbody tr");
        rows.Select(r => r.GetAttribute("data-kata")).Should().Equal("demo.one", "demo.two", "demo.three");
        var cells = (string kata) => document.QuerySelector($"tr[data-kata='{kata}']")!.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        cells("demo.one").Should().Equal("1", "One demo.one", "passed", "3", "1/2", "2026-11-30 09:15 UTC", "");
        cells("demo.two").Should().Equal("2", "Two demo.two", "failing", "5", "2/2", "", "Answer is 42: Expected 42, found 41.");
        cells("demo.three")[2].Should().Be("not started");
        document.QuerySelector("tr[data-kata='demo.one'] time")!.GetAttribute("datetime").Should().Be("2026-11-30T09:15:00.0000000Z");
    }

    [Fact]
    public void A_hostile_kata_title_or_test_message_is_text_in_the_report_never_markup()
    {
        using var tree = TempTree.WithKatas("One");
        tree.Write("katas/Demo/One/kata.json", $$"""
            { "id": "demo.one", "title": {{JsonSerializer.Serialize(Hostile)}}, "concepts": ["c"], "hints": ["a", "b"], "references": [] }
            """);
        var state = StateFor(tree, "demo.one", 1, 0, null, "Answer: " + Hostile + "</td></tr></table>", KataState.Failed);

        var html = HtmlReport.Learner(Catalog.Load(tree.Root), state, "<b>mallory</b>", DateTimeOffset.UtcNow);
        var document = new HtmlParser().ParseDocument(html);

        document.QuerySelectorAll("script, img, b").Should().BeEmpty("every text from kata.json, a test message or a learner's name is HTML-encoded");
        document.QuerySelectorAll("table").Should().ContainSingle("a message cannot close the table early");
        var row = document.QuerySelector("tr[data-kata='demo.one']")!;
        row.QuerySelector("strong")!.TextContent.Should().Be(Hostile, "the title reads exactly as written");
        row.QuerySelector(".failure")!.TextContent.Should().Be("Answer: " + Hostile + "</td></tr></table>");
        document.QuerySelector("h1")!.TextContent.Should().Be("Koans progress: <b>mallory</b>");
    }

    [Fact]
    public async Task Report_writes_the_page_where_asked_and_rejects_a_missing_folder()
    {
        using var tree = TempTree.WithKatas("One");
        var output = new StringWriter();
        var report = new Report(tree.Root, new Ui(output));

        (await report.WriteAsync(Path.Combine(tree.Root, "out.html"), null, null)).Should().Be(0);
        tree.Read("out.html").Should().StartWith("<!DOCTYPE html>");
        (await report.WriteAsync(null, null, null)).Should().Be(0);
        File.Exists(Path.Combine(tree.Root, Report.DefaultFile)).Should().BeTrue("without --html the page goes to " + Report.DefaultFile);

        var noFolder = () => report.WriteAsync(Path.Combine(tree.Root, "missing", "out.html"), null, null);
        (await noFolder.Should().ThrowAsync<KoansException>()).Which.Message.Should().Contain("does not exist");
        var notClone = () => report.WriteAsync(null, Path.GetTempPath(), null);
        (await notClone.Should().ThrowAsync<KoansException>()).Which.Message.Should().Contain("is not a Koans clone");
    }

    [Fact]
    public async Task The_class_report_has_a_row_per_learner_and_the_hardest_kata_first()
    {
        using var tree = TempTree.WithKatas("One", "Two", "Three");
        using var results = new TempTree();
        var ada = StateFor(tree, "demo.one", attempts: 1, hints: 0, DateTimeOffset.UtcNow, null, KataState.Passed);
        ada.Results["demo.two"] = new LearnerState.CachedResult("old", KataState.Failed, DateTimeOffset.UtcNow);
        ada.Progress["demo.two"] = new LearnerState.KataProgress(9, null, "x");
        ada.HintsShown["demo.two"] = 2;
        var bob = StateFor(tree, "demo.one", attempts: 2, hints: 1, DateTimeOffset.UtcNow, null, KataState.Passed);
        bob.Results["demo.two"] = new LearnerState.CachedResult("old", KataState.Passed, DateTimeOffset.UtcNow);
        bob.Progress["demo.two"] = new LearnerState.KataProgress(4, DateTimeOffset.UtcNow, null);
        var catalog = Catalog.Load(tree.Root);
        ExercismResults.Write(Path.Combine(results.Root, "ada.json"), [], tree.Root, catalog, ada);
        ExercismResults.Write(Path.Combine(results.Root, "bob.json"), [], tree.Root, catalog, bob);
        var page = Path.Combine(results.Root, "class.html");

        (await new Report(tree.Root, new Ui(new StringWriter())).WriteAsync(page, null, results.Root)).Should().Be(0);
        var document = new HtmlParser().ParseDocument(File.ReadAllText(page));

        document.QuerySelectorAll("thead th[data-kata]").Select(th => th.GetAttribute("data-kata")).Should().Equal(
            ["demo.two", "demo.one"], "demo.two took the room 15 runs and hints, demo.one 4; nobody started demo.three");
        document.QuerySelectorAll("#hardest li").Select(li => li.GetAttribute("data-kata")).Should().Equal(["demo.two", "demo.one"], "the hardest katas open the page");
        document.QuerySelector("#hardest li")!.TextContent.Should().Contain("13 test runs · 2 hints · passed by 1 of 2");
        document.QuerySelectorAll("tbody tr").Select(r => r.GetAttribute("data-learner")).Should().Equal("ada", "bob");
        var cell = document.QuerySelector("tr[data-learner='ada'] td[data-kata='demo.two']")!;
        cell.TextContent.Should().Be("✗ 9 runs · 2 hints");
        cell.ClassList.Should().Contain("failing");
        document.QuerySelector("tr[data-learner='bob'] td[data-kata='demo.two']")!.ClassList.Should().Contain("passed",
            "another learner's files cannot be fingerprinted here: their last recorded result counts");
        document.QuerySelectorAll("script").Should().ContainSingle("only the inline sort script").Which.HasAttribute("src").Should().BeFalse();
    }

    [Fact]
    public async Task Merge_names_a_corrupt_file_and_still_merges_the_rest()
    {
        using var tree = TempTree.WithKatas("One");
        using var results = new TempTree();
        var output = new StringWriter();
        var report = new Report(tree.Root, new Ui(output));

        var empty = () => report.WriteAsync(null, null, results.Root);
        (await empty.Should().ThrowAsync<KoansException>()).Which.Message.Should().Contain("holds no results file").And.Contain("./run-katas.sh --json <name>.json");

        results.Write("carol.json", "{ not json");
        var onlyBroken = () => report.WriteAsync(null, null, results.Root);
        (await onlyBroken.Should().ThrowAsync<KoansException>()).Which.Message.Should().StartWith("None of the 1 files in");

        ExercismResults.Write(Path.Combine(results.Root, "ada.json"), [], tree.Root, Catalog.Load(tree.Root),
            StateFor(tree, "demo.one", attempts: 2, hints: 1, DateTimeOffset.UtcNow, null, KataState.Passed));
        StateFor(tree, "demo.one", 1, 0, null, null, KataState.Failed).Save(tree.Root);
        File.Copy(Path.Combine(tree.Root, ".koans/state.json"), Path.Combine(results.Root, "dave.json"));
        results.Write("erin.json", """{ "version": 3, "koansVersion": 2, "progress": [] }""");
        var page = Path.Combine(results.Root, "class.html");

        (await report.WriteAsync(page, null, results.Root)).Should().Be(0, "one bad file does not cost the class its page");

        var text = output.ToString();
        text.Should().Contain("Left out carol.json: it is not JSON in the results format");
        text.Should().Contain("Left out dave.json: it has no koansVersion and progress: it is not a file written by ./run-katas.sh --json (a .koans/state.json is not one)");
        text.Should().Contain("Left out erin.json: it is koansVersion 2, written by a newer Koans");
        new HtmlParser().ParseDocument(File.ReadAllText(page)).QuerySelectorAll("tbody tr").Select(r => r.GetAttribute("data-learner")).Should().Equal(["ada"]);
    }
}
