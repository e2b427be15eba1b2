namespace Koans.Runner.Tests;

public class MutateTests
{
    [Fact]
    public async Task Mutate_of_an_unknown_kata_names_the_list_command_and_generates_nothing()
    {
        using var tree = TempTree.WithKatas("First");
        var mutate = new Mutate(tree.Root, new Ui(new StringWriter()));

        var run = () => mutate.RunAsync("nope", new MutateOptions(1), TestContext.Current.CancellationToken);

        await run.Should().ThrowAsync<KoansException>().WithMessage("*no kata or section called 'nope'*./run-katas.sh list*");
        Directory.Exists(Path.Combine(tree.Root, "artifacts", "mutate")).Should().BeFalse("nothing is generated for a kata that does not exist");
    }

    [Fact]
    public void The_split_copies_the_reference_and_provided_code_and_carries_the_kata_references_over_without_touching_the_kata()
    {
        using var tree = TempTree.WithKatas("First");
        tree.Write("katas/Demo/First/First.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
              </PropertyGroup>
              <PropertyGroup Condition="'$(Track)' == 'solutions'">
                <DefineConstants>ONLY_IN_THE_KATA</DefineConstants>
              </PropertyGroup>
              <Target Name="CopySomething" AfterTargets="Build" />
              <ItemGroup>
                <PackageReference Include="NSec.Cryptography" />
                <ProjectReference Include="$(KoansTestingProject)" />
                <ProjectReference Include="../../../infra/Other/Other.csproj" />
              </ItemGroup>
            </Project>
            """);
        tree.Write("katas/Demo/First/Model.Provided.cs", "namespace Demo; public sealed record Model(int Value);\n");
        var kata = Catalog.Load(tree.Root).FindKata("demo.first")!;
        var before = Directory.EnumerateFiles(kata.Directory, "*", SearchOption.AllDirectories).Order().Select(File.ReadAllText).ToList();
        var split = Mutate.SplitDirectory(tree.Root, kata);

        new Mutate(tree.Root, new Ui(new StringWriter())).WriteSplit(kata, split);

        File.ReadAllText(Path.Combine(split, "Lib", "Reference", "Stub.cs")).Should().Contain("=> 42", "the library compiles the reference, not the stub");
        File.Exists(Path.Combine(split, "Lib", "Provided", "Model.Provided.cs")).Should().BeTrue("provided code is compiled with the reference");
        File.Exists(Path.Combine(split, "Lib", "Reference", "NOTES.md")).Should().BeFalse("only .cs files are compiled");
        var library = File.ReadAllText(Path.Combine(split, "Lib", "Koans.Demo.First.csproj"));
        var tests = File.ReadAllText(Path.Combine(split, "Tests", "Koans.Demo.First.Tests.csproj"));
        foreach (var project in new[] { library, tests })
        {
            project.Should().Contain("<PackageReference Include=\"NSec.Cryptography\" />", "the kata's packages carry over");
            project.Should().Contain("<ProjectReference Include=\"$(KoansTestingProject)\" />", "infrastructure references carry over");
            project.Should().Contain(Path.GetFullPath(Path.Combine(tree.Root, "infra/Other/Other.csproj")).Replace('\\', '/'),
                "a path relative to the kata folder is made absolute");
            project.Should().Contain("<AllowUnsafeBlocks>true</AllowUnsafeBlocks>", "unconditional compiler switches carry over")
                .And.Contain("<Target Name=\"CopySomething\" AfterTargets=\"Build\" />", "the kata's targets carry over")
                .And.NotContain("ONLY_IN_THE_KATA", "a property group conditioned on the kata's own build settings does not");
        }

        tests.Should().Contain($"{kata.Directory.Replace('\\', '/')}/**/*Tests.cs", "the tests are compiled from the kata folder itself");
        File.ReadAllText(Path.Combine(split, "stryker-config.json")).Should().Contain("\"**/Reference/**/*.cs\"").And.Contain("\"string\"");
        Directory.EnumerateFiles(kata.Directory, "*", SearchOption.AllDirectories).Order().Select(File.ReadAllText).Should()
            .Equal(before, "mutate never writes to a kata folder");
    }

    [Fact]
    public async Task Stryker_builds_the_infrastructure_into_the_split_so_a_verify_beside_it_never_writes_the_same_files()
    {
        using var tree = TempTree.WithKatas("First");
        var kata = Catalog.Load(tree.Root).FindKata("demo.first")!;
        var root = TempTree.RepositoryRoot();
        var koansTesting = Path.Combine(root, "infra", "Koans.Testing", "Koans.Testing.csproj");
        string[] evaluate = ["msbuild", koansTesting, "-getProperty:BaseOutputPath"];

        var verify = await ProcessRunner.RunAsync("dotnet", evaluate, root, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        var mutate = await ProcessRunner.RunAsync("dotnet", evaluate, root, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken,
            Mutate.StrykerEnvironment(root, kata));

        Path.GetFullPath(verify.Output.Trim()).Should().StartWith(Path.Combine(root, "artifacts", "infra") + Path.DirectorySeparatorChar,
            $"without mutate's environment Koans.Testing builds where verify expects it ({verify.Output.Trim()})");
        Path.GetFullPath(mutate.Output.Trim()).Should().StartWith(Path.Combine(Mutate.SplitDirectory(root, kata), "infra") + Path.DirectorySeparatorChar,
            $"under Stryker, Koans.Testing builds inside the split: two builds writing one dll at once fail each other ({mutate.Output.Trim()})");
    }

    [Fact]
    public void The_split_carries_the_files_the_tests_read_as_the_solutions_track_sees_them()
    {
        using var tree = TempTree.WithKatas("First");
        tree.Write("katas/Demo/First/First.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <None Include="sample.json" CopyToOutputDirectory="PreserveNewest" />
                <EmbeddedResource Include="Stub.cs" LogicalName="Stub.cs" Condition="'$(Track)' == 'katas'" />
                <EmbeddedResource Include="$(KataSolutionDirectory)Stub.cs" LogicalName="Stub.cs" Condition="'$(Track)' == 'solutions'" />
              </ItemGroup>
            </Project>
            """);
        var kata = Catalog.Load(tree.Root).FindKata("demo.first")!;
        var split = Mutate.SplitDirectory(tree.Root, kata);

        new Mutate(tree.Root, new Ui(new StringWriter())).WriteSplit(kata, split);

        var tests = File.ReadAllText(Path.Combine(split, "Tests", "Koans.Demo.First.Tests.csproj"));
        var kataFolder = kata.Directory.Replace('\\', '/').TrimEnd('/');
        var solutionFolder = kata.SolutionDirectory.Replace('\\', '/').TrimEnd('/');
        tests.Should().Contain($"<None Include=\"{kataFolder}/sample.json\" CopyToOutputDirectory=\"PreserveNewest\" />", "a sample the tests read from the output folder carries over")
            .And.Contain($"<EmbeddedResource Include=\"{solutionFolder}/Stub.cs\" LogicalName=\"Stub.cs\" />", "the tests read the reference's source, as on the solutions track")
            .And.NotContain($"{kataFolder}/Stub.cs", "the katas track's copy (the learner's stub) is left out");
    }

