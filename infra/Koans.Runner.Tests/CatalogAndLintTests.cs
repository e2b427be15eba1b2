namespace Koans.Runner.Tests;

public class CatalogAndLintTests
{
    private static List<string> Problems(TempTree tree) =>
        Lint.Run(Catalog.Load(tree.Root)).Where(c => c.Name != "infra/katas.lock matches the kata files").SelectMany(c => c.Problems).ToList();

    [Fact]
    public void A_complete_tree_passes_the_lint()
    {
        using var tree = TempTree.WithKatas("First", "Second");

        Problems(tree).Should().BeEmpty();
        Catalog.Load(tree.Root).Katas.Select(k => k.Number).Should().Equal(1, 2);
    }

    [Fact]
    public void A_kata_folder_without_metadata_fails_the_lint()
    {
        using var tree = TempTree.WithKatas("First");
        tree.Write("katas/Demo/Stray/Stray.csproj", "<Project />");

        Problems(tree).Should().ContainSingle(p => p.Contains("katas/Demo/Stray has no kata.json"));
    }

    [Fact]
    public void Metadata_without_a_folder_fails_the_lint()
    {
        using var tree = TempTree.WithKatas("First");
        tree.Write("katas/path.json", """{ "sections": [ { "id": "demo", "folder": "Demo", "title": "Demo", "katas": ["First", "Ghost"] } ] }""");

        Problems(tree).Should().ContainSingle(p => p.Contains("katas/path.json:1: lists katas/Demo/Ghost, but there is no such folder"));
    }

    [Fact]
    public void An_empty_hint_or_a_single_hint_fails_the_lint()
    {
        using var tree = TempTree.WithKatas("First", "Second");
        tree.Write("katas/Demo/First/kata.json", """
            { "id": "demo.first", "title": "t", "concepts": ["c"], "hints": ["gentle", " "], "references": [ { "title": "r", "url": "https://example.org" } ] }
            """);
        tree.Write("katas/Demo/Second/kata.json", """
            { "id": "demo.second", "title": "t", "concepts": ["c"], "hints": ["only one"], "references": [ { "title": "r", "url": "https://example.org" } ] }
            """);

        var problems = Problems(tree);

        problems.Should().Contain(p => p.Contains("First/kata.json: hint 2 is empty"));
        problems.Should().Contain(p => p.Contains("Second/kata.json: has 1 hint(s)"));
    }

    [Fact]
    public void A_missing_solution_or_missing_notes_fails_the_lint()
    {
        using var tree = TempTree.WithKatas("First", "Second");
        File.Delete(Path.Combine(tree.Root, "solutions/Demo/First/Stub.cs"));
        File.Delete(Path.Combine(tree.Root, "solutions/Demo/Second/NOTES.md"));

        var problems = Problems(tree);

        problems.Should().Contain(p => p.Contains("katas/Demo/First has no reference solution"));
        problems.Should().Contain(p => p.Contains("solutions/Demo/Second/NOTES.md is missing or empty"));
    }

    [Fact]
    public void A_kata_missing_from_the_solution_file_fails_the_lint()
    {
        using var tree = TempTree.WithKatas("First");
        tree.Write("Koans.sln", "");

        Problems(tree).Should().ContainSingle(p => p.Contains("is not in Koans.sln"));
    }

    [Fact]
    public void A_malformed_id_fails_the_lint()
    {
        using var tree = TempTree.WithKatas("First");
        tree.Write("katas/Demo/First/kata.json", """
            { "id": "Crypto.First", "title": "t", "concepts": ["c"], "hints": ["a", "b"], "references": [ { "title": "r", "url": "https://example.org" } ] }
            """);

        Problems(tree).Should().ContainSingle(p => p.Contains("must be 'demo.<kebab-case-name>'"));
    }

    [Fact]
    public void Katas_are_found_by_id_short_name_or_folder_and_unknown_names_get_a_suggestion()
    {
        using var tree = TempTree.WithKatas("First", "Second");
        var catalog = Catalog.Load(tree.Root);

        catalog.FindKata("demo.first")!.Folder.Should().Be("First");
        catalog.FindKata("second")!.Folder.Should().Be("Second");
        catalog.FindKata("Demo/First")!.Folder.Should().Be("First");
        catalog.Resolve("demo").Should().HaveCount(2, "a section name means all its katas");

        var unknown = () => catalog.Resolve("firs");
        unknown.Should().Throw<KoansException>().WithMessage("There is no kata or section called 'firs'. Did you mean demo.first?*");
    }

