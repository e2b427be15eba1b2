namespace Koans.Metaprogramming.SyntaxTrees;

/// <summary>
/// Kata metaprogramming.syntax-trees, part 1: find async code that will hurt, the C# counterpart of walking Python's
/// <c>ast</c> with a <c>NodeVisitor</c>.
/// </summary>
/// <remarks>
/// <para>Parse the source with Roslyn and compile it in memory against the real .NET 10 reference assemblies (the
/// Basic.Reference.Assemblies.Net100 package), so you can ask what a name <em>is</em>: a <c>.Result</c> on a
/// <c>Task&lt;int&gt;</c> blocks a thread, a <c>.Result</c> on your own class does not. The source does not have to
/// compile cleanly. Text in comments and strings is never code.</para>
/// <para>Report, ordered by position:</para>
/// <list type="bullet">
/// <item><description><see cref="AsyncRules.AsyncVoid"/>: a method or local function with the <c>async</c> modifier that
/// returns <c>void</c>, at its name; and an <c>async</c> lambda or anonymous method converted to a delegate that returns
/// <c>void</c> (<c>list.ForEach(async x =&gt; ...)</c>), at its <c>async</c> keyword. Exception: event handlers, methods
/// whose two parameters are an <c>object</c> and a <c>System.EventArgs</c> (or a type derived from it); UI frameworks
/// require <c>void</c> there.</description></item>
/// <item><description><see cref="AsyncRules.BlockingResult"/>: reading <c>Result</c> of a
/// <c>System.Threading.Tasks.Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>, at the word <c>Result</c>.</description></item>
/// <item><description><see cref="AsyncRules.BlockingWait"/>: calling <c>Wait</c> on a <c>Task</c> (any overload), the
/// static <c>Task.WaitAll</c> or <c>Task.WaitAny</c>, or <c>GetResult()</c> on the awaiter of a task or value task, at
/// the method's name.</description></item>
/// </list>
/// <para>Why: an exception thrown in an <c>async void</c> method cannot be caught by its caller and crashes the process;
/// blocking on a task from a thread with a synchronization context (UI, classic ASP.NET) deadlocks, and everywhere else
/// it starves the thread pool.</para>
/// </remarks>
public static class AsyncSmellFinder
{
    /// <summary>The findings in <paramref name="source"/>, ordered by line and column.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static IReadOnlyList<AsyncFinding> Find(string source) => throw new NotImplementedException();
}
