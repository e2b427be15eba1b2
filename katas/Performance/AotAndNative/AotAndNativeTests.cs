using System.Collections.Immutable;
using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Koans.Performance.AotAndNative;

public class AotAndNativeTests
{
    private static readonly StationReading Oslo = new("Oslo-Blindern", new DateOnly(2024, 1, 15), -3.5, -11, ["ice", "wind"]);

    // The format NaiveReadingCodec writes (JsonSerializerDefaults.Web), written out by hand, not produced by either codec.
    private const string OsloJson =
        """{"station":"Oslo-Blindern","day":"2024-01-15","highCelsius":-3.5,"lowCelsius":-11,"alerts":["ice","wind"]}""";

    [Fact]
    public void Serialize_writes_the_same_camel_case_json_as_the_naive_codec()
    {
        ReadingCodec.Serialize(Oslo).Should().Be(OsloJson,
            "stored readings and other services expect this exact text: camelCase names and an ISO date, as the web " +
            "defaults the naive codec used produce; generated code has its own options, set them to the same");
    }

    [Fact]
    public void Deserialize_reads_the_fixed_json_into_the_record()
    {
        var reading = ReadingCodec.Deserialize(OsloJson);

        reading.Should().BeEquivalentTo(Oslo, options => options.WithStrictOrdering(),
            "every property, the date and the alerts in order, must come back from the JSON the naive codec wrote");
    }

    [Fact]
    public void Deserialize_matches_property_names_in_any_case_as_the_naive_codec_did()
    {
        const string pascalCase =
            """{"Station":"Tromsø","Day":"2024-07-01","HighCelsius":21.25,"LowCelsius":9,"Alerts":[]}""";

        var reading = ReadingCodec.Deserialize(pascalCase);

        reading.Should().BeEquivalentTo(new StationReading("Tromsø", new DateOnly(2024, 7, 1), 21.25, 9, []),
            "the web defaults read names case-insensitively; a context generated without them silently leaves every " +
            "property at its default instead, and old data loads as zeros and nulls");
    }

    [Theory]
    [InlineData("""{"station":"Oslo","day":"2024-01-15","highCelsius":"warm","lowCelsius":1,"alerts":[]}""")]
    [InlineData("""{"station":"Oslo","day":"15/01/2024","highCelsius":1,"lowCelsius":1,"alerts":[]}""")]
    [InlineData("""{"station":"Oslo",""")]
    [InlineData("not json")]
    public void Deserialize_rejects_text_that_is_not_a_reading_with_JsonException(string json)
    {
        var read = () => ReadingCodec.Deserialize(json);

        read.Should().Throw<JsonException>("malformed input raises the serializer's documented exception, nothing else");
    }

    [Fact]
    public void Deserialize_rejects_hostile_nesting_depth_with_JsonException()
    {
        var deep = """{"station":"Oslo","day":"2024-01-15","highCelsius":1,"lowCelsius":1,"alerts":""" +
            new string('[', 10_000) + new string(']', 10_000) + "}";

        var read = () => ReadingCodec.Deserialize(deep);

        read.Should().Throw<JsonException>("nesting beyond the 64-level default is refused before it costs stack");
    }

    [Fact]
    public void Deserialize_rejects_the_json_literal_null_with_JsonException()
    {
        var read = () => ReadingCodec.Deserialize("null");

        read.Should().Throw<JsonException>(
            "the serializer returns null for the literal null; the method promises a reading, so it must not pass " +
            "the null on to a caller whose nullable annotations say it cannot happen")
            .WithMessage("*null*", "the message says what was wrong with the input");
    }

    [Fact]
    public void Serialize_rejects_a_null_reading_with_ArgumentNullException()
    {
        var write = () => ReadingCodec.Serialize(null!);

        write.Should().Throw<ArgumentNullException>(
            "the serializer would happily write the text null, which Deserialize then refuses: fail at the caller's bug");
    }

    [Fact]
    public async Task The_codec_builds_with_no_trim_or_aot_warnings_and_the_check_flags_the_naive_codec()
    {
        ReadingCodec.Serialize(Oslo).Should().NotBeNullOrEmpty();

        var naive = await TrimAndAotWarningsAsync([ProvidedFile("NaiveReadingCodec.Provided.cs")]);
        naive.Select(d => d.Id).Should().Contain(["IL2026", "IL3050"],
            "the check must bite: reflection-based JsonSerializer calls are annotated RequiresUnreferencedCode and " +
            "RequiresDynamicCode, so the analyzers flag the naive codec");

        var yours = await TrimAndAotWarningsAsync(LearnerFiles());
        yours.Select(d => $"{d.Id} at {d.Location.GetLineSpan()}: {d.GetMessage()}").Should().BeEmpty(
            "an IsAotCompatible library builds without IL2026/IL3050: give the serializer metadata generated at " +
            "compile time (a JsonSerializerContext) instead of letting it reflect over the type at run time");
    }

    [Fact]
    public void Utf8ByteCount_counts_utf8_bytes_through_strlen_not_utf16_chars()
    {
        NativeLibc.Utf8ByteCount("naïve ☕").Should().Be(10,
            "n, a, v, e and the space are one byte each, ï two and ☕ three: marshal the string as UTF-8 " +
            "(as UTF-16, strlen stops at the first zero byte, after the 'n')");
        NativeLibc.Utf8ByteCount("getpid").Should().Be(6, "ASCII is one byte per character");
        NativeLibc.Utf8ByteCount("").Should().Be(0, "an empty string is a lone NUL terminator");
    }

