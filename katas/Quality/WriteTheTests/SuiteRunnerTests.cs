using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Text;
using Basic.Reference.Assemblies;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.Time.Testing;
using Xunit.Sdk;
using Xunit.v3;

namespace Koans.Quality.WriteTheTests;

/// <summary>One change to LateFeeCalculator.Provided.cs: a line of it, and what a mutant puts there instead.</summary>
public sealed record Mutation(string Original, string Replacement);

/// <summary>
/// A copy of the calculator with one plausible bug: <see cref="Bug"/> says what goes wrong, in the words of the
/// failure message, <see cref="Advice"/> what kind of test notices it.
/// </summary>
public sealed record Mutant(string Name, string Bug, string Advice, params Mutation[] Mutations)
{
    public string Diff => string.Join("; ", Mutations.Select(m =>
        m.Replacement.Length == 0 ? $"removes `{m.Original}`" : $"`{m.Original}` becomes `{m.Replacement}`"));
}

/// <summary>One test case of the learner's suite (a [Fact], or one data row of a [Theory]) and how it ended.</summary>
public sealed record CaseResult(string Name, Exception? Failure)
{
    public bool Passed => Failure is null;
}

/// <summary>
/// The learner's suite, compiled by the judge: their files (LateFeeSuite.cs and any other file that is not a test or
/// provided) with LateFeeCalculator.Provided.cs as it is, or with one mutant's changes, into an assembly of its own,
/// loaded into a collectible load context. Its test methods are run by reflection, the way xunit would run them:
/// a fresh instance per case, [Theory] rows from their data attributes, async tests awaited.
/// </summary>
public sealed class LearnerSuite
{
    /// <summary>A hang guard, not a time assertion: a test awaiting a fake clock that nobody advances never ends.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    private const string ModuleFile = "LateFeeCalculator.Provided.cs";

    private static readonly Lazy<LearnerSuite> Shared = new(Load);

    private readonly ConcurrentDictionary<string, Lazy<Assembly>> _variants = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<CaseResult>>>> _runs = new();
    private readonly string _moduleSource;
    private readonly string _modulePath;
    private readonly IReadOnlyList<SyntaxTree> _learnerTrees;
    private readonly CSharpCompilation _correct;

    private LearnerSuite(string modulePath, IReadOnlyList<SyntaxTree> learnerTrees)
    {
        _modulePath = modulePath;
        _moduleSource = File.ReadAllText(modulePath);
        _learnerTrees = learnerTrees;
        _correct = Compilation(_moduleSource);
    }

    /// <summary>The suite of this track: the learner's files on the katas track, the reference suite otherwise.</summary>
    public static LearnerSuite Current => Shared.Value;

    public IReadOnlyList<SyntaxTree> LearnerTrees => _learnerTrees;

    /// <summary>The compilation of the learner's files with the correct calculator, for questions about their code.</summary>
    public CSharpCompilation CorrectCompilation => _correct;

    /// <summary>Runs every test case against the correct calculator (once; later calls share the result).</summary>
    public Task<IReadOnlyList<CaseResult>> RunOnTheCorrectCalculatorAsync() => RunAsync(null, static _ => true);

    /// <summary>
    /// Fails unless the suite has tests and every one passes on the correct calculator: a suite that fails there
    /// "kills" every mutant and proves nothing. A test still throwing NotImplementedException (the stub) is reported
    /// as exactly that.
    /// </summary>
    public async Task RequirePassesOnTheCorrectCalculatorAsync()
    {
        var results = await RunOnTheCorrectCalculatorAsync();
        results.Should().NotBeEmpty("your suite needs tests: public methods of a public class in LateFeeSuite.cs " +
            "marked [Fact], or [Theory] with [InlineData]/[MemberData]");

        var failingOnTheCorrectCalculator = results
            .Where(r => r.Failure is not null and not NotImplementedException)
            .Select(r => $"{r.Name}{WhereInYourFile(r.Failure!)}: {FirstLine(r.Failure!)}")
            .ToList();
        failingOnTheCorrectCalculator.Should().BeEmpty(
            "every test in your suite must pass on the correct LateFeeCalculator: a test that fails there is a false " +
            "alarm, and its verdict on a mutant means nothing; failing now: {0}", string.Join("; ", failingOnTheCorrectCalculator));

        var unwritten = results.FirstOrDefault(r => r.Failure is NotImplementedException);
        if (unwritten is not null)
        {
            throw new NotImplementedException(
                $"Your test {unwritten.Name} still throws NotImplementedException: write it (the kata runs your " +
                "suite against the correct calculator, then against each mutant).", unwritten.Failure);
        }
    }

    /// <summary>Runs the test methods <paramref name="include"/> selects against <paramref name="mutant"/>'s copy.</summary>
    public Task<IReadOnlyList<CaseResult>> RunAsync(Mutant? mutant, Func<MethodInfo, bool> include, string filterName = "all")
    {
        var key = $"{mutant?.Name ?? "correct"}/{filterName}";
        return _runs.GetOrAdd(key, _ => new Lazy<Task<IReadOnlyList<CaseResult>>>(
            () => RunCasesAsync(Variant(mutant), include))).Value;
    }

