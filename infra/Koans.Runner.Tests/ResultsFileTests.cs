using System.Text.Json;

namespace Koans.Runner.Tests;

/// <summary>The --json file is a documented format (README, "results.json format"): fixed text both ways.</summary>
public class ResultsFileTests
{
    [Fact]
    public void The_json_file_carries_both_versions_and_every_started_katas_progress()
    {
        using var tree = TempTree.WithKatas("One", "Two", "Three");
        var catalog = Catalog.Load(tree.Root);
        var passedAt = new DateTimeOffset(2026, 11, 30, 9, 15, 0, TimeSpan.Zero);
        var state = new LearnerState();
        state.Results["demo.one"] = new LearnerState.CachedResult("f", KataState.Passed, passedAt);
        state.Progress["demo.one"] = new LearnerState.KataProgress(3, passedAt, "an old failure");
        state.HintsShown["demo.one"] = 9;
        state.HintsShown["demo.two"] = 1;
        var file = Path.Combine(tree.Root, "ada.json");

        ExercismResults.Write(file, [], tree.Root, catalog, state);

        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var root = json.RootElement;
        root.GetProperty("version").GetInt32().Should().Be(3, "Exercism's tools read version 3");
        root.GetProperty("koansVersion").GetInt32().Should().Be(1, "the Koans fields have a version of their own");
        var progress = root.GetProperty("progress").EnumerateArray().ToList();
        progress.Select(p => p.GetProperty("kata").GetString()).Should().Equal(["demo.one", "demo.two"], "katas never started are left out; the path's order");
        progress[0].GetProperty("status").GetString().Should().Be("passed");
        progress[0].GetProperty("attempts").GetInt32().Should().Be(3);
        progress[0].GetProperty("hintsUsed").GetInt32().Should().Be(2, "no more hints than the kata has");
        progress[0].GetProperty("firstPassedAt").GetString().Should().Be("2026-11-30T09:15:00+00:00");
        progress[0].TryGetProperty("lastFailure", out _).Should().BeFalse("a kata that passes has no last failure to show");
        progress[1].GetProperty("status").GetString().Should().Be("not-run", "a hint seen before any run");
    }

    [Fact]
    public void A_results_file_written_by_hand_to_the_documented_format_is_read()
    {
        using var tree = TempTree.WithKatas("One");
        // The example in README.md, "results.json format".
        var file = tree.Write("ada.json", """
            {
              "version": 3,
              "koansVersion": 1,
              "status": "fail",
              "tests": [],
              "katas": [],
              "progress": [
                { "kata": "crypto.hmac", "status": "passed", "attempts": 4, "hintsUsed": 2,
                  "firstPassedAt": "2026-11-30T09:15:00+00:00", "lastRunAt": "2026-11-30T09:20:00+00:00" },
                { "kata": "crypto.hashing", "status": "failing", "attempts": 7, "hintsUsed": 3,
                  "lastRunAt": "2026-11-30T10:02:00+00:00", "lastFailure": "Verify rejects a tag with one flipped bit: Expected False, found True." }
              ]
            }
            """);

        var state = ResultsFile.Read(file);

        state.Results["crypto.hmac"].State.Should().Be(KataState.Passed);
        state.Progress["crypto.hmac"].Should().Be(new LearnerState.KataProgress(4, new DateTimeOffset(2026, 11, 30, 9, 15, 0, TimeSpan.Zero), null));
        state.HintsShown["crypto.hmac"].Should().Be(2);
        state.Results["crypto.hashing"].State.Should().Be(KataState.Failed);
        state.Progress["crypto.hashing"].LastFailure.Should().StartWith("Verify rejects");
    }

    [Theory]
    [InlineData("[]", "it has no koansVersion and progress")]
    [InlineData("{ not json", "it is not JSON in the results format")]
    [InlineData("null", "it has no koansVersion and progress")]
    [InlineData("""{ "koansVersion": 1, "progress": null }""", "its progress is null")]
    [InlineData("""{ "koansVersion": "1", "progress": [] }""", "it has no koansVersion and progress")]
    [InlineData("""{ "hintsShown": {}, "results": {} }""", "it has no koansVersion and progress")]
    [InlineData("""{ "koansVersion": 1, "progress": [ { "kata": "x", "status": "green", "attempts": 1, "hintsUsed": 0 } ] }""", "the status 'green' of x is not one of passed, failing")]
    [InlineData("""{ "koansVersion": 1, "progress": [ { "kata": "", "status": "passed", "attempts": 1, "hintsUsed": 0 } ] }""", "a progress entry has no kata id")]
    [InlineData("""{ "koansVersion": 1, "progress": [ { "kata": "x", "status": "passed", "attempts": -1, "hintsUsed": 0 } ] }""", "a negative count")]
    [InlineData("""{ "koansVersion": 1, "progress": [ null ] }""", "a progress entry has no kata id")]
    public void A_file_that_is_not_a_results_file_says_why(string text, string why)
    {
        using var tree = TempTree.WithKatas("One");
        var file = tree.Write("x.json", text);

        var read = () => ResultsFile.Read(file);

        read.Should().Throw<FormatException>().Which.Message.Should().Contain(why);
    }
}