    [Fact]
    public void A_mistyped_name_is_answered_with_the_nearest_kata_by_edit_distance()
    {
        using var tree = TempTree.WithKatas("Hmac", "Hkdf", "Hashing");
        var catalog = Catalog.Load(tree.Root);

        catalog.Suggest("demo.hmca").Should().Equal(["demo.hmac"], "two swapped letters are one edit");
        catalog.Suggest("hmca").Should().Equal(["demo.hmac"], "a short name is matched against short names");
        catalog.Suggest("hashnig").Should().Equal(["demo.hashing"]);
        catalog.Suggest("dmeo").Should().Equal(["demo"], "sections are suggested too");
        catalog.Suggest("elliptic-curves").Should().BeEmpty("nothing is near enough to suggest");
        var unknown = () => catalog.Resolve("demo.hmca");
        unknown.Should().Throw<KoansException>().WithMessage("There is no kata or section called 'demo.hmca'. Did you mean demo.hmac?*");
    }

    [Fact]
    public async Task A_broken_kata_json_is_an_error_naming_file_and_line_in_every_command_and_in_the_lint()
    {
        using var tree = TempTree.WithKatas("First", "Second");
        tree.Write("katas/Demo/Second/kata.json", "{ \"id\": \"demo.second\",\n  \"title\": \"Second\",\n  \"hints\": [\"a\" \"b\"] }");
        var output = new StringWriter();
        var commands = new Commands(tree.Root, new Ui(output));

        (await commands.ListAsync()).Should().Be(2, "list reports the broken kata as an error");
        output.ToString().Should().Contain("error: katas/Demo/Second/kata.json:3: is not valid kata metadata");

        output.GetStringBuilder().Clear();
        var hint = () => commands.HintAsync("demo.second");
        (await hint.Should().ThrowAsync<KoansException>()).WithMessage("'demo.second' is on the path, but it cannot be loaded: katas/Demo/Second/kata.json:3:*");
        output.ToString().Should().Contain("error: katas/Demo/Second/kata.json:3:", "every command reports it, before anything else");

        var first = Catalog.Load(tree.Root).Katas.Where(k => k.Id == "demo.first").ToList();
        Lint.Run(Catalog.Load(tree.Root), first).SelectMany(c => c.Problems).Should().Contain(p => p.StartsWith("katas/Demo/Second/kata.json:3:"),
            "verify --kata of another kata still fails the lint on a kata nobody can load");
    }

    [Fact]
    public void A_hang_guard_as_long_as_the_kata_limit_fails_the_lint()
    {
        using var tree = TempTree.WithKatas("First");
        tree.Write("katas/Demo/First/StubTests.cs", "namespace Demo; public class StubTests { async Task Guarded(Task t) => await t.WaitAsync(TimeSpan.FromSeconds(45)); }\n");

        Problems(tree).Should().ContainSingle(p => p.Contains("StubTests.cs:1: a 45 s hang guard is not shorter than the kata's 45 s limit"));
    }

    [Fact]
    public void Json_results_pointed_at_a_folder_is_one_sentence()
    {
        using var tree = TempTree.WithKatas("First");
        var kata = Catalog.Load(tree.Root).Katas.Single();
        var run = new KataRun(kata, Track.Katas, KataState.Skipped, [new TestCase("X.Needs_a_chain", "Needs_a_chain", TestStatus.Skipped, SkipReason: "no chain")], null, null, TimeSpan.Zero);

        var write = () => ExercismResults.Write(tree.Root, [run], tree.Root, Catalog.Load(tree.Root), new LearnerState());

        write.Should().Throw<KoansException>().WithMessage("--json takes a file name, and * is a folder: try --json */results.json.");
        var file = Path.Combine(tree.Root, "results.json");
        ExercismResults.Write(file, [run], tree.Root, Catalog.Load(tree.Root), new LearnerState());
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
        json.RootElement.GetProperty("status").GetString().Should().Be("pass", "a skipped kata exits 0, and its JSON agrees");
        json.RootElement.GetProperty("katas")[0].GetProperty("status").GetString().Should().Be("skipped");
        json.RootElement.GetProperty("tests")[0].GetProperty("kata").GetString().Should().Be("demo.first");
    }

