using System.Diagnostics;
using System.Text;

namespace Koans.Security.CommandInjection;

/// <summary>Reference solution for security.command-injection.</summary>
public static class SafeProcess
{
    public static async Task<ProcessResult> RunAsync(string executablePath, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executablePath);
        ArgumentNullException.ThrowIfNull(arguments);
        // Path.IsPathFullyQualified, not IsPathRooted: on Windows "\\tool.exe" is rooted but relative to the current drive.
        if (!Path.IsPathFullyQualified(executablePath))
        {
            throw new ArgumentException("The executable must be an absolute path, never looked up on PATH.", nameof(executablePath));
        }

        cancellationToken.ThrowIfCancellationRequested();

        var start = new ProcessStartInfo(executablePath)
        {
            // No shell: the OS starts the program itself (execve), so nothing parses the arguments on the way.
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        // ArgumentList, never Arguments: each item reaches the child's argv as one string (on Windows, .NET quotes it
        // by the rules CommandLineToArgvW undoes). A single Arguments string is re-split by the child.
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"'{executablePath}' did not start.");
        process.StandardInput.Close();

        // Both pipes drain concurrently from the start: a child blocked on a full stderr pipe never exits, so reading
        // stdout to the end first would wait forever.
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Kill the tree (a shell's background job survives a plain Kill) and wait until it is really gone, so the
            // caller never races a process it believes stopped.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return new ProcessResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
