using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;

namespace Koans.Runner;

/// <summary>One mutant Stryker.NET placed in a reference file, mapped back to its solutions/ path.</summary>
public sealed record Mutant(string File, int Line, string Mutator, string Status, string Original, string Replacement);

/// <summary>A kata's mutation result: the score counts killed and timed-out mutants against every mutant a test could see.</summary>
public sealed record MutationScore(Kata Kata, IReadOnlyList<Mutant> Mutants)
{
    public int Killed => Mutants.Count(m => m.Status is "Killed" or "Timeout");

    /// <summary>Survived, or not reached by any test at all (NoCoverage): both are mutants no test catches.</summary>
    public IReadOnlyList<Mutant> Survivors => Mutants.Where(m => m.Status is "Survived" or "NoCoverage").ToList();

    public double? Percent => Killed + Survivors.Count == 0 ? null : 100.0 * Killed / (Killed + Survivors.Count);
}

public sealed record MutateOptions(int Concurrency);

/// <summary>
/// `./run-katas.sh mutate`: Stryker.NET on a kata's reference solution against the kata's tests. Stryker needs the code
/// and the tests in two projects, so this generates a split under artifacts/mutate/&lt;Section&gt;/&lt;Kata&gt;/ (a library with
/// copies of the reference files and the kata's *.Provided.cs, a test project that compiles the kata's *Tests.cs from
/// the kata folder and references the library) and never writes to katas/ or solutions/.
/// </summary>
public sealed class Mutate(string root, Ui ui)
{
    /// <summary>CONTRIBUTING: a kata is done when its reference scores at least this.</summary>
    public const double RequiredPercent = 85;

    private const string ReferenceFolder = "Reference";
    private const string ProvidedFolder = "Provided";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(60);
    private const string NoBuildEnvironment = "Could not find build environment";

    /// <summary>
    /// Excluded mutators. "string": a mutated exception message or label changes no behaviour a test should pin (the
    /// tests assert the exception type and the values, not prose), so those mutants only add noise to the score.
    /// </summary>
    public static readonly IReadOnlyList<string> IgnoredMutators = ["string"];

    public string Root { get; } = root;

    public static string SplitDirectory(string root, Kata kata) => Path.Combine(root, "artifacts", "mutate", kata.Section.Folder, kata.Folder);

    /// <summary>
    /// The environment Stryker runs in: the infrastructure the tests reference (Koans.Testing) builds into the split's
    /// own infra folder (Directory.Build.props reads KoansInfraOutput, relative to artifacts/), so a verify or another
    /// kata's mutate running at the same time never writes the same files.
    /// </summary>
    public static IDictionary<string, string> StrykerEnvironment(string root, Kata kata) => new Dictionary<string, string>
    {
        ["KoansInfraOutput"] = Path.GetRelativePath(Path.Combine(root, "artifacts"), Path.Combine(SplitDirectory(root, kata), "infra")).Replace('\\', '/'),
    };

    public async Task<int> RunAsync(string query, MutateOptions options, CancellationToken cancellationToken)
    {
        var catalog = Catalog.Load(Root);
        var katas = catalog.Resolve(query);
        var withReference = katas.Where(k => k.SolutionFiles.Any(f => f.EndsWith(".cs", StringComparison.Ordinal))).ToList();
        foreach (var kata in katas.Except(withReference))
        {
            ui.Note($"{kata.Id}: no reference solution in solutions/{kata.Section.Folder}/{kata.Folder}, nothing to mutate.");
        }

        if (withReference.Count == 0)
        {
            return 2;
        }

        await RestoreToolAsync(cancellationToken).ConfigureAwait(false);
        var scores = new List<MutationScore>();
        var failed = new List<Kata>();
        foreach (var kata in withReference)
        {
            ui.Rule($"mutate {kata.Id}");
            var score = await MutateKataAsync(kata, options, cancellationToken).ConfigureAwait(false);
            if (score is null)
            {
                failed.Add(kata);
                continue;
            }

            Show(score);
            scores.Add(score);
        }

        if (scores.Count + failed.Count > 1)
        {
            ui.Line();
            ui.Rule("mutation scores");
            foreach (var score in scores.OrderBy(s => s.Percent ?? 100))
            {
                ui.Text($"  {score.Kata.Id,-40} {Format(score.Percent),7}  ({score.Killed} killed, {score.Survivors.Count} survived)");
            }

            foreach (var kata in failed)
            {
                ui.Text($"  {kata.Id,-40} {"failed",7}");
            }
        }

        var below = scores.Count(s => s.Percent < RequiredPercent);
        ui.Line();
        ui.Text($"mutate: {scores.Count - below} at or above {RequiredPercent}%, {below} below, {failed.Count} failed to run");
        return failed.Count > 0 ? 2 : below > 0 ? 1 : 0;
    }

