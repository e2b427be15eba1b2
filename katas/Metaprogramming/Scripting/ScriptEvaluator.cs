namespace Koans.Metaprogramming.Scripting;

/// <summary>
/// Kata metaprogramming.scripting: evaluate small C# scripts (pricing rules written by an operator, say) with Roslyn's
/// scripting API, the C# counterpart of Python's <c>eval</c>/<c>exec</c>, and refuse scripts that reach for dangerous
/// APIs <em>before</em> they run.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description><b>Globals.</b> The script sees the members of <see cref="OrderGlobals"/> as variables:
/// <c>Price * Quantity - await LookupDiscountAsync(Customer)</c>. Its last expression, converted to
/// <typeparamref name="T"/>, is the result.</description></item>
/// <item><description><b>Imports.</b> Exactly <c>System</c>, <c>System.Linq</c> and <c>System.Collections.Generic</c>
/// are imported; every other namespace must be written out. References: the <c>System.*</c> assemblies of the shared
/// framework the process runs on and this assembly, for the globals; nothing else (the shared framework also holds
/// assemblies whose file APIs live in namespaces the list below does not name). <c>#r</c> and <c>#load</c> directives
/// resolve nothing: a script must not pull in assemblies or files of its choosing.</description></item>
/// <item><description><b>Compile errors</b> throw Roslyn scripting's <c>CompilationErrorException</c>.</description></item>
/// <item><description><b>Forbidden APIs.</b> Before running, look at what every piece of the script's code actually
/// refers to, after name lookup (aliases, <c>using static</c>, <c>var</c> and method groups resolve to the real thing;
/// text matching does not), and at the type of every expression. If any of them is in, or is a member of a type in,
/// the namespaces <c>System.IO</c>, <c>System.Diagnostics</c>, <c>System.Reflection</c>, <c>System.Runtime</c>,
/// <c>System.Net</c>, <c>System.Security</c>, <c>System.Linq.Expressions</c>, <c>Microsoft.Win32</c> (each with
/// everything below it), <c>System.Threading</c> (but not <c>System.Threading.Tasks</c>), or is one of the types
/// <c>System.Type</c>, <c>System.Activator</c>, <c>System.AppDomain</c>, <c>System.AppContext</c>,
/// <c>System.Environment</c>, <c>System.GC</c>, or is <c>object.GetType()</c>, or is <c>dynamic</c> (which would
/// defer binding past this check), throw <see cref="ScriptRejectedException"/> for the first such place in the
/// source (1-based line and column of where it starts). A rejected script never runs. Names that merely look
/// dangerous (a local function called <c>Delete</c>, the text "System.IO" in a string) are fine.</description></item>
/// <item><description><b>Cache.</b> Roslyn compiles every new script into a new assembly and can never unload it.
/// Compile each distinct script once, keep the compiled delegate, and run that with each call's globals: evaluating
/// the same script 200 times must not load 200 assemblies. A script compiled for one result type is a different
/// script from the same text compiled for another. Calls may come from several threads at once.</description></item>
/// <item><description><b>Cancellation.</b> An already-cancelled token throws <see cref="OperationCanceledException"/>
/// without compiling, checking or running anything. Cancelling while the script awaits completes the returned task as cancelled at once.
/// (The script itself keeps running until it next yields: cancellation is cooperative, which is one reason this is no
/// sandbox.)</description></item>
/// </list>
/// </remarks>
public sealed class ScriptEvaluator
{
    /// <summary>Evaluates <paramref name="code"/> with <paramref name="globals"/> and returns its result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> or <paramref name="globals"/> is null.</exception>
    /// <exception cref="ScriptRejectedException">The script uses a forbidden API; it was not run.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<T> EvaluateAsync<T>(string code, OrderGlobals globals, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
