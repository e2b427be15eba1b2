using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Koans.Metaprogramming.Scripting;

/// <summary>
/// Finds the first place in a script that binds to a forbidden namespace, type or member. It asks the semantic model
/// what each name means, so aliases, <c>using static</c>, <c>var</c> and method groups are seen for what they are.
/// </summary>
internal static class ForbiddenApiCheck
{
    private static readonly string[] ForbiddenNamespaces =
    [
        "System.IO", "System.Diagnostics", "System.Reflection", "System.Runtime", "System.Net", "System.Security",
        "System.Linq.Expressions", "Microsoft.Win32", "System.Threading",
    ];

    private const string AllowedNamespace = "System.Threading.Tasks";

    private static readonly string[] ForbiddenTypes =
    [
        "System.Type", "System.Activator", "System.AppDomain", "System.AppContext", "System.Environment", "System.GC",
    ];

    public static void ThrowIfForbidden(SemanticModel model, SyntaxNode root)
    {
        // DescendantNodesAndSelf is pre-order: the first hit is the outermost node that starts first in the source.
        foreach (var expression in root.DescendantNodesAndSelf().OfType<ExpressionSyntax>())
        {
            var info = model.GetSymbolInfo(expression);
            // Candidate symbols too: an overload resolution failure must not hide what the script reached for.
            IEnumerable<ISymbol?> symbols = [info.Symbol, .. info.CandidateSymbols];
            var types = model.GetTypeInfo(expression);
            symbols = symbols.Append(types.Type).Append(types.ConvertedType);

            var forbidden = symbols.FirstOrDefault(s => s is not null && IsForbidden(s));
            if (forbidden is not null)
            {
                var position = expression.GetLocation().GetLineSpan().StartLinePosition;
                throw new ScriptRejectedException(forbidden.ToDisplayString(), position.Line + 1, position.Character + 1);
            }
        }
    }

    private static bool IsForbidden(ISymbol symbol) => symbol switch
    {
        // dynamic defers binding to run time, past this check.
        IDynamicTypeSymbol => true,
        INamespaceSymbol ns => IsForbiddenNamespace(ns.ToDisplayString()),
        IArrayTypeSymbol array => IsForbidden(array.ElementType),
        IPointerTypeSymbol pointer => IsForbidden(pointer.PointedAtType),
        INamedTypeSymbol type => IsForbiddenType(type),
        // Extension methods: judge the static class that declares them.
        IMethodSymbol { ReducedFrom: { } original } => IsForbidden(original),
        // object.GetType() is caught here too: it returns a System.Type.
        IMethodSymbol method => method.ContainingType is { } owner && IsForbiddenType(owner) || IsForbidden(method.ReturnType),
        ILocalSymbol local => IsForbidden(local.Type),
        IParameterSymbol parameter => IsForbidden(parameter.Type),
        _ => symbol.ContainingType is { } containing && IsForbiddenType(containing),
    };

    private static bool IsForbiddenType(INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        if (ForbiddenTypes.Contains(definition.ToDisplayString()) ||
            IsForbiddenNamespace(definition.ContainingNamespace?.ToDisplayString() ?? ""))
        {
            return true;
        }
        // List<Type> is as good as Type; a nested type is as dangerous as its container.
        return type.TypeArguments.Any(IsForbidden) ||
               (type.ContainingType is { } outer && IsForbiddenType(outer));
    }

    private static bool IsForbiddenNamespace(string name) =>
        !(name == AllowedNamespace || name.StartsWith(AllowedNamespace + ".", StringComparison.Ordinal)) &&
        ForbiddenNamespaces.Any(forbidden => name == forbidden || name.StartsWith(forbidden + ".", StringComparison.Ordinal));
}
