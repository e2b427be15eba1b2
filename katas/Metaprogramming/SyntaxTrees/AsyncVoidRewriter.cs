namespace Koans.Metaprogramming.SyntaxTrees;

/// <summary>
/// Kata metaprogramming.syntax-trees, part 2: fix <c>async void</c> methods by rewriting the syntax tree, leaving every
/// other character of the file exactly as it was: comments, blank lines, odd spacing, tabs, line endings,
/// <c>#region</c>s, disabled <c>#if</c> code.
/// </summary>
/// <remarks>
/// <para>Every method and local function that <see cref="AsyncSmellFinder"/> reports as
/// <see cref="AsyncRules.AsyncVoid"/> gets the return type <c>Task</c> instead of <c>void</c> (lambdas are left alone:
/// their delegate type is decided elsewhere). Where <c>Task</c> would not mean
/// <c>System.Threading.Tasks.Task</c> at that point of the file (no <c>using System.Threading.Tasks;</c>), write
/// <c>System.Threading.Tasks.Task</c>. Whatever surrounded the word <c>void</c> (the comment before it, the three
/// spaces after it) surrounds the new return type. A file with nothing to fix comes back identical.</para>
/// <para>Formatters and "fix all" tools are judged by their diffs: a rewrite that reformats the file, or drops one
/// comment, will not be accepted by anyone reviewing it.</para>
/// </remarks>
public static class AsyncVoidRewriter
{
    /// <summary><paramref name="source"/> with its <c>async void</c> methods returning <c>Task</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static string Rewrite(string source) => throw new NotImplementedException();
}
