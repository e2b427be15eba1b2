namespace Koans.Runner.Tests;

/// <summary>
/// The runner on a copy of the real tree: a learner's first steps, a solved kata, a hang. These build real katas, so
/// they take a while; they run in one test to share the build.
/// </summary>
public class EndToEndTests
{

    [Fact]
    public async Task The_path_advances_past_a_solved_kata_and_survives_a_hang()
    {
        var ct = TestContext.Current.CancellationToken;
        var source = TempTree.RepositoryRoot();
        using var tree = new TempTree();
        foreach (var item in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "Koans.sln",
                                     "katas/Crypto/Hashing", "katas/Crypto/Hmac", "solutions/Crypto/Hashing", "solutions/Crypto/Hmac" })
        {
            TempTree.Copy(Path.Combine(source, item), Path.Combine(tree.Root, item));
        }

        tree.Write("katas/path.json", """{ "sections": [ { "id": "crypto", "folder": "Crypto", "title": "Cryptography", "katas": ["Hashing", "Spin", "Hmac"] } ] }""");
        // A kata whose stub never returns: the runner must kill it and say so.
        tree.Write("katas/Crypto/Spin/Spin.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        tree.Write("katas/Crypto/Spin/kata.json", """
            { "id": "crypto.spin", "title": "Spin", "concepts": ["c"], "hints": ["a", "b"], "references": [ { "title": "r", "url": "https://example.org" } ], "timeoutSeconds": 15 }
            """);
        tree.Write("katas/Crypto/Spin/Spinner.cs", "namespace Koans.Crypto.Spin;\npublic static class Spinner { public static int Spin() { while (true) { } } }\n");
        tree.Write("katas/Crypto/Spin/SpinnerTests.cs", "namespace Koans.Crypto.Spin;\npublic class SpinnerTests { [Fact] public void Spin_returns_one() => Spinner.Spin().Should().Be(1); }\n");

        var output = new StringWriter();
        var commands = new Commands(tree.Root, new Ui(output));

        // 1. A fresh learner: the path stops at kata 1 with its first hint.
        (await commands.PathAsync(null, ct)).Should().Be(1);
        var first = output.ToString();
        first.Should().Contain("Kata 1/3").And.Contain("crypto.hashing").And.Contain("Hint 1/").And.Contain("katas/Crypto/Hashing/Digests.cs:");

        // 2. The learner solves kata 1 (the reference stands in for their work): the path moves on, to the hang.
        TempTree.Copy(Path.Combine(tree.Root, "solutions/Crypto/Hashing/Digests.cs"), Path.Combine(tree.Root, "katas/Crypto/Hashing/Digests.cs"));
        output.GetStringBuilder().Clear();
        (await commands.PathAsync(null, ct)).Should().Be(1);
        var second = output.ToString();
        second.Should().Contain("Progress [##########....................] 1/3", "kata 1 now passes").And.Contain("Kata 2/3");
        second.Should().Contain("timed out after 15 s").And.Contain("\"Spin returns one\"").And.Contain(": an infinite loop or a deadlock in crypto.spin?",
            "the timeout names the test: from xunit's long-running report, or, if the kill came first, as not finished");

        // 3. The learner fixes the loop: the path works on, and the JSON results describe the current kata.
        tree.Write("katas/Crypto/Spin/Spinner.cs", "namespace Koans.Crypto.Spin;\npublic static class Spinner { public static int Spin() => 1; }\n");
        output.GetStringBuilder().Clear();
        var json = Path.Combine(tree.Root, "results.json");
        (await commands.PathAsync(json, ct)).Should().Be(1);
        output.ToString().Should().Contain("Kata 3/3").And.Contain("crypto.hmac");
        File.ReadAllText(json).Should().Contain("\"version\": 3").And.Contain("\"status\": \"fail\"");

        // 4. A compile error is shown verbatim with file:line, for that kata only.
        tree.Write("katas/Crypto/Spin/Spinner.cs", "namespace Koans.Crypto.Spin;\npublic static class Spinner { public static int Spin() => 1 }\n");
        output.GetStringBuilder().Clear();
        await commands.RunAsync("crypto.spin", null, ct);
        output.ToString().Should().Contain("does not compile").And.Contain("katas/Crypto/Spin/Spinner.cs(2,").And.Contain("error CS1002");
    }
}
