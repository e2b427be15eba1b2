using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Koans.Metaprogramming.Analyzer;

/// <summary>
/// Kata metaprogramming.analyzer: a Roslyn analyzer with two security rules, the C# counterpart of a Bandit check or a
/// flake8 plugin, reported with exact locations in the IDE and the build.
/// </summary>
/// <remarks>
/// <para><b><see cref="InsecureRandom"/> (KOAN001)</b>: a call to an instance method of <c>System.Random</c> (or a type
/// derived from it, <c>Random.Shared</c> included) made to produce a security value. "Security value" is decided by
/// names: split each name into words at case changes, digits and underscores (<c>CreateResetToken</c> is create, reset,
/// token; <c>apiKey</c> is api, key; <c>keyboardLayout</c> is keyboard, layout), and flag the call when a word is one of
/// token, password, secret, salt, nonce, key, otp, session, csrf, in any of: the names of the method, local function or
/// property the call is in (lambdas count as part of where they are written); the variable, field or property that the
/// call's statement declares or assigns; the variables passed to the call (<c>random.NextBytes(salt)</c>). Report at
/// the invocation expression, exactly its span (<c>random.NextBytes(salt)</c>, not the statement). A die roll, a
/// shuffle of a deck, a <c>PickMonkey()</c> are not flagged: an analyzer that cries wolf gets switched off.</para>
/// <para><b><see cref="SqlConcatenation"/> (KOAN002)</b>: SQL text built from a value that is not a compile-time constant,
/// with <c>+</c> on strings or an interpolated string. Take the string's pieces in order (the constant ones as text, the
/// others as a gap); it is SQL when that text starts, ignoring case and leading whitespace, with <c>SELECT … FROM</c>,
/// <c>INSERT INTO</c>, <c>UPDATE … SET</c> or <c>DELETE FROM</c>. Pieces that are constants of any type
/// (<c>const string Table</c>, the literal <c>10</c>) are fine; if every piece is constant, so is the result. Report once
/// per concatenation, at the whole outermost expression: <c>"SELECT … '" + name + "'"</c> across two lines is one
/// diagnostic, not one per <c>+</c>, and a cast around part of it does not make it two.</para>
/// <para>Generated code (<c>// &lt;auto-generated/&gt;</c>) is not analyzed: its author cannot fix it. The analyzer may
/// run concurrently.</para>
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SecurityAnalyzer : DiagnosticAnalyzer
{
    /// <summary>KOAN001: System.Random used to make a security value.</summary>
    public static readonly DiagnosticDescriptor InsecureRandom = new(
        id: "KOAN001",
        title: "System.Random used for a security value",
        messageFormat: "'{0}' uses System.Random for a security value; it is predictable: use System.Security.Cryptography.RandomNumberGenerator",
        category: "Security",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    /// <summary>KOAN002: SQL built by string concatenation or interpolation.</summary>
    public static readonly DiagnosticDescriptor SqlConcatenation = new(
        id: "KOAN002",
        title: "SQL built from non-constant strings",
        messageFormat: "SQL is built from values by string concatenation; pass the values as parameters",
        category: "Security",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [InsecureRandom, SqlConcatenation];

    /// <summary>Registers the actions that implement both rules.</summary>
    public override void Initialize(AnalysisContext context) => throw new NotImplementedException();
}