    /// <summary>The compiled copy for <paramref name="mutant"/> (null: the correct calculator).</summary>
    public Assembly Variant(Mutant? mutant) =>
        _variants.GetOrAdd(mutant?.Name ?? "", _ => new Lazy<Assembly>(() =>
            Emit(mutant is null ? _correct : Compilation(Mutate(mutant)), mutant?.Name ?? "correct"))).Value;

    private string Mutate(Mutant mutant)
    {
        var source = _moduleSource;
        foreach (var mutation in mutant.Mutations)
        {
            var at = source.IndexOf(mutation.Original, StringComparison.Ordinal);
            if (at < 0 || source.IndexOf(mutation.Original, at + 1, StringComparison.Ordinal) >= 0)
            {
                throw new InvalidOperationException(
                    $"{ModuleFile} has changed: mutant {mutant.Name} expects `{mutation.Original}` exactly once. " +
                    "The module is provided; restore it with git (git checkout -- " + ModuleFile + ").");
            }

            source = string.Concat(source.AsSpan(0, at), mutation.Replacement, source.AsSpan(at + mutation.Original.Length));
        }

        return source;
    }

    private CSharpCompilation Compilation(string moduleSource)
    {
        var module = Parse(moduleSource, _modulePath);
        return CSharpCompilation.Create(
            // One name for every copy (each has a load context of its own), so nothing but behaviour tells them apart.
            "LateFeeSuite.Judged",
            [.. _learnerTrees, module, Parse(GlobalUsings, "GlobalUsings.g.cs")],
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                optimizationLevel: OptimizationLevel.Debug));
    }

    private static Assembly Emit(CSharpCompilation compilation, string variant)
    {
        using var image = new MemoryStream();
        using var symbols = new MemoryStream();
        var result = compilation.Emit(image, symbols, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!result.Success)
        {
            throw new InvalidOperationException(
                "The judge could not compile your suite with the calculator (it compiles the files you edit with " +
                ModuleFile + ", the usings the project adds, xunit, FluentAssertions, CsCheck and " +
                "Microsoft.Extensions.TimeProvider.Testing): " + string.Join("; ", errors.Select(e => e.ToString())));
        }

        image.Position = 0;
        symbols.Position = 0;
        // The packages the suite uses are already loaded by this test process: the collectible context falls back to
        // them, so an xunit or FluentAssertions exception thrown in the learner's code is the type the judge knows.
        var context = new AssemblyLoadContext($"LateFeeSuite.{variant}", isCollectible: true);
        return context.LoadFromStream(image, symbols);
    }

    private static async Task<IReadOnlyList<CaseResult>> RunCasesAsync(Assembly suite, Func<MethodInfo, bool> include)
    {
        var results = new List<CaseResult>();
        foreach (var method in TestMethods(suite).Where(include))
        {
            foreach (var (name, arguments) in await CasesAsync(method))
            {
                results.Add(new CaseResult(name, await RunCaseAsync(method, arguments)));
            }
        }

        return results;
    }

    /// <summary>Public methods marked [Fact] or [Theory] (not skipped, not explicit) of the suite's public classes.</summary>
    public static IEnumerable<MethodInfo> TestMethods(Assembly suite) =>
        suite.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsGenericTypeDefinition)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .OrderBy(m => m.MetadataToken))
            .Where(m => m.GetCustomAttribute<FactAttribute>() is { Skip: null, Explicit: false });

    private static async Task<IReadOnlyList<(string Name, object?[] Arguments)>> CasesAsync(MethodInfo method)
    {
        var name = $"{method.DeclaringType!.Name}.{method.Name}";
        if (method.GetCustomAttribute<FactAttribute>() is not TheoryAttribute)
        {
            return [(name, [])];
        }

        var cases = new List<(string, object?[])>();
        await using var disposalTracker = new DisposalTracker();
        foreach (var data in method.GetCustomAttributes().OfType<IDataAttribute>())
        {
            foreach (var row in await data.GetData(method, disposalTracker))
            {
                if (row.Skip is null && row.Explicit is not true)
                {
                    var arguments = row.GetData();
                    cases.Add(($"{name}({string.Join(", ", arguments)})", arguments));
                }
            }
        }

        return cases;
    }

    private static async Task<Exception?> RunCaseAsync(MethodInfo method, object?[] arguments)
    {
        object? instance = null;
        Exception? failure = null;
        try
        {
            if (!method.IsStatic)
            {
                var constructor = method.DeclaringType!.GetConstructor(Type.EmptyTypes)
                    ?? throw new InvalidOperationException(
                        $"The judge creates {method.DeclaringType.Name} with a constructor without parameters " +
                        "(xunit fixtures are not supported here: build what a test needs in the test or the constructor).");
                instance = constructor.Invoke(null);
                if (instance is IAsyncLifetime lifetime)
                {
                    await GuardAsync(lifetime.InitializeAsync().AsTask(), $"{method.DeclaringType.Name}.InitializeAsync");
                }
            }

            var parameters = method.GetParameters().Select(p => p.ParameterType).ToArray();
            var converted = arguments.Length == parameters.Length ? TypeHelper.ConvertArguments(arguments, parameters) : arguments;
            var returned = method.Invoke(instance, converted);
            var pending = returned switch
            {
                Task task => task,
                ValueTask valueTask => valueTask.AsTask(),
                _ when returned?.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(ValueTask<>) =>
                    (Task)type.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null)!,
                _ => Task.CompletedTask,
            };
            await GuardAsync(pending, method.Name);
        }
        catch (TargetInvocationException invocation) when (invocation.InnerException is not null)
        {
            failure = invocation.InnerException;
        }
        catch (Exception thrown)
        {
            failure = thrown;
        }

        // As in xunit, a test whose cleanup throws fails too.
        return failure ?? await DisposeAsync(instance);
    }

    private static async Task GuardAsync(Task pending, string what)
    {
        try
        {
            await pending.WaitAsync(HangGuard);
        }
        catch (TimeoutException) when (!pending.IsCompleted)
        {
            throw new TimeoutException(
                $"{what} did not finish within {HangGuard.TotalSeconds:0} s (a hang guard, not a time limit: a test " +
                "waiting on a FakeTimeProvider must Advance it).");
        }
    }

    private static async Task<Exception?> DisposeAsync(object? instance)
    {
        try
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }

            return null;
        }
        catch (Exception thrown)
        {
            return thrown;
        }
    }

    /// <summary>" (line N of File.cs)" for the innermost frame of <paramref name="failure"/> in the learner's files.</summary>
    private string WhereInYourFile(Exception failure)
    {
        var learnerFiles = _learnerTrees.Select(t => t.FilePath).ToHashSet(StringComparer.Ordinal);
        var frame = new System.Diagnostics.StackTrace(failure, fNeedFileInfo: true).GetFrames()
            .FirstOrDefault(f => f.GetFileName() is { } file && learnerFiles.Contains(file));
        return frame is null ? "" : $" (line {frame.GetFileLineNumber()} of {Path.GetFileName(frame.GetFileName())})";
    }

    public static string FirstLine(Exception failure) =>
        $"{failure.GetType().Name}: {failure.Message.Split('\n')[0].Trim()}";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    // With its encoding, so the judge can emit debug information: a failure's stack trace then names the line of
    // the learner's file, as a test run in the build does.
    private static SyntaxTree Parse(string text, string path) =>
        CSharpSyntaxTree.ParseText(SourceText.From(text, Encoding.UTF8), ParseOptions, path);

    // The usings the kata's project adds to every file (ImplicitUsings, and Xunit and FluentAssertions in
    // Directory.Build.props), so the learner's file compiles here exactly as it does in the build.
    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Xunit;
        global using FluentAssertions;
        """;

    /// <summary>
    /// The .NET 10 reference assemblies, and the packages a suite may use (xunit, FluentAssertions, CsCheck,
    /// FakeTimeProvider) with what they reference from this test's output folder.
    /// </summary>
    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(() =>
    {
        var packages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<Assembly>([
            typeof(FactAttribute).Assembly, typeof(Assert).Assembly, typeof(AssertionExtensions).Assembly,
            typeof(Gen).Assembly, typeof(FakeTimeProvider).Assembly]);
        while (pending.TryDequeue(out var assembly))
        {
            if (!packages.TryAdd(assembly.GetName().Name!, assembly.Location))
            {
                continue;
            }

            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (!packages.ContainsKey(reference.Name!) && File.Exists(Path.Combine(AppContext.BaseDirectory, reference.Name + ".dll")))
                {
                    pending.Enqueue(Assembly.Load(reference));
                }
            }
        }

        return [.. Net100.References.All, .. packages.Values.Select(p => MetadataReference.CreateFromFile(p))];
    });

    private static LearnerSuite Load() => Load(KataDirectory());

    private static LearnerSuite Load(string kataDirectory)
    {
        // The katas track compiles the learner's files (its output is under artifacts/katas/); every other build of
        // these tests (the solutions track, ./run-katas.sh mutate's copy) the reference suite.
        var katasTrack = AppContext.BaseDirectory.Replace('\\', '/').Contains("/artifacts/katas/", StringComparison.Ordinal);
        var suiteDirectory = katasTrack
            ? kataDirectory
            : Path.GetFullPath(Path.Combine(kataDirectory, "..", "..", "..", "solutions", "Quality", "WriteTheTests"));
        var files = Directory.EnumerateFiles(suiteDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("Tests.cs", StringComparison.Ordinal) && !f.EndsWith(".Provided.cs", StringComparison.Ordinal))
            .Where(f => !Path.GetRelativePath(suiteDirectory, f).Replace('\\', '/').Split('/').Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal);
        var trees = files.Select(f => Parse(File.ReadAllText(f), f)).ToList();
        return new LearnerSuite(Path.Combine(kataDirectory, ModuleFile), trees);
    }

    private static string KataDirectory([CallerFilePath] string testFile = "") =>
        Path.GetDirectoryName(testFile) ?? throw new InvalidOperationException("no test file path");
}
