namespace Koans.Security.CommandInjection;

/// <summary>
/// Kata security.command-injection: run an external program with arguments that come from users, so that every
/// argument arrives at the program exactly as given and nothing else ever runs.
/// </summary>
/// <remarks>
/// <para>A command line is a little program in the shell's language: quotes, <c>;</c>, <c>&amp;&amp;</c>,
/// <c>$(...)</c>, backticks, globs and <c>~</c> all mean something there. No amount of quoting by hand makes a user's
/// value safe inside one, so no shell may see the arguments: the child must receive each argument as exactly the
/// string given, one argument per string, whatever characters it holds.</para>
/// <list type="bullet">
/// <item><description>The executable is an absolute path: a bare name is looked up on <c>PATH</c> (and, on Windows, in
/// the current directory first), which whoever controls the environment can point elsewhere.</description></item>
/// <item><description>Standard output and standard error are both captured and read at the same time: a child that fills
/// one pipe (64 KiB on Linux) while you wait on the other blocks forever.</description></item>
/// <item><description>Standard input is redirected and closed, so the child never waits for a keyboard.</description></item>
/// <item><description>When <c>cancellationToken</c> is cancelled, the child and its own children are killed, and the
/// method returns only after the child has exited, throwing <see cref="OperationCanceledException"/>.</description></item>
/// <item><description>A non-zero exit code is a result, not an exception.</description></item>
/// <item><description>A token cancelled before the call starts no process. As library code, the method never resumes on
/// the caller's <see cref="SynchronizationContext"/> (a UI thread, a classic ASP.NET request).</description></item>
/// </list>
/// </remarks>
public static class SafeProcess
{
    /// <summary>Runs <paramref name="executablePath"/> with exactly <paramref name="arguments"/> and waits for it to exit.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="executablePath"/> or <paramref name="arguments"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="executablePath"/> is not an absolute path.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the child was killed.</exception>
    public static Task<ProcessResult> RunAsync(string executablePath, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
