using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Koans.Runner;

/// <summary>The end of a child process. <paramref name="OmittedBytes"/> &gt; 0 when its output passed the cap.</summary>
public sealed record ProcessResult(int ExitCode, string Output, bool TimedOut, TimeSpan Elapsed, long OmittedBytes = 0);

/// <summary>
/// Runs a child process with a hard timeout. On Linux every child starts in a process group of its own (through
/// util-linux's setsid), so a hang is killed with everything it started, even what has been re-parented: on timeout,
/// on cancellation (Ctrl-C, `q` in watch), and when the runner itself ends, by an unhandled exception or a signal.
/// Output is captured up to a cap (the head and the tail are kept), so a test that writes gigabytes cannot exhaust
/// the runner's memory.
/// </summary>
public static class ProcessRunner
{
    public const int HeadBytes = 256 * 1024;
    public const int TailBytes = 256 * 1024;

    private const int SigKill = 9;

    /// <summary>Children still running, by process id: killed, with their groups, if the runner ends first.</summary>
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private static readonly string? Setsid = FindSetsid();
    private static readonly List<PosixSignalRegistration> SignalHandlers = [];

    /// <summary>
    /// Set by Ctrl-C and the other stop signals. The handler kills the children at once, so a child may be seen to exit
    /// before the command's cancellation token is: such an exit is the stop, not a crash of the kata.
    /// </summary>
    private static bool _stopping;

    static ProcessRunner()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillEverything();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillEverything();
        if (!OperatingSystem.IsWindows())
        {
            // Ctrl-C (SIGINT) ends the runner by the signal's default action, which runs no ProcessExit handler; nor do
            // a closed terminal (SIGHUP) or SIGQUIT. The children are killed first, then the default action goes on.
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
            {
                SignalHandlers.Add(PosixSignalRegistration.Create(signal, _ =>
                {
                    Volatile.Write(ref _stopping, true);
                    KillEverything();
                }));
            }
        }
    }

    /// <summary>True when children get a process group of their own (Linux with setsid on PATH).</summary>
    public static bool UsesProcessGroups => Setsid is not null;

    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        IDictionary<string, string>? environment = null,
        bool killLeftovers = false)
    {
        var start = new ProcessStartInfo(Setsid ?? fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (Setsid is not null)
        {
            // The child is not a group leader, so setsid execs it directly: its pid is the new group's id.
            start.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDTERMINALLOGGER"] = "off";
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        var output = new CappedOutput(HeadBytes, TailBytes);
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new KoansException($"Could not start {fileName}: {e.Message}. Is it installed and on PATH?");
        }

        Running[process.Id] = process;
        FaultInjection.AfterStart();
        try
        {
            process.StandardInput.Close();
            var readers = Task.WhenAll(
                CopyAsync(process.StandardOutput.BaseStream, output),
                CopyAsync(process.StandardError.BaseStream, output));

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var timedOut = false;
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                timedOut = !cancellationToken.IsCancellationRequested;
                Kill(process);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (Volatile.Read(ref _stopping))
            {
                Kill(process);
                throw new OperationCanceledException("The runner is stopping (Ctrl-C or a stop signal).");
            }

            if (killLeftovers)
            {
                // A test that started a server and forgot it: the group goes with the test run.
                KillGroup(process.Id);
            }

            // A grandchild that inherited the pipes (a compiler server, say) may keep them open: do not wait for it.
            await Task.WhenAny(readers, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
            var (text, omitted) = output.Snapshot();
            return new ProcessResult(timedOut ? -1 : process.ExitCode, text, timedOut, clock.Elapsed, omitted);
        }
        finally
        {
            Running.TryRemove(process.Id, out _);
        }
    }

    private static async Task CopyAsync(Stream stream, CappedOutput output)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                output.Append(buffer.AsSpan(0, read));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The process was killed or disposed mid-read: what was read is what there is.
        }
    }

    /// <summary>Kills a child and everything in its process group, or its process tree where there are no groups.</summary>
    private static void Kill(Process process)
    {
        KillGroup(process.Id);
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended on its own in the meantime.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private static void KillGroup(int groupId)
    {
        if (Setsid is not null)
        {
            _ = SendSignal(-groupId, SigKill);
        }
    }

    /// <summary>The runner is ending: nothing it started may outlive it.</summary>
    internal static void KillEverything()
    {
        foreach (var process in Running.Values)
        {
            try
            {
                Kill(process);
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                // Disposed or ended in the meantime.
            }
        }
    }

    private static string? FindSetsid()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("KOANS_NO_PROCESS_GROUPS") == "1")
        {
            return null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "setsid"))
            .FirstOrDefault(File.Exists);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>
    /// Keeps the first and the last bytes of a stream of output and counts what was left out between them.
    /// </summary>
    private sealed class CappedOutput(int headBytes, int tailBytes)
    {
        private readonly byte[] _head = new byte[headBytes];
        private readonly byte[] _tail = new byte[tailBytes];
        private int _headLength;
        private long _tailWritten;

        public void Append(ReadOnlySpan<byte> bytes)
        {
            lock (_head)
            {
                var toHead = Math.Min(bytes.Length, _head.Length - _headLength);
                bytes[..toHead].CopyTo(_head.AsSpan(_headLength));
                _headLength += toHead;
                var rest = bytes[toHead..];
                var skipped = Math.Max(0, rest.Length - _tail.Length);
                _tailWritten += skipped;
                rest = rest[skipped..];
                while (rest.Length > 0)
                {
                    var at = (int)(_tailWritten % _tail.Length);
                    var chunk = Math.Min(rest.Length, _tail.Length - at);
                    rest[..chunk].CopyTo(_tail.AsSpan(at));
                    _tailWritten += chunk;
                    rest = rest[chunk..];
                }
            }
        }

        public (string Text, long OmittedBytes) Snapshot()
        {
            lock (_head)
            {
                var head = Encoding.UTF8.GetString(_head, 0, _headLength);
                if (_tailWritten <= _tail.Length)
                {
                    return (head + Encoding.UTF8.GetString(_tail, 0, (int)_tailWritten), 0);
                }

                var start = (int)(_tailWritten % _tail.Length);
                var tail = Encoding.UTF8.GetString([.. _tail.AsSpan(start), .. _tail.AsSpan(0, start)]);
                var firstLine = tail.IndexOf('\n', StringComparison.Ordinal);
                tail = firstLine >= 0 ? tail[(firstLine + 1)..] : tail; // start at a whole line
                var omitted = _tailWritten - _tail.Length;
                return ($"{head}\n[… {omitted:N0} bytes of output left out …]\n{tail}", omitted);
            }
        }
    }
}

/// <summary>
/// For the runner's own tests only: KOANS_FAULT_CRASH_WHEN_EXISTS=&lt;file&gt; makes the runner throw an unhandled
/// exception on a thread of its own once that file exists (a test's pid file), while a child is running.
/// </summary>
internal static class FaultInjection
{
    private static int _armed;

    public static void AfterStart()
    {
        if (Environment.GetEnvironmentVariable("KOANS_FAULT_CRASH_WHEN_EXISTS") is not { Length: > 0 } file || Interlocked.Exchange(ref _armed, 1) == 1)
        {
            return;
        }

        new Thread(() =>
        {
            for (var i = 0; i < 1200 && !File.Exists(file); i++)
            {
                Thread.Sleep(50);
            }

            throw new InvalidOperationException("fault injected by KOANS_FAULT_CRASH_WHEN_EXISTS");
        }) { IsBackground = true }.Start();
    }
}
