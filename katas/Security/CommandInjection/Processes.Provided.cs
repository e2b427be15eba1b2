using System.Diagnostics;

namespace Koans.Security.CommandInjection;

/// <summary>What a finished child process left: its exit code and everything it wrote, decoded as UTF-8.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Provided: the one-liner that runs a command line through the shell, as <c>os.system</c> and
/// <c>subprocess.run(..., shell=True)</c> do, with the user's value "quoted" into it. The tests run every attack against
/// it first, to show the attack is real.
/// </summary>
public static class NaiveShell
{
    /// <summary>Runs <c>/bin/sh -c "&lt;commandLine&gt;"</c> and waits for it.</summary>
    public static ProcessResult Run(string commandLine)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, output, error.Result);
    }

    /// <summary>What the naive code builds for "print this user value": double quotes around it, and hope.</summary>
    public static string PrintCommand(string userValue) => $"printf '%s\\0' \"{userValue}\"";
}
