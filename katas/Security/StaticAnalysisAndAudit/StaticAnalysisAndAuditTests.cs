using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Koans.Security.StaticAnalysisAndAudit;

public class StaticAnalysisAndAuditTests
{
    /// <summary>
    /// The naive version: one line per rule, each the textbook case the rule's documentation names. The test proves
    /// each rule really fires here before it asks for a clean ReportService.
    /// </summary>
    private const string VulnerableSample = """
        using System;
        using System.Data.Common;
        using System.Security.Cryptography;

        public static class Naive
        {
            public static byte[] Fingerprint(byte[] data) => MD5.HashData(data);
            public static byte[] Checksum(byte[] data) => SHA1.HashData(data);
            public static int Token() => new Random().Next();
            public static void Find(DbCommand command, string customer)
            {
                command.CommandText = "SELECT * FROM reports WHERE customer = '" + customer + "'";
            }
        }
        """;

    // The lines of VulnerableSample above, 1-based.
    private static readonly SecurityFinding[] ExpectedOnSample =
    [
        new("CA5351", 7),
        new("CA5350", 8),
        new("CA5394", 9),
        new("CA2100", 12),
    ];

    /// <summary>
    /// The NetAnalyzers assemblies of the SDK this process runs under: &lt;dotnet root&gt;/sdk/&lt;version&gt;/Sdks/
    /// Microsoft.NET.Sdk/analyzers/ (the runtime lives at &lt;dotnet root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/).
    /// </summary>
    private static IReadOnlyList<string> SdkAnalyzers()
    {
        var runtime = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar));
        var dotnetRoot = runtime.Parent!.Parent!.Parent!.FullName;
        var analyzers = Directory.GetDirectories(Path.Combine(dotnetRoot, "sdk"))
            .Select(sdk => Path.Combine(sdk, "Sdks", "Microsoft.NET.Sdk", "analyzers"))
            .Where(dir => File.Exists(Path.Combine(dir, "Microsoft.CodeAnalysis.NetAnalyzers.dll")))
            .OrderDescending(StringComparer.Ordinal)
            .First();
        return [Path.Combine(analyzers, "Microsoft.CodeAnalysis.NetAnalyzers.dll"),
            Path.Combine(analyzers, "Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll")];
    }

    private static string ReportServiceSource()
    {
        using var stream = typeof(StaticAnalysisAndAuditTests).Assembly.GetManifestResourceStream("ReportService.cs")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static Task<IReadOnlyList<SecurityFinding>> Analyze(string source, IReadOnlyCollection<string> rules) =>
        SecurityAnalysis.AnalyzeAsync(source, rules, SdkAnalyzers(), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Every_security_rule_fires_on_the_naive_sample_when_enabled()
    {
        var findings = await Analyze(VulnerableSample, SecurityAnalysis.SecurityRuleIds);

        findings.Should().Equal(ExpectedOnSample,
            "each line of the naive sample is the textbook case of one rule: MD5, SHA-1, System.Random, SQL built by concatenation");
    }

    [Fact]
    public async Task The_security_rules_are_silent_unless_enabled()
    {
        var findings = await Analyze(VulnerableSample, []);

        findings.Should().BeEmpty(
            "these rules are off by default; that is why a build needs AnalysisModeSecurity=All (or per-rule severities) and why an analysis that enables nothing must find nothing");
    }

    [Fact]
    public async Task Only_the_rules_asked_for_are_reported()
    {
        var findings = await Analyze(VulnerableSample, ["CA5351", "CA2100"]);

        findings.Should().Equal([new SecurityFinding("CA5351", 7), new SecurityFinding("CA2100", 12)],
            "enable the listed rules, not every rule (a GeneralDiagnosticOption or AnalysisMode All turns on far more than asked)");
    }

    [Fact]
    public async Task Findings_on_one_line_are_ordered_by_rule_id()
    {
        const string source = """
            using System;
            using System.Security.Cryptography;

            public static class TwoOnOneLine
            {
                public static byte[] Both() => MD5.HashData(new byte[new Random().Next(16)]);
            }
            """;

        var findings = await Analyze(source, SecurityAnalysis.SecurityRuleIds);

        findings.Should().Equal([new SecurityFinding("CA5351", 6), new SecurityFinding("CA5394", 6)],
            "findings are ordered by line, then by rule id (ordinal), whatever order the concurrent analyzers reported them in");
    }

    [Fact]
    public async Task An_analyzer_that_throws_fails_the_analysis_instead_of_passing_as_clean()
    {
        var ownAssembly = typeof(CrashingAnalyzer).Assembly.Location;

        var act = () => SecurityAnalysis.AnalyzeAsync(VulnerableSample, SecurityAnalysis.SecurityRuleIds, [ownAssembly],
            TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<InvalidOperationException>(
                "an analyzer that crashed reported nothing, and 'nothing reported' must never read as 'nothing wrong'"))
            .WithInnerException<InvalidDataException>("the analyzer's own exception is kept as the cause");
    }

    [Fact]
    public async Task Source_that_does_not_compile_is_refused_with_ArgumentException()
    {
        var act = () => Analyze("public static class Broken { public static int F() => undefinedName; }", SecurityAnalysis.SecurityRuleIds);

        await act.Should().ThrowAsync<ArgumentException>(
            "an analysis of code that does not build reports nothing useful: a clean result must never mean 'did not compile'");
    }

    [Fact]
    public async Task The_report_service_is_clean_under_every_security_rule()
    {
        var source = ReportServiceSource();

        var findings = await Analyze(source, SecurityAnalysis.SecurityRuleIds);

        findings.Should().BeEmpty("fix each flagged line of ReportService.cs (SHA-256, a CSPRNG, a bound parameter) rather than delete it");
        foreach (var member in new[] { "Fingerprint", "Checksum", "NewDownloadToken", "FindReports" })
        {
            source.Should().Contain($" {member}(", $"ReportService must keep {member}: a clean report by deleting the feature is not a fix");
        }
    }

    [Fact]
    public async Task The_clean_report_service_keeps_every_promise()
    {
        (await Analyze(ReportServiceSource(), SecurityAnalysis.SecurityRuleIds)).Should().BeEmpty("first make ReportService.cs clean");

        var tokens = Enumerable.Range(0, 3).Select(_ => ReportService.NewDownloadToken()).ToArray();
        tokens.Should().AllSatisfy(token => token.Should().MatchRegex("^[0-9a-f]{64}$",
            "a download token is still 64 lowercase hex digits (256 bits), as the links already handed out are"));
        tokens.Should().OnlyHaveUniqueItems("an unguessable token is a fresh one every time");

        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = """
                CREATE TABLE reports (id INTEGER PRIMARY KEY, title TEXT NOT NULL, customer TEXT NOT NULL);
                INSERT INTO reports (title, customer) VALUES ('Q1', 'alice'), ('Q2', 'bob'), ('Q3', 'O''Brien');
                """;
            setup.ExecuteNonQuery();
        }

        Titles(connection, "alice").Should().Equal(["Q1"], "FindReports still finds one customer's reports");
        Titles(connection, "O'Brien").Should().Equal(["Q3"], "a quote in a name is data, not SQL: bound as a parameter it simply matches");
        Titles(connection, "x' OR '1'='1").Should().BeEmpty("an injection attempt is just a customer name no one has");
    }

    private static List<string> Titles(SqliteConnection connection, string customer)
    {
        using var reader = ReportService.FindReports(connection, customer);
        var titles = new List<string>();
        while (reader.Read())
        {
            titles.Add(reader.GetString(1));
        }

        return titles;
    }

    // vulnerable-packages.sample.json has the shape of `dotnet list package --vulnerable --include-transitive
    // --format json` (output version 1): NuGet's design, accepted/2022/DotnetListPackageMachineReadableJsonOutput.md
    // in github.com/NuGet/Home, and the envelope printed by
    // `dotnet list <a net10.0 project referencing Newtonsoft.Json 12.0.1> package --vulnerable --include-transitive
    // --format json` (SDK 10.0.401; its audit source here reported no advisories, so only the envelope is from the tool).
    // The advisories are real: GHSA-5crp-9r3c-p9vr (Newtonsoft.Json < 13.0.1, High), GHSA-ghhp-997w-qr28
    // (System.Text.Encodings.Web 4.5.0, Critical, CVE-2021-26701); the DotNetNuke.Core entries reuse two advisory
    // URLs of NuGet's design document with severities chosen for the test (Moderate, Low).
    private static string Sample() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vulnerable-packages.sample.json"));

    private static readonly DateTimeOffset Today = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_sample_fails_on_the_high_top_level_and_the_critical_transitive_package_only()
    {
        var policy = new VulnerabilityPolicy(AdvisorySeverity.High, [], new FakeTimeProvider(Today));

        var violations = policy.Evaluate(Sample());

        violations.Should().Equal(
            [
                new AuditViolation("/src/Shop.Web/Shop.Web.csproj", "net8.0", "Newtonsoft.Json", "12.0.1", false, "High",
                    "https://github.com/advisories/GHSA-5crp-9r3c-p9vr"),
                new AuditViolation("/src/Shop.Web/Shop.Web.csproj", "net8.0", "System.Text.Encodings.Web", "4.5.0", true, "Critical",
                    "https://github.com/advisories/GHSA-ghhp-997w-qr28"),
            ],
            "a transitive package is loaded into your process like any other, and Moderate and Low advisories pass a policy that fails at High");
    }

    [Fact]
    public void A_policy_failing_at_moderate_also_fails_on_moderate_but_not_low()
    {
        var policy = new VulnerabilityPolicy(AdvisorySeverity.Moderate, [], new FakeTimeProvider(Today));

        var violations = policy.Evaluate(Sample());

        violations.Select(v => v.AdvisoryUrl).Should().Equal(
            ["https://github.com/advisories/GHSA-5crp-9r3c-p9vr", "https://github.com/advisories/GHSA-ghhp-997w-qr28",
                "https://github.com/advisories/GHSA-v76m-f5cx-8rg4"],
            "severities are ordered Low < Moderate < High < Critical, and the threshold itself fails");
    }

    [Fact]
    public void An_allow_listed_advisory_passes_until_its_expiry_and_fails_from_then_on()
    {
        var clock = new FakeTimeProvider(Today);
        var expires = Today.AddDays(30);
        var policy = new VulnerabilityPolicy(AdvisorySeverity.High,
            [new AllowedAdvisory("https://github.com/advisories/GHSA-ghhp-997w-qr28", expires, "no HTML encoding on this path; upgrade planned")],
            clock);

        policy.Evaluate(Sample()).Select(v => v.PackageId).Should().Equal(["Newtonsoft.Json"],
            "an accepted risk is excused while its exception holds, and excuses only its own advisory");

        clock.Advance(expires - Today - TimeSpan.FromTicks(1));
        policy.Evaluate(Sample()).Should().HaveCount(1, "one tick before the expiry the exception still holds");

        clock.Advance(TimeSpan.FromTicks(1));
        policy.Evaluate(Sample()).Select(v => v.PackageId).Should().Equal(["Newtonsoft.Json", "System.Text.Encodings.Web"],
            "an allow-list entry past its expiry is a finding again: read the injected clock, not DateTime.UtcNow, and compare with <");
    }

    [Fact]
    public void An_unknown_severity_fails_closed()
    {
        const string report = """
            {"version":1,"parameters":"--vulnerable","projects":[{"path":"a.csproj","frameworks":[{"framework":"net10.0",
             "topLevelPackages":[{"id":"Contoso.Lib","requestedVersion":"1.0.0","resolvedVersion":"1.0.0",
             "vulnerabilities":[{"severity":"Unknown","advisoryurl":"https://github.com/advisories/GHSA-0000-0000-0000"}]}]}]}]}
            """;
        var policy = new VulnerabilityPolicy(AdvisorySeverity.Critical, [], new FakeTimeProvider(Today));

        policy.Evaluate(report).Select(v => v.Severity).Should().Equal(["Unknown"],
            "an audit that cannot rank a finding must not wave it through");
    }

    [Fact]
    public void A_null_report_is_refused_by_parameter_name()
    {
        var policy = new VulnerabilityPolicy(AdvisorySeverity.High, [], new FakeTimeProvider(Today));

        var act = () => policy.Evaluate(null!);

        act.Should().ThrowExactly<ArgumentNullException>("a missing report is a bug in the caller, not a malformed report")
            .WithParameterName("reportJson");
    }

    [Fact]
    public void Absent_optional_parts_mean_nothing_to_report_and_an_unreadable_version_is_still_reported()
    {
        const string report = """
            {"version":1,"projects":[
              {"path":"empty.csproj"},
              {"path":"a.csproj","frameworks":[{"framework":"net10.0",
                "topLevelPackages":[{"id":"Contoso.Safe","resolvedVersion":"2.0.0"}],
                "transitivePackages":[{"id":"Contoso.Odd","resolvedVersion":5,
                  "vulnerabilities":[{"severity":"High","advisoryurl":"https://github.com/advisories/GHSA-0000-0000-0001"}]}]}]}]}
            """;
        var policy = new VulnerabilityPolicy(AdvisorySeverity.High, [], new FakeTimeProvider(Today));

        var violations = policy.Evaluate(report);

        violations.Should().Equal(
            [new AuditViolation("a.csproj", "net10.0", "Contoso.Odd", "", true, "High", "https://github.com/advisories/GHSA-0000-0000-0001")],
            "a project without frameworks and a package without vulnerabilities are clean, and an advisory is reported even when the version beside it cannot be read (fail closed)");
    }

    public static TheoryData<string> MalformedReports() =>
    [
        "",
        "not json",
        "{\"version\":1,\"projects\":[",
        "[]",
        "{\"projects\":[]}",
        "{\"version\":2,\"projects\":[]}",
        "{\"version\":1}",
        "{\"version\":1,\"projects\":{}}",
        "{\"version\":1,\"projects\":[{\"path\":\"a.csproj\",\"frameworks\":[{\"framework\":\"net10.0\",\"topLevelPackages\":[{\"vulnerabilities\":[]}]}]}]}",
        "{\"version\":1,\"projects\":[{\"path\":\"a.csproj\",\"frameworks\":[{\"framework\":\"net10.0\",\"topLevelPackages\":[{\"id\":\"A\",\"vulnerabilities\":[{\"severity\":\"High\"}]}]}]}]}",
        "{\"version\":1,\"projects\":[{\"path\":\"a.csproj\",\"frameworks\":[{\"framework\":\"net10.0\",\"topLevelPackages\":[{\"id\":\"A\",\"vulnerabilities\":[7]}]}]}]}",
        "{\"version\":1,\"projects\":[" + new string('[', 10_000) + new string(']', 10_000) + "]}",
    ];

    [Theory]
    [MemberData(nameof(MalformedReports))]
    public void A_malformed_report_raises_FormatException_and_nothing_else(string report)
    {
        var policy = new VulnerabilityPolicy(AdvisorySeverity.High, [], new FakeTimeProvider(Today));

        var act = () => policy.Evaluate(report);

        act.Should().ThrowExactly<FormatException>(
            "a report the policy cannot read must stop the build with the documented exception, never pass it and never leak a JsonException or KeyNotFoundException");
    }
}

// A test double loaded into this test process only, never shipped to a compiler: the rules for analyzer packages
// (netstandard2.0 target, extended analyzer rules, release tracking) do not apply.
#pragma warning disable RS1041, RS1036, RS2008

/// <summary>An analyzer that crashes on every file: what a buggy or incompatible analyzer package does.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CrashingAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        "KOANS0001", "Crashes", "Crashes", "Testing", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxTreeAction(_ => throw new InvalidDataException("This analyzer always crashes."));
    }
}
