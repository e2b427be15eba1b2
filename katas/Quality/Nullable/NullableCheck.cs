namespace Koans.Quality.Nullable;

/// <summary>
/// Kata quality.nullable, part 1: the checker. C#'s counterpart of running mypy: compile code in process with Roslyn,
/// with nullable reference types enabled, and report the nullable warnings, so a test (or a CI step) can fail on them.
/// </summary>
/// <remarks>
/// <para>Nullable analysis is part of the C# compiler: nothing to install, but nothing reported unless the nullable
/// context is enabled (the project's &lt;Nullable&gt;enable&lt;/Nullable&gt;, or the compilation's options when you
/// compile yourself). Its warnings are not only CS86xx: the contracts of the nullable attributes have their own
/// (a [MemberNotNull] method that leaves the member null, for example), and the compiler knows the whole set as its
/// warning group "nullable", the one &lt;WarningsAsErrors&gt;nullable&lt;/WarningsAsErrors&gt; turns into errors.</para>
/// <para>Compile against the .NET 10 reference assemblies (the Basic.Reference.Assemblies.Net100 package), not the
/// assemblies of the process running the tests.</para>
/// </remarks>
public static class NullableCheck
{
    /// <summary>
    /// Compiles <paramref name="sources"/> together as one C# class library (latest language version, nullable
    /// reference types enabled, .NET 10 reference assemblies) and returns its nullable warnings: every warning in the
    /// compiler's nullable group and no other, ordered by source and then line.
    /// </summary>
    /// <param name="sources">The text of each C# file; a warning's <see cref="NullableWarning.Source"/> is the index of
    /// its file here.</param>
    /// <exception cref="ArgumentException">The sources do not compile (any error). A clean report must never mean
    /// "did not build".</exception>
    public static IReadOnlyList<NullableWarning> Analyze(params IReadOnlyList<string> sources) =>
        throw new NotImplementedException();
}