    private static string Format(double? percent) =>
        percent is { } p ? p.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "n/a";

    private void Show(MutationScore score)
    {
        var percent = score.Percent;
        var verdict = $"{score.Kata.Id}: mutation score {Format(percent)} ({score.Killed} killed, {score.Survivors.Count} survived; {RequiredPercent}% required)";
        if (percent is null || percent >= RequiredPercent)
        {
            ui.Success(verdict);
        }
        else
        {
            ui.Problem(verdict);
        }

        foreach (var mutant in score.Survivors)
        {
            var how = mutant.Status == "NoCoverage" ? "no test reaches it" : "survived";
            ui.Text($"  {mutant.File}:{mutant.Line}  {mutant.Mutator} ({how})");
            ui.Text($"      - {mutant.Original}");
            ui.Text($"      + {mutant.Replacement}");
        }
    }

    /// <summary>`dotnet tool restore` installs the Stryker pinned in .config/dotnet-tools.json when it is missing (a no-op otherwise).</summary>
    private async Task RestoreToolAsync(CancellationToken cancellationToken)
    {
        var manifest = Path.Combine(Root, ".config", "dotnet-tools.json");
        if (!File.Exists(manifest))
        {
            throw new KoansException(".config/dotnet-tools.json is missing (it pins dotnet-stryker): restore it with `git checkout -- .config/dotnet-tools.json`.");
        }

        var restore = await ProcessRunner.RunAsync("dotnet", ["tool", "restore"], Root, ToolTimeout, cancellationToken).ConfigureAwait(false);
        if (restore.ExitCode != 0)
        {
            throw new KoansException($"`dotnet tool restore` could not install dotnet-stryker (it needs nuget.org once):{Environment.NewLine}{Tail(restore.Output)}");
        }
    }

    private async Task<MutationScore?> MutateKataAsync(Kata kata, MutateOptions options, CancellationToken cancellationToken)
    {
        var split = SplitDirectory(Root, kata);
        Directory.CreateDirectory(split);
        using var exclusive = AcquireSplit(kata, split);
        WriteSplit(kata, split);

        var output = Path.Combine(split, "out");
        var report = Path.Combine(output, "reports", "mutation-report.json");
        if (File.Exists(report))
        {
            File.Delete(report);
        }

        ui.Note($"Stryker.NET on {kata.SolutionFiles.Count(f => f.EndsWith(".cs", StringComparison.Ordinal))} reference file(s), concurrency {options.Concurrency}; the split is in {Path.GetRelativePath(Root, split)}.");
        var arguments = new List<string>
        {
            "tool", "run", "dotnet-stryker", "--",
            "--config-file", "stryker-config.json",
            "--output", output,
            "--concurrency", options.Concurrency.ToString(CultureInfo.InvariantCulture),
            "--skip-version-check",
        };
        var environment = StrykerEnvironment(Root, kata);
        var run = await ProcessRunner.RunAsync("dotnet", arguments, split, RunTimeout, cancellationToken, environment).ConfigureAwait(false);
        for (var retry = 1; retry <= 2 && !File.Exists(report) && run.Output.Contains(NoBuildEnvironment, StringComparison.Ordinal); retry++)
        {
            // Stryker's project analysis (Buildalyzer) asks `dotnet --info` with a short timeout; on a loaded machine it
            // gives up before the SDK answers. Nothing was mutated yet, so running again is safe.
            ui.Note($"Stryker could not query the .NET SDK in time (a busy machine?); trying again ({retry}/2).");
            run = await ProcessRunner.RunAsync("dotnet", arguments, split, RunTimeout, cancellationToken, environment).ConfigureAwait(false);
        }

        await File.WriteAllTextAsync(Path.Combine(split, "stryker.log"), run.Output, cancellationToken).ConfigureAwait(false);
        if (run.TimedOut || !File.Exists(report))
        {
            ui.Problem(run.TimedOut
                ? $"{kata.Id}: Stryker did not finish within {RunTimeout.TotalMinutes} minutes and was stopped."
                : $"{kata.Id}: Stryker ended (exit code {run.ExitCode}) without a report. The end of its log ({Path.GetRelativePath(Root, Path.Combine(split, "stryker.log"))}):");
            ui.Text(Problems(run.Output));
            return null;
        }

        return new MutationScore(kata, ReadReport(report, split, kata));
    }

