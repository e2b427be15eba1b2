using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Koans.Metaprogramming.Analyzer;

/// <summary>Flags System.Random used for security values and SQL built by string concatenation.</summary>
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

    private static readonly ImmutableHashSet<string> SecurityWords = ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase,
        "token", "password", "secret", "salt", "nonce", "key", "otp", "session", "csrf");

    // Words of an identifier: an upper-case run (before a capitalised word), a capitalised or lower-case word, digits.
    private static readonly Regex Words = new("[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", RegexOptions.CultureInvariant);

    // The constant text of the string, gaps as spaces. Singleline: a query may span lines.
    private static readonly Regex SqlStart = new(
        @"^\s*(SELECT\b.*\bFROM\b|INSERT\s+INTO\b|UPDATE\b.*\bSET\b|DELETE\s+FROM\b)",
        RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [InsecureRandom, SqlConcatenation];

    /// <summary>Registers the actions that implement both rules.</summary>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // Resolve the type once per compilation; a compilation without System.Random has nothing to flag.
            if (start.Compilation.GetTypeByMetadataName("System.Random") is { } random)
            {
                start.RegisterOperationAction(c => AnalyzeInvocation(c, random), OperationKind.Invocation);
            }
            start.RegisterOperationAction(AnalyzeString, OperationKind.Binary, OperationKind.InterpolatedString);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, INamedTypeSymbol random)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.IsStatic || !DerivesFrom(method.ContainingType, random))
        {
            return;
        }
        if (NamesAround(invocation).Any(name => Words.Matches(name).Any(word => SecurityWords.Contains(word.Value))))
        {
            context.ReportDiagnostic(Diagnostic.Create(InsecureRandom, invocation.Syntax.GetLocation(), method.Name));
        }
    }

    private static bool DerivesFrom(INamedTypeSymbol? type, INamedTypeSymbol baseType)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type, baseType))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The names that say what the random value is for.</summary>
    private static IEnumerable<string> NamesAround(IInvocationOperation invocation)
    {
        // Where the call is written: enclosing local functions, methods, properties (lambdas are transparent). A property's
        // initializer is inside its declaration, so `string ApiToken { get; } = ...` is named here.
        foreach (var ancestor in invocation.Syntax.Ancestors())
        {
            switch (ancestor)
            {
                case LocalFunctionStatementSyntax local: yield return local.Identifier.ValueText; break;
                case MethodDeclarationSyntax method: yield return method.Identifier.ValueText; break;
                case PropertyDeclarationSyntax property: yield return property.Identifier.ValueText; break;
            }
        }

        // What the statement declares or assigns.
        for (var parent = invocation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case IVariableDeclaratorOperation declarator:
                    yield return declarator.Symbol.Name;
                    break;
                case IAssignmentOperation assignment when NameOf(assignment.Target) is { } target:
                    yield return target;
                    break;
                // A field's declaration is not among the ancestors above: its initializer names it.
                case IFieldInitializerOperation field:
                    foreach (var initialized in field.InitializedFields)
                    {
                        yield return initialized.Name;
                    }
                    break;
            }
            if (parent is IExpressionStatementOperation or IVariableDeclarationGroupOperation or IReturnOperation)
            {
                break; // the statement ends here
            }
        }

        // What the call fills: random.NextBytes(salt).
        foreach (var argument in invocation.Arguments)
        {
            if (NameOf(argument.Value) is { } name)
            {
                yield return name;
            }
        }
    }

    private static string? NameOf(IOperation operation) => operation switch
    {
        IConversionOperation conversion => NameOf(conversion.Operand),
        ILocalReferenceOperation local => local.Local.Name,
        IParameterReferenceOperation parameter => parameter.Parameter.Name,
        IFieldReferenceOperation field => field.Field.Name,
        IPropertyReferenceOperation property => property.Property.Name,
        _ => null,
    };

    private static void AnalyzeString(OperationAnalysisContext context)
    {
        var operation = context.Operation;
        if (operation.Type?.SpecialType != SpecialType.System_String ||
            operation is IBinaryOperation { OperatorKind: not BinaryOperatorKind.Add } ||
            IsPartOfConcatenation(operation) ||
            operation.ConstantValue.HasValue)
        {
            return;
        }

        var pieces = new List<IOperation>();
        Flatten(operation, pieces);
        if (pieces.All(IsConstant))
        {
            return; // constants of any type cannot carry an injection
        }

        var text = new StringBuilder();
        foreach (var piece in pieces)
        {
            text.Append(piece switch
            {
                IInterpolatedStringTextOperation part => part.Text.ConstantValue.Value as string,
                _ when IsConstant(piece) => Unwrap(piece).ConstantValue.Value?.ToString(),
                _ => " ",
            });
        }
        if (SqlStart.IsMatch(text.ToString()))
        {
            context.ReportDiagnostic(Diagnostic.Create(SqlConcatenation, operation.Syntax.GetLocation()));
        }
    }

    /// <summary>Only the outermost string + or interpolation of a concatenation is reported.</summary>
    private static bool IsPartOfConcatenation(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }
        return parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String };
    }

    /// <summary>The leaves of a concatenation, in order: operands, interpolation text parts and holes.</summary>
    private static void Flatten(IOperation operation, List<IOperation> pieces)
    {
        switch (Unwrap(operation))
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } binary:
                Flatten(binary.LeftOperand, pieces);
                Flatten(binary.RightOperand, pieces);
                break;
            case IInterpolatedStringOperation interpolated when !interpolated.ConstantValue.HasValue:
                foreach (var part in interpolated.Parts)
                {
                    pieces.Add(part is IInterpolationOperation hole ? hole.Expression : part);
                }
                break;
            case var leaf:
                pieces.Add(leaf);
                break;
        }
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }
        return operation;
    }

    private static bool IsConstant(IOperation piece) =>
        piece is IInterpolatedStringTextOperation || Unwrap(piece).ConstantValue.HasValue;
}
