namespace Koans.Metaprogramming.SyntaxTrees;

/// <summary>One finding: which rule, and where (1-based line and column; a tab is one column).</summary>
public sealed record AsyncFinding(string Rule, int Line, int Column);

/// <summary>The rule names of <see cref="AsyncFinding.Rule"/>.</summary>
public static class AsyncRules
{
    /// <summary>An <c>async void</c> method, local function or lambda that is not an event handler.</summary>
    public const string AsyncVoid = "async-void";

    /// <summary><c>.Result</c> read on a <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
    public const string BlockingResult = "blocking-result";

    /// <summary><c>.Wait(...)</c> on a task, <c>Task.WaitAll</c>/<c>Task.WaitAny</c>, or <c>.GetAwaiter().GetResult()</c>.</summary>
    public const string BlockingWait = "blocking-wait";
}