    [Fact]
    public void A_broken_path_file_is_one_clear_sentence()
    {
        using var tree = TempTree.WithKatas("First");
        tree.Write("katas/path.json", "{ not json");

        var load = () => Catalog.Load(tree.Root);

        load.Should().Throw<KoansException>().WithMessage("katas/path.json is not valid JSON*git checkout*");
    }

    [Fact]
    public async Task Learner_commands_share_the_checkout_take_turns_on_a_kata_and_verify_waits_for_them_all()
    {
        using var tree = TempTree.WithKatas("First", "Second");
        var catalog = Catalog.Load(tree.Root);
        var (first, second) = (catalog.Katas.First(), catalog.Katas.Last());
        var ct = TestContext.Current.CancellationToken;
        using var watch = RunnerLock.Share(tree.Root, "watch");
        using var run = RunnerLock.Share(tree.Root, "run");

        using (await RunnerLock.ForKataAsync(tree.Root, first, "watch", null, ct))
        {
            using var other = await RunnerLock.ForKataAsync(tree.Root, second, "run", null, ct);
            var notes = new List<string>();
            using var cancel = new CancellationTokenSource();
            var same = RunnerLock.ForKataAsync(tree.Root, first, "run", n => { notes.Add(n); cancel.Cancel(); }, cancel.Token);
            await FluentActions.Awaiting(() => same).Should().ThrowAsync<OperationCanceledException>("one kata is built by one command at a time");
            notes.Should().ContainSingle().Which.Should().StartWith("Waiting for ./run-katas.sh watch (pid").And.EndWith("which is testing demo.first right now…");
        }

        var verify = () => RunnerLock.Acquire(tree.Root, "verify");
        verify.Should().Throw<KoansException>().WithMessage("Another ./run-katas.sh*is using this checkout*",
            "holders in this very process are not named, so this sentence is the generic one");
    }

    [Fact]
    public void Results_are_written_in_the_shape_of_exercism_results_v3()
    {
        using var tree = TempTree.WithKatas("First");
        var kata = Catalog.Load(tree.Root).Katas.Single();
        var run = new KataRun(kata, Track.Katas, KataState.Failed,
            [new TestCase("X.Ok", "Ok", TestStatus.Passed), new TestCase("X.Not_yet", "Not_yet", TestStatus.Failed, "System.NotImplementedException", "not implemented", Output: "hello")],
            null, null, TimeSpan.Zero);
        var file = Path.Combine(tree.Root, "results.json");

        ExercismResults.Write(file, [run], tree.Root, Catalog.Load(tree.Root), new LearnerState());

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
        var document = json.RootElement;
        document.GetProperty("version").GetInt32().Should().Be(3);
        document.GetProperty("status").GetString().Should().Be("fail");
        var tests = document.GetProperty("tests").EnumerateArray().ToList();
        tests.Select(t => t.GetProperty("name").GetString()).Should().Equal("Ok", "Not yet");
        tests.Select(t => t.GetProperty("status").GetString()).Should().Equal("pass", "fail");
        tests[1].GetProperty("message").GetString().Should().Be("not implemented");
        tests[1].GetProperty("output").GetString().Should().Be("hello");
    }

    [Fact]
    public void Provided_files_are_compiled_on_both_tracks_are_not_stubs_and_are_never_copied_into_solutions()
    {
        using var tree = TempTree.WithKatas("First");
        tree.Write("katas/Demo/First/Types.Provided.cs", "namespace Demo; public sealed record Point(int X, int Y);\n");
        var kata = Catalog.Load(tree.Root).Katas.Single();

        kata.StubFiles.Select(Path.GetFileName).Should().Equal(["Stub.cs"], "provided code is not the learner's to edit");
        kata.CompiledFiles(Track.Solutions).Select(Path.GetFileName).Should().Contain("Types.Provided.cs", "both tracks compile provided code");
        Problems(tree).Should().BeEmpty();

        tree.Write("solutions/Demo/First/Types.Provided.cs", "namespace Demo; public sealed record Point(int X, int Y);\n");
        Problems(tree).Should().ContainSingle(p => p.Contains("Types.Provided.cs is provided code, compiled on both tracks: delete its copy"));
    }

