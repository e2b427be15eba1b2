namespace Koans.Runner.Tests;

public class ResetTests
{
    private static Commands CommandsFor(TempTree tree, StringWriter output) => new(tree.Root, new Ui(output));

    [Fact]
    public async Task Reset_restores_the_published_stub_even_after_the_learner_committed_and_keeps_a_backup()
    {
        using var tree = TempTree.WithKatas("First");
        var output = new StringWriter();
        var commands = CommandsFor(tree, output);
        await commands.LockStubsAsync();
        var original = tree.Read("katas/Demo/First/Stub.cs");
        TempTree.Git(tree.Root, "init", "-q");
        TempTree.Git(tree.Root, "add", "-A");
        TempTree.Git(tree.Root, "commit", "-qm", "published");
        var work = "namespace Demo; public static class Stub { public static int Answer() => 41; }\n";
        tree.Write("katas/Demo/First/Stub.cs", work);
        TempTree.Git(tree.Root, "commit", "-qam", "my attempt");

        var exit = await commands.ResetAsync("demo.first", yes: true, TestContext.Current.CancellationToken);

        exit.Should().Be(0, output.ToString());
        tree.Read("katas/Demo/First/Stub.cs").Should().Be(original, "reset restores the stub as published, not as last committed");
        var backups = Directory.GetFiles(Path.Combine(tree.Root, ".koans", "backups"), "Stub.cs", SearchOption.AllDirectories);
        backups.Should().ContainSingle();
        File.ReadAllText(backups[0]).Should().Be(work, "the learner's version is kept");
    }

    [Fact]
    public async Task Reset_without_confirmation_on_a_redirected_input_changes_nothing_and_says_how_to_confirm()
    {
        using var tree = TempTree.WithKatas("First");
        var output = new StringWriter();
        var commands = CommandsFor(tree, output);
        await commands.LockStubsAsync();
        TempTree.Git(tree.Root, "init", "-q");
        TempTree.Git(tree.Root, "add", "-A");
        TempTree.Git(tree.Root, "commit", "-qm", "published");
        tree.Write("katas/Demo/First/Stub.cs", "// my work\n");

        var reset = () => commands.ResetAsync("demo.first", yes: false, TestContext.Current.CancellationToken);

        if (Console.IsInputRedirected)
        {
            await reset.Should().ThrowAsync<KoansException>().WithMessage("*run it again with --yes*");
            tree.Read("katas/Demo/First/Stub.cs").Should().Be("// my work\n", "nothing a learner wrote is overwritten without asking");
        }
    }

    [Fact]
    public async Task Reset_outside_a_git_checkout_is_one_clear_sentence_and_changes_nothing()
    {
        using var tree = TempTree.WithKatas("First");
        var commands = CommandsFor(tree, new StringWriter());
        await commands.LockStubsAsync();
        tree.Write("katas/Demo/First/Stub.cs", "// my work\n");

        var reset = () => commands.ResetAsync("demo.first", yes: true, TestContext.Current.CancellationToken);

        await reset.Should().ThrowAsync<KoansException>().WithMessage("reset needs git*");
        tree.Read("katas/Demo/First/Stub.cs").Should().Be("// my work\n");
    }

    [Fact]
    public async Task Reset_of_an_unknown_kata_names_the_list_command()
    {
        using var tree = TempTree.WithKatas("First");
        var commands = CommandsFor(tree, new StringWriter());

        var reset = () => commands.ResetAsync("nope", yes: true, TestContext.Current.CancellationToken);

        await reset.Should().ThrowAsync<KoansException>().WithMessage("*./run-katas.sh list*");
    }

    [Fact]
    public async Task A_deleted_test_file_is_named_with_the_command_that_restores_it()
    {
        using var tree = TempTree.WithKatas("First");
        tree.Write("katas/Demo/First/MoreTests.cs", "namespace Demo; public class MoreTests { }\n");
        var commands = CommandsFor(tree, new StringWriter());
        await commands.LockStubsAsync();
        File.Delete(Path.Combine(tree.Root, "katas/Demo/First/MoreTests.cs"));
        var kata = Catalog.Load(tree.Root).Katas.Single();

        var build = () => new KataBuilder(tree.Root).BuildAsync(kata, Track.Katas, TestContext.Current.CancellationToken);

        await build.Should().ThrowAsync<KoansException>()
            .WithMessage("katas/Demo/First/MoreTests.cs is missing: the tests are the spec*git checkout -- katas/Demo/First/MoreTests.cs*");
    }

    [Fact]
    public async Task The_lock_flags_a_changed_test_file()
    {
        using var tree = TempTree.WithKatas("First");
        await CommandsFor(tree, new StringWriter()).LockStubsAsync();
        tree.Write("katas/Demo/First/StubTests.cs", "// weakened\n");

        StubLock.Problems(Catalog.Load(tree.Root)).Should().ContainSingle(p => p.StartsWith("katas/Demo/First/StubTests.cs differs"));
    }
}
