using System.Diagnostics;

namespace Koans.Runner.Tests;

/// <summary>
/// A temp copy of the tree's build files with small katas that misbehave on purpose (a spin that starts a child
/// process, a hang beside finished tests, Environment.Exit, a stack overflow, a kill, a kata that tests can be
/// tampered with, one that passes). They are built once, in one MSBuild run, for every test of the class.
/// </summary>
public sealed class FaultTree : IDisposable
{
    private static readonly string[] Katas = ["Spin", "Hang", "Exits", "Overflow", "Killed", "Answer", "Solved"];

    public FaultTree()
    {
        var source = TempTree.RepositoryRoot();
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json" })
        {
            File.Copy(Path.Combine(source, file), Path.Combine(Tree.Root, file));
        }

        Tree.Write("katas/path.json", $$"""{ "sections": [ { "id": "demo", "folder": "Demo", "title": "Demo", "katas": [{{string.Join(", ", Katas.Select(k => $"\"{k}\""))}}] } ] }""");
        // Writes "<test process pid> <child pid>" to $KOANS_ROOT/pids/<$SPIN_NAME or the given name>, then never returns.
        const string spinAndWrite = """
            using System.Diagnostics;
            namespace Koans.Demo.{0};
            public static class Stuck
            {
                public static int Forever(string name)
                {
                    using var child = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
                    var pids = Path.Combine(Environment.GetEnvironmentVariable("KOANS_ROOT")!, "pids");
                    Directory.CreateDirectory(pids);
                    var file = Path.Combine(pids, Environment.GetEnvironmentVariable("SPIN_NAME") ?? name);
                    File.WriteAllText(file + ".tmp", $"{Environment.ProcessId} {child.Id}");
                    File.Move(file + ".tmp", file);
                    while (true)
                    {
                    }
                }
            }
            """;
        Kata("Spin", spinAndWrite.Replace("{0}", "Spin"), """
            namespace Koans.Demo.Spin;
            public class StuckTests { [Fact] public void Forever_returns() => Stuck.Forever("spin").Should().Be(1); }
            """, timeoutSeconds: 120);
        Kata("Hang", spinAndWrite.Replace("{0}", "Hang") + "public static class Sums { public static int Add(int a, int b) => a + b; }\n", """
            namespace Koans.Demo.Hang;
            public class StuckTests { [Fact] public void Forever_returns() => Stuck.Forever("hang").Should().Be(1); }
            public class SumsTests
            {
                [Fact] public void Add_adds() => Sums.Add(2, 2).Should().Be(4);
                [Fact] public void Add_subtracts_by_mistake() => Sums.Add(2, 2).Should().Be(5, "this test fails before the hang");
            }
            """, timeoutSeconds: 20);
        Kata("Exits", """
            namespace Koans.Demo.Exits;
            public static class Quitter
            {
                public static int Answer()
                {
                    Environment.Exit(0);
                    return 42;
                }
            }
            """, """
            namespace Koans.Demo.Exits;
            public class QuitterTests { [Fact] public void Answer_is_42() => Quitter.Answer().Should().Be(42); }
            """);
        Kata("Overflow", """
            namespace Koans.Demo.Overflow;
            public static class Nesting
            {
                public static int Depth(int n) => Depth(n + 1) + 1;
            }
            """, """
            namespace Koans.Demo.Overflow;
            public class NestingTests { [Fact] public void Depth_of_zero_is_zero() => Nesting.Depth(0).Should().Be(0); }
            """);
        Kata("Killed", """
            namespace Koans.Demo.Killed;
            public static class Hog
            {
                // Stands in for the kernel's out-of-memory killer: SIGKILL, exit code 137.
                public static int Eat()
                {
                    System.Diagnostics.Process.GetCurrentProcess().Kill();
                    return 0;
                }
            }
            """, """
            namespace Koans.Demo.Killed;
            public class HogTests { [Fact] public void Eat_returns_zero() => Hog.Eat().Should().Be(0); }
            """);
        Kata("Answer", """
            namespace Koans.Demo.Answer;
            public static class Oracle { public static int Answer() => throw new NotImplementedException(); }
            """, """
            namespace Koans.Demo.Answer;
            public class OracleTests
            {
                [Fact] public void Answer_is_42() => Oracle.Answer().Should().Be(42);
                [Fact] public void Answer_is_positive() => Oracle.Answer().Should().BePositive();
            }
            """);
        Kata("Solved", """
            namespace Koans.Demo.Solved;
            public static class Oracle { public static int Answer() => 42; }
            """, """
            namespace Koans.Demo.Solved;
            public class OracleTests { [Fact] public void Answer_is_42() => Oracle.Answer().Should().Be(42); }
            """);

        Tree.Write("Koans.sln", Solution(Katas.Select(k => $"katas/Demo/{k}/{k}.csproj")));
        StubLock.Write(Catalog.Load(Tree.Root));
        var build = Run(Tree.Root, "dotnet", "build", "Koans.sln", "-p:Track=katas", "-nologo", "-v:q", "-clp:NoSummary", "-tl:off", "-m");
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException("The fault katas do not build:\n" + build.Output);
        }
    }

    public TempTree Tree { get; } = new();

    public string Root => Tree.Root;

    /// <summary>The runner as the wrapper starts it: `dotnet koans-runner.dll`, built beside these tests.</summary>
    public static string RunnerDll => Path.Combine(AppContext.BaseDirectory, "koans-runner.dll");

    private void Kata(string folder, string stub, string tests, int? timeoutSeconds = null)
    {
        var timeout = timeoutSeconds is { } t ? $", \"timeoutSeconds\": {t}" : "";
        Tree.Write($"katas/Demo/{folder}/{folder}.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />\n");
        Tree.Write($"katas/Demo/{folder}/kata.json", $$"""
            { "id": "demo.{{folder.ToLowerInvariant()}}", "title": "{{folder}}", "concepts": ["c"], "hints": ["gentle", "near"],
              "references": [ { "title": "r", "url": "https://example.org/r" } ]{{timeout}} }
            """);
        var name = System.Text.RegularExpressions.Regex.Match(tests, @"public class (\w+)Tests").Groups[1].Value;
        Tree.Write($"katas/Demo/{folder}/{name}.cs", stub);
        Tree.Write($"katas/Demo/{folder}/{name}Tests.cs", tests);
        Tree.Write($"solutions/Demo/{folder}/{name}.cs", stub);
        Tree.Write($"solutions/Demo/{folder}/NOTES.md", "# notes\n");
    }

    private static string Solution(IEnumerable<string> projects)
    {
        var entries = projects.Select((p, i) => (Path: p.Replace('/', '\\'), Name: Path.GetFileNameWithoutExtension(p), Guid: $"{{00000000-0000-0000-0000-{i + 1:D12}}}")).ToList();
        var text = new System.Text.StringBuilder("\nMicrosoft Visual Studio Solution File, Format Version 12.00\n");
        foreach (var e in entries)
        {
            text.Append($"Project(\"{{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}}\") = \"{e.Name}\", \"{e.Path}\", \"{e.Guid}\"\nEndProject\n");
        }

        text.Append("Global\n\tGlobalSection(SolutionConfigurationPlatforms) = preSolution\n\t\tDebug|Any CPU = Debug|Any CPU\n\tEndGlobalSection\n");
        text.Append("\tGlobalSection(ProjectConfigurationPlatforms) = postSolution\n");
        foreach (var e in entries)
        {
            text.Append($"\t\t{e.Guid}.Debug|Any CPU.ActiveCfg = Debug|Any CPU\n\t\t{e.Guid}.Debug|Any CPU.Build.0 = Debug|Any CPU\n");
        }

        text.Append("\tEndGlobalSection\nEndGlobal\n");
        return text.ToString();
    }

    public static (int ExitCode, string Output) Run(string directory, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + errors.Result);
    }

    /// <summary>"test-process-pid child-pid" once the stuck stub has written it; waits for it with a bounded poll.</summary>
    public int[] WaitForPids(string name, Process? runner = null)
    {
        var file = Path.Combine(Root, "pids", name);
        for (var i = 0; i < 1800 && !File.Exists(file); i++)
        {
            if (runner is { HasExited: true })
            {
                throw new InvalidOperationException($"The runner ended (exit {runner.ExitCode}) before the stub started.");
            }

            Thread.Sleep(100); // a bounded poll for a file another process writes, not a timing assumption
        }

        File.Exists(file).Should().BeTrue($"the stuck stub writes {file} once it runs (waited 180 s)");
        return File.ReadAllText(file).Split(' ').Select(int.Parse).ToArray();
    }

    /// <summary>Whether a process is alive: /proc/&lt;pid&gt; exists and it is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Asserts that none of the processes remain, polling (bounded) while the OS finishes a kill.</summary>
    public static void ShouldAllBeGone(IEnumerable<int> pids, string because)
    {
        var list = pids.ToList();
        for (var i = 0; i < 200 && list.Any(IsAlive); i++)
        {
            Thread.Sleep(50);
        }

        list.Where(IsAlive).Should().BeEmpty(because);
    }

    public void Dispose()
    {
        // Belt and braces: never leave a spinning test process behind, even when an assertion failed.
        var pids = Path.Combine(Root, "pids");
        if (Directory.Exists(pids))
        {
            foreach (var pid in Directory.EnumerateFiles(pids).SelectMany(f => File.ReadAllText(f).Split(' ')).Select(int.Parse))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                }
            }
        }

        Tree.Dispose();
    }
}