    [Fact]
    public void The_report_is_mapped_back_to_the_solutions_file_and_counts_timeouts_as_killed_and_no_coverage_as_survived()
    {
        using var tree = TempTree.WithKatas("First");
        var kata = Catalog.Load(tree.Root).FindKata("demo.first")!;
        var split = Mutate.SplitDirectory(tree.Root, kata);
        var source = "namespace Demo;\npublic static class Stub\n{\n    public static int Answer(int x) => x < 3 ? 42 : 0;\n}\n";
        var reference = Path.Combine(split, "Lib", "Reference", "Stub.cs").Replace("\\", "\\\\");
        var report = tree.Write("report.json", $$"""
            { "files": { "{{reference}}": { "language": "cs", "source": {{System.Text.Json.JsonSerializer.Serialize(source)}}, "mutants": [
                { "id": "1", "mutatorName": "Equality mutation", "replacement": "x <= 3", "status": "Survived",
                  "location": { "start": { "line": 4, "column": 40 }, "end": { "line": 4, "column": 45 } } },
                { "id": "2", "mutatorName": "Conditional (true) mutation", "replacement": "true ? 42 : 0", "status": "Killed",
                  "location": { "start": { "line": 4, "column": 40 }, "end": { "line": 4, "column": 55 } } },
                { "id": "3", "mutatorName": "Statement mutation", "replacement": ";", "status": "Timeout",
                  "location": { "start": { "line": 4, "column": 1 }, "end": { "line": 4, "column": 5 } } },
                { "id": "4", "mutatorName": "Block removal mutation", "replacement": "{}", "status": "NoCoverage",
                  "location": { "start": { "line": 3, "column": 1 }, "end": { "line": 5, "column": 2 } } },
                { "id": "5", "mutatorName": "String mutation", "replacement": "\"\"", "status": "Ignored",
                  "location": { "start": { "line": 1, "column": 1 }, "end": { "line": 1, "column": 2 } } }
            ] } } }
            """);

        var mutants = new Mutate(tree.Root, new Ui(new StringWriter())).ReadReport(report, split, kata);
        var score = new MutationScore(kata, mutants);

        mutants.Select(m => m.File).Distinct().Should().Equal(["solutions/Demo/First/Stub.cs"], "survivors are shown where the maintainer edits them");
        score.Killed.Should().Be(2, "a timeout is a detected mutant, as in Stryker's own score");
        score.Survivors.Should().HaveCount(2, "a mutant no test reaches is as undetected as one that survives");
        score.Percent.Should().Be(50, "ignored mutants are not counted");
        var survived = score.Survivors.Single(m => m.Status == "Survived");
        (survived.Line, survived.Original, survived.Replacement).Should().Be((4, "x < 3", "x <= 3"), "the original code is cut from the source by the mutant's location");
    }
}