    [Fact]
    public void A_first_hint_naming_what_only_the_reference_uses_fails_the_lint_with_the_file_and_the_identifier()
    {
        using var tree = TempTree.WithKatas("First");
        tree.Write("solutions/Demo/First/Stub.cs", "namespace Demo; public static class Stub { public static int Answer() => int.Parse(System.Text.Encoding.UTF8.GetString([52, 50])); }\n");
        tree.Write("katas/Demo/First/kata.json", """
            { "id": "demo.first", "title": "t", "concepts": ["c"], "hints": ["Call Encoding.UTF8.GetString, then int.Parse()", "near"],
              "references": [ { "title": "r", "url": "https://example.org" } ] }
            """);

        var problems = Problems(tree);

        problems.Should().Contain(p => p.StartsWith("katas/Demo/First/kata.json: hint 1 gives the answer away: 'GetString' is used by solutions/Demo/First/Stub.cs"),
            "GetString has an upper-case letter inside it: it reads as code, and only the reference uses it");
        problems.Should().Contain(p => p.Contains("'UTF8' is used by solutions/Demo/First/Stub.cs"));
        problems.Should().Contain(p => p.Contains("'Parse' is used by"), "a word followed by ( is code");
    }

    [Fact]
    public void A_first_hint_in_plain_english_or_naming_what_the_stub_already_says_passes_the_lint()
    {
        using var tree = TempTree.WithKatas("First");
        tree.Write("katas/Demo/First/Stub.cs", "namespace Demo; /// <summary>Returns the answer; ReadOnlySpan is fine.</summary>\npublic static class Stub { public static int Answer() => throw new NotImplementedException(); }\n");
        tree.Write("solutions/Demo/First/Stub.cs", "namespace Demo; public static class Stub { public static int Answer() { ReadOnlySpan<int> answers = [42]; return answers[0]; } // see TheAnswerTable\n static string Why => \"DeepThought\"; }\n");
        tree.Write("katas/Demo/First/kata.json", """
            { "id": "demo.first", "title": "t", "concepts": ["c"], "hints": ["Which number answers everything? A ReadOnlySpan, TheAnswerTable or DeepThought, e.g. from Answer.", "near"],
              "references": [ { "title": "r", "url": "https://example.org" } ] }
            """);

        Problems(tree).Should().BeEmpty("ReadOnlySpan is in the stub, and words only in the reference's comments or strings are not its code");
    }

    [Fact]
    public void A_kata_may_opt_out_of_the_hint_check_with_a_reason_but_not_without_one()
    {
        using var tree = TempTree.WithKatas("First", "Second");
        tree.Write("solutions/Demo/First/Stub.cs", "namespace Demo; public static class Stub { public static int Answer() => System.Math.Max(41, 42); }\n");
        tree.Write("solutions/Demo/Second/Stub.cs", "namespace Demo; public static class Stub { public static int Answer() => System.Math.Max(41, 42); }\n");
        tree.Write("katas/Demo/First/kata.json", """
            { "id": "demo.first", "title": "t", "concepts": ["c"], "hints": ["Math.Max()", "near"], "hintLintOptOut": "the kata is about finding the method, not the concept",
              "references": [ { "title": "r", "url": "https://example.org" } ] }
            """);
        tree.Write("katas/Demo/Second/kata.json", """
            { "id": "demo.second", "title": "t", "concepts": ["c"], "hints": ["Math.Max()", "near"], "hintLintOptOut": " ",
              "references": [ { "title": "r", "url": "https://example.org" } ] }
            """);

        var problems = Problems(tree);

        problems.Should().NotContain(p => p.Contains("katas/Demo/First/"), "an opt-out with a reason is honoured");
        problems.Should().ContainSingle(p => p.Contains("katas/Demo/Second/kata.json: hintLintOptOut needs a reason"));
    }
}
