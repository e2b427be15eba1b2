using System.Diagnostics;

namespace Koans.Runner;

/// <summary>
/// Who may build what at the same time, with OS file locks in artifacts/locks/ (released by the OS if a runner dies).
/// Learner commands (the path, run, watch, solution, reset) share the checkout, and take a kata's own lock only while
/// they build and test that kata: an idle watch blocks nobody, and two commands on one kata take turns. Commands that
/// rebuild everything (verify, lock) need the checkout to themselves, and name what they wait for.
/// </summary>
public sealed class RunnerLock : IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(100);
    private readonly FileStream _stream;
    private readonly string? _holderFile;

    private RunnerLock(FileStream stream, string? holderFile)
    {
        _stream = stream;
        _holderFile = holderFile;
    }

    public static string Directory(string root) => Path.Combine(root, "artifacts", "locks");

    private static string CheckoutLock(string root) => Path.Combine(Directory(root), "checkout.lock");

    private static string HoldersDirectory(string root) => Path.Combine(Directory(root), "holders");

    /// <summary>The checkout to this command alone (verify, lock): fails with a sentence naming who holds it.</summary>
    public static RunnerLock Acquire(string root, string command = "this command")
    {
        var stream = TryOpen(root, CheckoutLock(root), exclusive: true)
                     ?? throw new KoansException(BusyMessage(root, command));
        return new RunnerLock(stream, WriteHolder(root, "holders", command));
    }

    /// <summary>The checkout shared with other learner commands; fails only while verify or lock has it.</summary>
    public static RunnerLock Share(string root, string command)
    {
        var stream = TryOpen(root, CheckoutLock(root), exclusive: false);
        if (stream is null)
        {
            var holder = Holders(root).FirstOrDefault();
            throw new KoansException(
                $"./run-katas.sh {holder.Command ?? "verify"}{(holder.Pid is { } pid ? $" (pid {pid})" : "")} is rebuilding every kata in this checkout: wait for it to finish, then try again.");
        }

        return new RunnerLock(stream, WriteHolder(root, "holders", command));
    }

    /// <summary>One kata, while it is built and tested; waits (saying for whom) while another command has it.</summary>
    public static async Task<RunnerLock> ForKataAsync(string root, Kata kata, string command, Action<string>? note, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Directory(root), kata.Id + ".lock");
        var told = false;
        while (true)
        {
            if (TryOpen(root, path, exclusive: true) is { } stream)
            {
                var holder = path + ".holder";
                File.WriteAllText(holder, $"{Environment.ProcessId} {command}");
                return new RunnerLock(stream, holder);
            }

            if (!told)
            {
                told = true;
                var who = ReadHolder(path + ".holder");
                note?.Invoke(who is { } w
                    ? $"Waiting for ./run-katas.sh {w.Command} (pid {w.Pid}), which is testing {kata.Id} right now…"
                    : $"Waiting for another ./run-katas.sh, which is testing {kata.Id} right now…");
            }

            await Task.Delay(RetryInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string BusyMessage(string root, string command)
    {
        var holders = Holders(root).ToList();
        if (holders.FirstOrDefault(h => h.Command == "watch") is { Pid: { } watchPid })
        {
            return $"watch is running in another terminal (pid {watchPid}): press q there, then run {command} again.";
        }

        return holders.FirstOrDefault() is { Pid: { } pid, Command: { } other }
            ? $"Another ./run-katas.sh ({other}, pid {pid}) is using this checkout: wait for it to finish, or stop it, then run {command} again."
            : $"Another ./run-katas.sh is using this checkout: wait for it to finish, or stop it, then run {command} again.";
    }

    /// <summary>The processes holding the checkout now, from their holder files (files of dead processes are ignored).</summary>
    private static IEnumerable<(int? Pid, string? Command)> Holders(string root)
    {
        var directory = HoldersDirectory(root);
        if (!System.IO.Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            if (ReadHolder(file) is { } holder && holder.Pid != Environment.ProcessId && IsAlive(holder.Pid))
            {
                yield return holder;
            }
        }
    }

    private static (int? Pid, string? Command)? ReadHolder(string file)
    {
        try
        {
            var parts = File.ReadAllText(file).Trim().Split(' ', 2);
            return int.TryParse(parts[0], out var pid) ? (pid, parts.Length > 1 ? parts[1] : null) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsAlive(int? pid)
    {
        if (pid is not { } id)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(id);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string WriteHolder(string root, string folder, string command)
    {
        var directory = Path.Combine(Directory(root), folder);
        System.IO.Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.WriteAllText(file, $"{Environment.ProcessId} {command}");
        return file;
    }

    /// <summary>
    /// Opens the lock file with an exclusive (flock LOCK_EX) or shared (LOCK_SH) lock, as .NET does on Unix for
    /// FileShare.None and FileShare.Read; null when another process holds a conflicting lock.
    /// </summary>
    private static FileStream? TryOpen(string root, string path, bool exclusive)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory(root));
            return exclusive
                ? new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)
                : new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (UnauthorizedAccessException)
        {
            throw new KoansException($"The runner cannot write its lock files in {Path.GetRelativePath(root, Directory(root))}/ (permission denied): make the artifacts folder writable (chmod -R u+w artifacts), then try again.");
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        if (_holderFile is not null)
        {
            try
            {
                File.Delete(_holderFile);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
