using Microsoft.CodeAnalysis;

namespace Koans.Metaprogramming.SourceGenerator;

/// <summary>
/// Kata metaprogramming.source-generator: an incremental source generator that writes, at build time, a
/// reflection-free <c>Describe()</c> method for every type marked <c>[Koans.Generated.Describe]</c>.
/// </summary>
/// <remarks>
/// <para><b>What it emits.</b> Always, once: the attribute itself, <c>Koans.Generated.DescribeAttribute</c> (internal,
/// sealed, usable on classes and structs, records included), so user code can use it without a package. For each
/// marked type: the other half of the partial type, with <c>public string Describe()</c> returning
/// <c>Name { Prop1 = value1, Prop2 = value2 }</c> (<c>Name { }</c> without properties), where the properties are the
/// type's own public instance properties with a public getter and no parameters, in declaration order; values are
/// formatted with the invariant culture, and a null value is <c>null</c>. Generic types keep their type parameters
/// (<c>partial class Box&lt;T&gt;</c>); a type in the global namespace gets no namespace. The generated code uses no
/// reflection: that is the point (it is fast, and it survives trimming and Native AOT).</para>
/// <para><b>What it reports.</b> A marked type that is not <c>partial</c>, or is nested in another type, gets the
/// error <see cref="NotPartialTopLevel"/> at its name, and no code.</para>
/// <para><b>Incremental.</b> The IDE runs generators on every keystroke. The pipeline step that turns a marked type
/// into the data needed to write its code is named <see cref="ModelStepName"/> (tracking name), and its output must
/// be plain, equatable data: strings, numbers, and collections compared by content. A model that holds a
/// <c>Compilation</c>, an <c>ISymbol</c>, a <c>SyntaxNode</c> or a plain array is never equal to the previous run's,
/// so every edit anywhere re-generates everything (and keeps old compilations alive). Tests run the generator twice
/// and require the second run to come from the cache.</para>
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class DescribeGenerator : IIncrementalGenerator
{
    /// <summary>The attribute's full name.</summary>
    public const string AttributeFullName = "Koans.Generated.DescribeAttribute";

    /// <summary>The tracking name of the step that produces one model per marked type.</summary>
    public const string ModelStepName = "DescribeModels";

    /// <summary>KOANGEN001: a type marked [Describe] must be partial and top-level.</summary>
    public static readonly DiagnosticDescriptor NotPartialTopLevel = new(
        id: "KOANGEN001",
        title: "[Describe] needs a partial top-level type",
        messageFormat: "Type '{0}' is marked [Describe] but is not a partial top-level type, so no Describe() can be generated for it",
        category: "Koans.Generators",
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>Builds the generator's pipeline.</summary>
    public void Initialize(IncrementalGeneratorInitializationContext context) => throw new NotImplementedException();
}
