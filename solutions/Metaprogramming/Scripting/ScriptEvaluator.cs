using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Koans.Metaprogramming.Scripting;

/// <summary>Evaluates C# scripts with Roslyn after checking what they refer to.</summary>
public sealed class ScriptEvaluator
{
    // The framework the script runs on. Not reference assemblies (Basic.Reference.Assemblies): Roslyn scripting always
    // adds the host's System.Private.CoreLib to the first submission, and reference assemblies would then define every
    // core type twice. So: the shared framework's own System.* assemblies, by file, and this assembly for the globals.
    private static readonly ScriptOptions Options = ScriptOptions.Default
        .WithReferences(FrameworkAssemblies().Append(typeof(OrderGlobals).Assembly.Location)
            .Select(path => MetadataReference.CreateFromFile(path)))
        .WithImports("System", "System.Linq", "System.Collections.Generic")
        // No #r (arbitrary assemblies by path or package) and no #load (arbitrary files): the defaults resolve both.
        // This also stops Roslyn probing the disk for assemblies the references mention but the script never uses.
        .WithMetadataResolver(NothingResolver.Instance)
        .WithSourceResolver(NothingResolver.Sources);

    // Keyed by text AND result type: Create<int> and Create<long> of the same text are different compilations.
    // Lazy makes concurrent first calls compile once; a failed compile stays failed, which is right for the same text.
    private readonly ConcurrentDictionary<(string Code, Type Result), Lazy<Delegate>> _compiled = new();

    /// <summary>Evaluates <paramref name="code"/> with <paramref name="globals"/> and returns its result.</summary>
    public Task<T> EvaluateAsync<T>(string code, OrderGlobals globals, CancellationToken cancellationToken = default)
    {
        // No guard for code: CSharpScript.Create throws ArgumentNullException with the parameter name "code" itself.
        ArgumentNullException.ThrowIfNull(globals);
        cancellationToken.ThrowIfCancellationRequested();

        var runner = (ScriptRunner<T>)_compiled
            .GetOrAdd((code, typeof(T)), key => new Lazy<Delegate>(() => Compile<T>(key.Code)))
            .Value;
        // The runner checks the token only between submissions; WaitAsync gives the caller control back as soon as the
        // token fires. The script itself runs on until it next awaits something that observes cancellation.
        return runner(globals, cancellationToken).WaitAsync(cancellationToken);
    }

    // Only System.*: Microsoft.VisualBasic.Core, say, is in the shared framework too, and its FileIO.FileSystem deletes
    // files from a namespace the check does not list. Microsoft.CSharp (the dynamic binder) is not needed: dynamic is
    // refused anyway. Called once per process, from the static initializer above: Stryker's reused test host never
    // sees its mutants active, so they were applied by hand instead (NOTES.md, Mutation score): the tests kill them.
    // Stryker disable once all : runs once per process, from a static initializer; mutants killed by hand
    private static IEnumerable<string> FrameworkAssemblies() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
        .Where(path => Path.GetFileName(path) is var name &&
                       name.StartsWith("System.", StringComparison.Ordinal) && name != "System.Private.CoreLib.dll")
        // The shared framework's directory only: assemblies the host application ships (System.* packages included)
        // are the host's business, not the script's.
        .Where(path => Path.GetDirectoryName(path) == Path.GetDirectoryName(typeof(object).Assembly.Location));

    private static ScriptRunner<T> Compile<T>(string code)
    {
        var script = CSharpScript.Create<T>(code, Options, typeof(OrderGlobals));
        var compilation = script.GetCompilation();
        foreach (var tree in compilation.SyntaxTrees)
        {
            ForbiddenApiCheck.ThrowIfForbidden(compilation.GetSemanticModel(tree), tree.GetRoot());
        }

        // CreateDelegate compiles (a compile error throws CompilationErrorException), emits and loads the script's
        // assembly: once per distinct script, thanks to the cache.
        return script.CreateDelegate();
    }
}

/// <summary>Resolves no <c>#r</c> or <c>#load</c> directive and no missing assembly.</summary>
internal sealed class NothingResolver : MetadataReferenceResolver
{
    public static readonly NothingResolver Instance = new();
    public static readonly SourceReferenceResolver Sources = new NoSources();

    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath,
        MetadataReferenceProperties properties) => [];

    public override bool Equals(object? other) => other is NothingResolver;

    public override int GetHashCode() => 0;

    private sealed class NoSources : SourceReferenceResolver
    {
        public override string? NormalizePath(string path, string? baseFilePath) => null;

        public override Stream OpenRead(string resolvedPath) => throw new FileNotFoundException(resolvedPath);

        public override string? ResolveReference(string path, string? baseFilePath) => null;

        public override bool Equals(object? other) => other is NoSources;

        public override int GetHashCode() => 1;
    }
}
