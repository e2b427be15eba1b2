using System.Collections.Immutable;
using System.Reflection;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Koans.Security.StaticAnalysisAndAudit;

/// <summary>One diagnostic an analyzer reported: the rule id (e.g. <c>CA5351</c>) and the 1-based line it points at.</summary>
public sealed record SecurityFinding(string RuleId, int Line);

/// <summary>
/// Bandit for C#: the .NET security analyzers (the NetAnalyzers assemblies that ship in every .NET SDK, the same
/// ones <c>dotnet build</c> runs) run in process with Roslyn over one source file.
/// </summary>
public static class SecurityAnalysis
{
    public static IReadOnlyList<string> SecurityRuleIds { get; } = ["CA2100", "CA5350", "CA5351", "CA5394"];

    public static async Task<IReadOnlyList<SecurityFinding>> AnalyzeAsync(
        string source, IReadOnlyCollection<string> enabledRuleIds, IReadOnlyList<string> analyzerAssemblyPaths,
        CancellationToken cancellationToken)
    {
        // The per-rule switch a build gets from AnalysisModeSecurity=All or `dotnet_diagnostic.CA5351.severity =
        // warning`: rules whose descriptor says "disabled by default" run only when their id is given a severity here.
        var enabled = enabledRuleIds.ToDictionary(id => id, _ => ReportDiagnostic.Warn, StringComparer.Ordinal);
        var tree = CSharpSyntaxTree.ParseText(source, path: "Scanned.cs", cancellationToken: cancellationToken);
        var compilation = CSharpCompilation.Create("Scanned", [tree], Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions(enabled));
        var errors = compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0)
        {
            throw new ArgumentException($"The source does not compile: {errors[0]}", nameof(source));
        }

        var loader = new LoadFromLoader();
        var analyzers = analyzerAssemblyPaths
            .SelectMany(path => new AnalyzerFileReference(path, loader).GetAnalyzers(LanguageNames.CSharp))
            .ToImmutableArray();

        Exception? thrown = null;
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]),
            onAnalyzerException: (exception, _, _) => thrown ??= exception,
            concurrentAnalysis: true, logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(cancellationToken);
        if (thrown is not null)
        {
            throw new InvalidOperationException("An analyzer failed.", thrown);
        }

        // Roslyn already drops suppressed rules; the filter keeps the answer to what was asked even if an analyzer
        // reports an id that is on by default (the CA1xxx quality rules, say).
        return diagnostics
            .Where(d => enabled.ContainsKey(d.Id) && !d.IsSuppressed)
            .Select(d => new SecurityFinding(d.Id, d.Location.GetLineSpan().StartLinePosition.Line + 1))
            .Distinct()
            .OrderBy(f => f.Line).ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Analyzer assemblies resolve Microsoft.CodeAnalysis from this process, which already loaded it.</summary>
    private sealed class LoadFromLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}
