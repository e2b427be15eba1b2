using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Koans.Metaprogramming.SyntaxTrees;

/// <summary>Finds async void code and blocking waits on tasks, with the semantic model.</summary>
public static class AsyncSmellFinder
{
    /// <summary>The findings in <paramref name="source"/>, ordered by line and column.</summary>
    public static IReadOnlyList<AsyncFinding> Find(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var model = SemanticModelFor(source);
        var root = model.SyntaxTree.GetRoot();
        var findings = new List<(int Position, AsyncFinding Finding)>();

        void Report(string rule, SyntaxToken token)
        {
            // LinePosition is 0-based; Character counts UTF-16 units, so a tab is one column.
            var position = token.GetLocation().GetLineSpan().StartLinePosition;
            findings.Add((token.SpanStart, new AsyncFinding(rule, position.Line + 1, position.Character + 1)));
        }

        foreach (var node in root.DescendantNodes())
        {
            switch (node)
            {
                case MethodDeclarationSyntax or LocalFunctionStatementSyntax when IsAsyncVoid(model, node):
                    Report(AsyncRules.AsyncVoid, node is MethodDeclarationSyntax method
                        ? method.Identifier
                        : ((LocalFunctionStatementSyntax)node).Identifier);
                    break;
                case AnonymousFunctionExpressionSyntax { AsyncKeyword.RawKind: (int)SyntaxKind.AsyncKeyword } lambda
                    when model.GetTypeInfo(lambda).ConvertedType is INamedTypeSymbol { DelegateInvokeMethod.ReturnsVoid: true }:
                    Report(AsyncRules.AsyncVoid, lambda.AsyncKeyword);
                    break;
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } access
                    when model.GetSymbolInfo(access).Symbol is IPropertySymbol { ContainingType: var owner } && IsTask(owner):
                    Report(AsyncRules.BlockingResult, access.Name.Identifier);
                    break;
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
                    when model.GetSymbolInfo(node).Symbol is IMethodSymbol called && IsBlockingWait(called):
                    Report(AsyncRules.BlockingWait, access.Name.Identifier);
                    break;
            }
        }
        return findings.OrderBy(f => f.Position).Select(f => f.Finding).ToList();
    }

    /// <summary>A compilation of one file against the .NET 10 reference assemblies, for its semantic model.</summary>
    internal static SemanticModel SemanticModelFor(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Scanned", [tree], Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetSemanticModel(tree);
    }

    /// <summary>An async method or local function returning void that is not an (object, EventArgs) handler.</summary>
    internal static bool IsAsyncVoid(SemanticModel model, SyntaxNode declaration)
    {
        if (model.GetDeclaredSymbol(declaration) is not IMethodSymbol { IsAsync: true, ReturnsVoid: true } method)
        {
            return false;
        }
        var eventArgs = model.Compilation.GetTypeByMetadataName("System.EventArgs");
        var isEventHandler = method.Parameters.Length == 2 &&
                             method.Parameters[0].Type.SpecialType == SpecialType.System_Object &&
                             InheritsFrom(method.Parameters[1].Type, eventArgs);
        return !isEventHandler;
    }

    private static bool InheritsFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
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

    private static bool IsTask(INamedTypeSymbol type) =>
        type.ContainingNamespace.ToDisplayString() == "System.Threading.Tasks" &&
        type.Name is "Task" or "ValueTask";

    private static bool IsBlockingWait(IMethodSymbol method)
    {
        var owner = method.ContainingType;
        if (owner.ContainingNamespace.ToDisplayString() == "System.Threading.Tasks" && owner.Name == "Task")
        {
            return method.Name is "Wait" or "WaitAll" or "WaitAny";
        }
        // task.GetAwaiter().GetResult(): the awaiters live in System.Runtime.CompilerServices.
        return method.Name == "GetResult" &&
               owner.ContainingNamespace.ToDisplayString() == "System.Runtime.CompilerServices" &&
               owner.Name is "TaskAwaiter" or "ValueTaskAwaiter" or "ConfiguredTaskAwaiter" or "ConfiguredValueTaskAwaiter";
    }
}