    /// <summary>What went wrong: Stryker's error lines and the compiler's errors when there are any (a stack trace says little), else the end of the log.</summary>
    private static string Problems(string output)
    {
        var lines = output.Split('\n').Select(l => l.TrimEnd()).ToList();
        var errors = lines
            .Select((line, i) => (line, i))
            .Where(x => x.line.Contains(" ERR] ", StringComparison.Ordinal) || x.line.Contains(": error ", StringComparison.Ordinal))
            .SelectMany(x => x.line.Contains(" ERR] ", StringComparison.Ordinal) && x.i + 1 < lines.Count ? new[] { x.line, lines[x.i + 1] } : [x.line])
            .Distinct()
            .Take(20)
            .ToList();
        return errors.Count > 0 ? string.Join(Environment.NewLine, errors) : Tail(output);
    }

    private static string Tail(string output) =>
        string.Join(Environment.NewLine, output.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).TakeLast(25));

    private static IDisposable AcquireSplit(Kata kata, string split)
    {
        try
        {
            return new FileStream(Path.Combine(split, "mutate.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new KoansException($"Another `./run-katas.sh mutate` is already running on {kata.Id}: wait for it to finish.");
        }
    }

    /// <summary>Generates (or refreshes) the library and test projects of the split. Only files whose content changed are rewritten, so builds stay incremental.</summary>
    internal void WriteSplit(Kata kata, string split)
    {
        var library = Path.Combine(split, "Lib");
        var tests = Path.Combine(split, "Tests");
        var libraryName = kata.AssemblyName;
        var testsName = kata.AssemblyName + ".Tests";
        var kataItems = KataItems(kata) + KataPropertiesAndTargets(kata);

        var copies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in kata.SolutionFiles)
        {
            copies[Path.Combine(library, ReferenceFolder, Path.GetRelativePath(kata.SolutionDirectory, file))] = file;
        }

        foreach (var file in kata.ProvidedFiles)
        {
            copies[Path.Combine(library, ProvidedFolder, Path.GetRelativePath(kata.Directory, file))] = file;
        }

        foreach (var folder in new[] { ReferenceFolder, ProvidedFolder })
        {
            var directory = Path.Combine(library, folder);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var stale in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Where(f => !copies.ContainsKey(f)).ToList())
            {
                File.Delete(stale);
            }
        }

        foreach (var (copy, original) in copies)
        {
            WriteIfChanged(copy, File.ReadAllText(original));
        }

        WriteIfChanged(Path.Combine(split, "Directory.Build.props"), $"""
            <Project>
              <!-- Generated by ./run-katas.sh mutate: the repository's settings, with this split's own output folders. -->
              <Import Project="{Xml(Path.Combine(Root, "Directory.Build.props"))}" />
              <PropertyGroup>
                <BaseIntermediateOutputPath>$(MSBuildThisFileDirectory)obj/$(MSBuildProjectName)/</BaseIntermediateOutputPath>
                <BaseOutputPath>$(MSBuildThisFileDirectory)bin/$(MSBuildProjectName)/</BaseOutputPath>
                <NoWarn>$(NoWarn);CS1591;IDE0060;CA1822</NoWarn>
              </PropertyGroup>
            </Project>

            """);

        WriteIfChanged(Path.Combine(library, libraryName + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <!-- Generated by ./run-katas.sh mutate: the reference of {Xml(kata.Id)} (copied from solutions/) and its provided code. -->
              <PropertyGroup>
                <AssemblyName>{Xml(libraryName)}</AssemblyName>
                <RootNamespace>{Xml(libraryName)}</RootNamespace>
              </PropertyGroup>
              <ItemGroup>
                <InternalsVisibleTo Include="{Xml(testsName)}" />
              </ItemGroup>
            {kataItems}
            </Project>

            """);

        var kataFolder = Xml(kata.Directory.Replace('\\', '/').TrimEnd('/'));
        WriteIfChanged(Path.Combine(tests, testsName + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <!-- Generated by ./run-katas.sh mutate: the tests of {Xml(kata.Id)}, compiled from the kata folder, against the reference library. -->
              <PropertyGroup>
                <AssemblyName>{Xml(testsName)}</AssemblyName>
                <OutputType>Exe</OutputType>
                <IsPackable>false</IsPackable>
                <IsTestProject>true</IsTestProject>
                <UseMicrosoftTestingPlatformRunner>true</UseMicrosoftTestingPlatformRunner>
                <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="xunit.v3" />
                <PackageReference Include="FluentAssertions" />
                <Using Include="Xunit" />
                <Using Include="FluentAssertions" />
                <Compile Include="{kataFolder}/**/*Tests.cs" Exclude="{kataFolder}/bin/**;{kataFolder}/obj/**" />
                <ProjectReference Include="../Lib/{Xml(libraryName)}.csproj" />
              </ItemGroup>
            {kataItems}
            </Project>

            """);

        var config = new Dictionary<string, object>
        {
            ["stryker-config"] = new Dictionary<string, object>
            {
                ["project"] = libraryName + ".csproj",
                ["test-projects"] = new[] { Path.Combine(tests, testsName + ".csproj") },
                ["test-runner"] = "mtp",
                // Only the kata's reference files: never the provided code, never infrastructure.
                ["mutate"] = new[] { $"**/{ReferenceFolder}/**/*.cs" },
                ["ignore-mutations"] = IgnoredMutators,
                ["reporters"] = new[] { "json", "progress" },
            },
        };
        WriteIfChanged(Path.Combine(split, "stryker-config.json"), JsonSerializer.Serialize(config, Catalog.Json) + "\n");
    }

    /// <summary>
    /// The kata csproj's package and project references, carried over to both projects of the split. They are written
    /// with MSBuild properties the repository defines ($(KoansRoot), $(KoansTestingProject)), which the split imports;
    /// a path relative to the kata folder is made absolute.
    /// </summary>
    private static string KataItems(Kata kata)
    {
        if (!File.Exists(kata.ProjectPath))
        {
            return "";
        }

        var project = System.Xml.Linq.XDocument.Load(kata.ProjectPath);
        var items = new StringBuilder();
        foreach (var element in project.Descendants().Where(e => e.Name.LocalName is "PackageReference" or "ProjectReference" or "FrameworkReference"))
        {
            var include = element.Attribute("Include")?.Value;
            if (string.IsNullOrEmpty(include))
            {
                continue;
            }

            if (element.Name.LocalName == "ProjectReference" && !include.StartsWith("$(", StringComparison.Ordinal) && !Path.IsPathRooted(include))
            {
                include = Path.GetFullPath(Path.Combine(kata.Directory, include)).Replace('\\', '/');
            }

            var attributes = string.Concat(element.Attributes()
                .Where(a => a.Name.LocalName != "Include")
                .Select(a => $" {a.Name.LocalName}=\"{Xml(a.Value)}\""));
            items.Append(CultureInfo.InvariantCulture, $"    <{element.Name.LocalName} Include=\"{Xml(include)}\"{attributes} />\n");
        }

        foreach (var element in project.Descendants().Where(e => e.Name.LocalName is "None" or "Content" or "EmbeddedResource"))
        {
            if (KataFileItem(kata, element) is { } item)
            {
                items.Append(CultureInfo.InvariantCulture, $"    {item}\n");
            }
        }

        return items.Length == 0 ? "" : $"  <ItemGroup Label=\"From {Xml(Path.GetFileName(kata.ProjectPath))}\">\n{items}  </ItemGroup>";
    }

    /// <summary>
    /// A file the kata's tests read (a sample copied to the output folder, a source embedded as a resource), as the
    /// solutions track sees it: the reference's copy where the csproj names $(KataSolutionDirectory), the item left out
    /// where its condition is for the katas track only, and its path made absolute.
    /// </summary>
    private static string? KataFileItem(Kata kata, System.Xml.Linq.XElement element)
    {
        var condition = element.Attribute("Condition")?.Value.Replace(" ", "", StringComparison.Ordinal);
        if (condition is not null and not "'$(Track)'=='solutions'")
        {
            return null;
        }

        var include = element.Attribute("Include")?.Value;
        if (string.IsNullOrEmpty(include))
        {
            return null;
        }

        include = include.Replace("$(KataSolutionDirectory)", kata.SolutionDirectory.TrimEnd('/', '\\') + "/", StringComparison.Ordinal);
        if (!Path.IsPathRooted(include))
        {
            include = Path.GetFullPath(Path.Combine(kata.Directory, include));
        }

        var attributes = string.Concat(element.Attributes()
            .Where(a => a.Name.LocalName is not ("Include" or "Condition"))
            .Select(a => $" {a.Name.LocalName}=\"{Xml(a.Value)}\""));
        return $"<{element.Name.LocalName} Include=\"{Xml(include.Replace('\\', '/'))}\"{attributes} />";
    }

    /// <summary>
    /// The kata csproj's unconditional property groups (compiler switches such as AllowUnsafeBlocks, NoWarn) and its
    /// targets, copied verbatim to both projects of the split: without them the reference may not even compile there.
    /// </summary>
    private static string KataPropertiesAndTargets(Kata kata)
    {
        if (!File.Exists(kata.ProjectPath))
        {
            return "";
        }

        var project = System.Xml.Linq.XDocument.Load(kata.ProjectPath).Root!;
        var copied = project.Elements()
            .Where(e => (e.Name.LocalName == "PropertyGroup" && e.Attribute("Condition") is null) || e.Name.LocalName == "Target")
            .Select(e => "\n  " + e.ToString(System.Xml.Linq.SaveOptions.None).Replace("\n", "\n  ", StringComparison.Ordinal));
        return string.Concat(copied);
    }

    private static string Xml(string text) => SecurityElement.Escape(text);

    private static void WriteIfChanged(string path, string content)
    {
        if (File.Exists(path) && File.ReadAllText(path) == content)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>Reads Stryker's JSON report (the mutation-testing-elements schema) and maps each mutant back to solutions/.</summary>
    internal IReadOnlyList<Mutant> ReadReport(string reportPath, string split, Kata kata)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(reportPath));
        var referenceRoot = Path.Combine(split, "Lib", ReferenceFolder);
        var mutants = new List<Mutant>();
        foreach (var file in document.RootElement.GetProperty("files").EnumerateObject())
        {
            var relative = Path.GetRelativePath(referenceRoot, file.Name);
            var shown = relative.StartsWith("..", StringComparison.Ordinal)
                ? Path.GetRelativePath(Root, file.Name)
                : Path.GetRelativePath(Root, Path.Combine(kata.SolutionDirectory, relative));
            shown = shown.Replace('\\', '/');
            var source = file.Value.TryGetProperty("source", out var text) ? text.GetString() ?? "" : "";
            var lines = source.Split('\n');
            foreach (var mutant in file.Value.GetProperty("mutants").EnumerateArray())
            {
                var location = mutant.GetProperty("location");
                var start = location.GetProperty("start");
                var end = location.GetProperty("end");
                var line = start.GetProperty("line").GetInt32();
                mutants.Add(new Mutant(
                    shown,
                    line,
                    mutant.GetProperty("mutatorName").GetString() ?? "",
                    mutant.GetProperty("status").GetString() ?? "",
                    OneLine(Span(lines, line, start.GetProperty("column").GetInt32(), end.GetProperty("line").GetInt32(), end.GetProperty("column").GetInt32())),
                    OneLine(mutant.TryGetProperty("replacement", out var replacement) ? replacement.GetString() ?? "" : "")));
            }
        }

        return mutants.OrderBy(m => m.File, StringComparer.Ordinal).ThenBy(m => m.Line).ToList();
    }

    /// <summary>The original text a mutant replaced (1-based lines and columns, end exclusive).</summary>
    private static string Span(string[] lines, int startLine, int startColumn, int endLine, int endColumn)
    {
        if (startLine < 1 || endLine > lines.Length || startLine > endLine)
        {
            return "";
        }

        if (startLine == endLine)
        {
            var only = lines[startLine - 1];
            var from = Math.Clamp(startColumn - 1, 0, only.Length);
            return only[from..Math.Clamp(endColumn - 1, from, only.Length)];
        }

        var text = new StringBuilder();
        var first = lines[startLine - 1];
        text.Append(first[Math.Clamp(startColumn - 1, 0, first.Length)..]);
        for (var i = startLine; i < endLine - 1; i++)
        {
            text.Append(' ').Append(lines[i]);
        }

        var last = lines[endLine - 1];
        text.Append(' ').Append(last[..Math.Clamp(endColumn - 1, 0, last.Length)]);
        return text.ToString();
    }

    private static string OneLine(string code)
    {
        var collapsed = string.Join(' ', code.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length <= 160 ? collapsed : collapsed[..157] + "...";
    }
}