    [Fact]
    public void CurrentProcessId_is_the_id_the_runtime_reports()
    {
        NativeLibc.CurrentProcessId().Should().Be(Environment.ProcessId, "getpid and the runtime agree on this process");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void CloseDescriptor_of_a_descriptor_that_is_not_open_throws_Win32Exception_with_EBADF(int notOpen)
    {
        var close = () => NativeLibc.CloseDescriptor(notOpen);

        close.Should().Throw<Win32Exception>("close returns -1 for a descriptor that is not open")
            .Which.NativeErrorCode.Should().Be(9,
                "errno is EBADF (9, Linux's asm-generic/errno-base.h); only a stub declared to save errno when the " +
                "function returns gives it back reliably: later native calls by the runtime overwrite it");
    }

    [Fact]
    public void CloseDescriptor_closes_a_descriptor_that_is_open()
    {
        var path = Path.Combine(Path.GetTempPath(), $"koans-aot-{Guid.NewGuid():N}");
        try
        {
            using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
            var fileDescriptor = (int)handle.DangerousGetHandle();
            handle.SetHandleAsInvalid(); // from here on the descriptor is ours to close, and closed once only

            var close = () => NativeLibc.CloseDescriptor(fileDescriptor);

            close.Should().NotThrow("close returns 0 for an open descriptor, and 0 is success");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Native_functions_are_declared_with_the_source_generated_attribute_only()
    {
        NativeLibc.CurrentProcessId().Should().BePositive();

        var attributes = LearnerFiles()
            .Select(file => CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file))
            .SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<AttributeSyntax>())
            .Select(attribute => attribute.Name.ToString())
            .ToList();

        attributes.Should().NotContain(name => name == "DllImport" || name.EndsWith(".DllImport") || name.EndsWith("DllImportAttribute"),
            "[DllImport] leaves the marshalling stub to the runtime, built on first call: no good for Native AOT " +
            "and invisible to the trimmer; use [LibraryImport], whose stub a source generator writes at compile time");
        attributes.Count(name => name == "LibraryImport" || name.EndsWith("LibraryImportAttribute")).Should().BeGreaterThanOrEqualTo(3,
            "strlen, getpid and close each get a [LibraryImport] partial method");
    }

    // Written by the csproj: the folder of the code under test (the stubs, or solutions/ on the solutions track).
    private static string MetadataDirectory(string key) =>
        typeof(AotAndNativeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? MutationSplitDirectory(key);

    // ./run-katas.sh mutate compiles these tests against the reference in a generated project without the attributes.
    private static string MutationSplitDirectory(string key, [CallerFilePath] string testsFile = "")
    {
        var kataDirectory = Path.GetDirectoryName(testsFile)!;
        return key == "ProvidedSourceDirectory"
            ? kataDirectory
            : Path.GetFullPath(Path.Combine(kataDirectory, "..", "..", "..", "solutions", "Performance", "AotAndNative"));
    }

    private static string ProvidedFile(string name) => Path.Combine(MetadataDirectory("ProvidedSourceDirectory"), name);

    // Every file you edit or add (not the tests, not the provided files).
    private static string[] LearnerFiles() =>
        Directory.GetFiles(MetadataDirectory("LearnerSourceDirectory"), "*.cs", SearchOption.TopDirectoryOnly)
            .Where(f => !f.EndsWith("Tests.cs", StringComparison.Ordinal) && !f.EndsWith(".Provided.cs", StringComparison.Ordinal))
            .ToArray();

    private static async Task<ImmutableArray<Diagnostic>> TrimAndAotWarningsAsync(IEnumerable<string> files)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = files.Append(ProvidedFile("StationReading.Provided.cs"))
            .Select(file => CSharpSyntaxTree.ParseText(File.ReadAllText(file), parseOptions, file))
            .Append(CSharpSyntaxTree.ParseText("global using System; global using System.Collections.Generic; global using System.Linq;", parseOptions))
            .ToList();
        var compilation = CSharpCompilation.Create("AotCheck", trees, Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

        var loader = new AssemblyLoadFromLoader();
        var analyzers = Path.Combine(AppContext.BaseDirectory, "analyzers");
        var generators = new AnalyzerFileReference(Path.Combine(analyzers, "System.Text.Json.SourceGeneration.dll"), loader)
            .GetGenerators(LanguageNames.CSharp);
        CSharpGeneratorDriver.Create(generators, parseOptions: parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out _);

        var options = new AnalyzerOptions([], new MSBuildPropertyOptions(new Dictionary<string, string>
        {
            // What IsAotCompatible=true sets, handed to the analyzers as MSBuild would.
            ["build_property.IsAotCompatible"] = "true",
            ["build_property.EnableTrimAnalyzer"] = "true",
            ["build_property.EnableAotAnalyzer"] = "true",
            ["build_property.EnableSingleFileAnalyzer"] = "true",
        }));
        var trimAnalyzers = new AnalyzerFileReference(Path.Combine(analyzers, "ILLink.RoslynAnalyzer.dll"), loader)
            .GetAnalyzers(LanguageNames.CSharp);
        var diagnostics = await generated.WithAnalyzers(trimAnalyzers, options).GetAnalyzerDiagnosticsAsync();
        return [.. diagnostics.Where(d => d.Id is "IL2026" or "IL3050")];
    }

    private sealed class AssemblyLoadFromLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath) { }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }

    private sealed class MSBuildPropertyOptions(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _global = new(values);

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _global;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _global;

        private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
                values.TryGetValue(key, out value);
        }
    }
}
