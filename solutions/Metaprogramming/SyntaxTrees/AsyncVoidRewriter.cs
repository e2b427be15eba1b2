using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Koans.Metaprogramming.SyntaxTrees;

/// <summary>Rewrites async void methods to return Task, keeping all other trivia byte for byte.</summary>
public static class AsyncVoidRewriter
{
    /// <summary><paramref name="source"/> with its <c>async void</c> methods returning <c>Task</c>.</summary>
    public static string Rewrite(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var model = AsyncSmellFinder.SemanticModelFor(source);
        // ToFullString, not ToString: the full string includes the leading trivia of the first token and the trailing
        // trivia of the last one. A parsed tree round-trips its text exactly; only replaced tokens differ.
        return new Rewriter(model).Visit(model.SyntaxTree.GetRoot()).ToFullString();
    }

    private sealed class Rewriter(SemanticModel model) : CSharpSyntaxRewriter
    {
        private readonly INamedTypeSymbol? _task = model.Compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");

        public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
        {
            // Ask the semantic model about the ORIGINAL node (it knows nothing of rewritten ones), then visit the
            // children so local functions inside are rewritten too, then replace the return type.
            var rewrite = AsyncSmellFinder.IsAsyncVoid(model, node);
            var visited = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
            return rewrite ? visited.WithReturnType(TaskType(node.ReturnType)) : visited;
        }

        public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
        {
            var rewrite = AsyncSmellFinder.IsAsyncVoid(model, node);
            var visited = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
            return rewrite ? visited.WithReturnType(TaskType(node.ReturnType)) : visited;
        }

        private TypeSyntax TaskType(TypeSyntax voidType)
        {
            // Does the simple name Task mean System.Threading.Tasks.Task here? Ask the binder at this position.
            var bound = model.LookupNamespacesAndTypes(voidType.SpanStart, name: "Task")
                .Any(symbol => SymbolEqualityComparer.Default.Equals(symbol, _task));
            var type = bound
                ? SyntaxFactory.IdentifierName("Task")
                : SyntaxFactory.ParseTypeName("System.Threading.Tasks.Task");
            // The comment before 'void' and the spaces after it now belong to the new type.
            return type.WithTriviaFrom(voidType);
        }
    }
}
