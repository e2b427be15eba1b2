namespace Koans.Security.StaticAnalysisAndAudit;

/// <summary>One diagnostic an analyzer reported: the rule id (e.g. <c>CA5351</c>) and the 1-based line it points at.</summary>
public sealed record SecurityFinding(string RuleId, int Line);

/// <summary>
/// Bandit for C#: the .NET security analyzers (the NetAnalyzers assemblies that ship in every .NET SDK, the same
/// ones <c>dotnet build</c> runs) run in process with Roslyn over one source file.
/// </summary>
public static class SecurityAnalysis
{
    /// <summary>
    /// The rules this kata enforces: CA2100 (SQL built from strings), CA5350 (weak
    /// hash: SHA-1), CA5351 (broken hash: MD5), CA5394 (insecure randomness).
    /// </summary>
    public static IReadOnlyList<string> SecurityRuleIds { get; } = ["CA2100", "CA5350", "CA5351", "CA5394"];

    /// <summary>
    /// Compiles <paramref name="source"/> as a class library against the .NET 10 reference assemblies, runs every
    /// analyzer in the assemblies at <paramref name="analyzerAssemblyPaths"/>, and returns what they report, ordered by
    /// line then rule id.
    /// </summary>
    /// <remarks>
    /// Most security rules are off by default (a build turns them on with <c>AnalysisModeSecurity</c> set to
    /// <c>All</c>, or per rule in <c>.editorconfig</c>). This method enables exactly the rules in
    /// <paramref name="enabledRuleIds"/>, as warnings, and reports findings of those rules only: a rule not asked for
    /// stays silent, and with an empty list nothing is reported.
    /// </remarks>
    /// <exception cref="ArgumentException">The source does not compile (a finding on code that does not build means nothing).</exception>
    /// <exception cref="InvalidOperationException">An analyzer threw while analysing.</exception>
    public static Task<IReadOnlyList<SecurityFinding>> AnalyzeAsync(
        string source, IReadOnlyCollection<string> enabledRuleIds, IReadOnlyList<string> analyzerAssemblyPaths,
        CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
