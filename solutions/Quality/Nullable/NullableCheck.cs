using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Koans.Quality.Nullable;

/// <summary>Kata quality.nullable: the checker, reference solution.</summary>
public static class NullableCheck
{
    // The compiler's own list of nullable warnings: the ids that the command-line switch /warnaserror:nullable (what
    // <WarningsAsErrors>nullable</WarningsAsErrors> passes) expands to. Asking the parser keeps the list in step with
    // the compiler; a hand-written "starts with CS86" misses CS8762, CS8774, CS8824 and the other attribute contracts.
    private static readonly HashSet<string> NullableWarningIds =
    [
        .. CSharpCommandLineParser.Default.Parse(["/warnaserror:nullable"], baseDirectory: null, sdkDirectory: null)
            .CompilationOptions.SpecificDiagnosticOptions.Keys,
    ];

    public static IReadOnlyList<NullableWarning> Analyze(params IReadOnlyList<string> sources)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources.Select((text, index) => CSharpSyntaxTree.ParseText(text, parseOptions, path: $"source{index}.cs")).ToList();
        var compilation = CSharpCompilation.Create(
            "NullableCheck",
            trees,
            Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var diagnostics = compilation.GetDiagnostics();
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The sources do not compile: {string.Join("; ", errors)}", nameof(sources));
        }

        return diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Warning && NullableWarningIds.Contains(d.Id))
            .Select(d => new NullableWarning(
                trees.IndexOf((CSharpSyntaxTree)d.Location.SourceTree!),
                d.Location.GetLineSpan().StartLinePosition.Line + 1,
                d.Id,
                d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(w => w.Source).ThenBy(w => w.Line)
            .ToList();
    }
}
