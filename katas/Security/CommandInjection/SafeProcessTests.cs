using System.Diagnostics;

namespace Koans.Security.CommandInjection;

/// <summary>A temp directory for markers and victims, deleted afterwards.</summary>
public sealed class TempWorkspace : IDisposable
{
    public TempWorkspace()
    {
        Base = Directory.CreateTempSubdirectory("koans-cmd-").FullName;
        Victim = Directory.CreateDirectory(Path.Combine(Base, "victim")).FullName;
        File.WriteAllText(Path.Combine(Victim, "precious.txt"), "do not delete");
    }

    public string Base { get; }

    /// <summary>A directory an attack tries to delete with rm -rf.</summary>
    public string Victim { get; }

    /// <summary>A file an attack tries to create: its existence proves a second command ran.</summary>
    public string Marker => Path.Combine(Base, "pwned");

    public bool Attacked => File.Exists(Marker) || !Directory.Exists(Victim);

    public void Dispose() => Directory.Delete(Base, recursive: true);
}

public class SafeProcessTests
{
    private const string Printf = "/usr/bin/printf";
    private const string Shell = "/bin/sh";

    // Only a hang guard: a correct solution finishes at once; a deadlocked one fails by name instead of hanging the run.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private static async Task<T> Guarded<T>(Task<T> task, string whatHung)
    {
        try
        {
            return await task.WaitAsync(HangGuard, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException(whatHung);
        }
    }

    /// <summary>printf '%s\0' prints each argument it received followed by NUL: exactly what arrived, one by one.</summary>
    private static async Task<IReadOnlyList<string>> ArgumentsReceived(IReadOnlyList<string> arguments)
    {
        var result = await Guarded(SafeProcess.RunAsync(Printf, ["%s\\0", .. arguments], TestContext.Current.CancellationToken),
            "printf did not finish");
        result.ExitCode.Should().Be(0, result.StandardError);
        return result.StandardOutput.Split('\0')[..^1];
    }

    private static string[] Attacks(string marker, string victim) =>
    [
        $"$(touch {marker})",
        $"`touch {marker}`",
        $"\"; touch {marker}; echo \"",
        $"x\" && rm -rf {victim} && echo \"",
        $"x\"; rm -rf {victim} #",
    ];

    [Fact]
    public async Task Every_shell_metacharacter_attack_runs_a_second_command_in_the_naive_shell_and_arrives_as_text_in_the_safe_runner()
    {
        using var probe = new TempWorkspace();
        foreach (var attack in Attacks(probe.Marker, probe.Victim))
        {
            using (var naive = new TempWorkspace())
            {
                var naiveAttack = attack.Replace(probe.Base, naive.Base, StringComparison.Ordinal);
                NaiveShell.Run(NaiveShell.PrintCommand(naiveAttack));
                naive.Attacked.Should().BeTrue(
                    $"the shell parsed {naiveAttack} as code: double quotes do not stop $(), backticks, or a closing quote");
            }

            using var workspace = new TempWorkspace();
            var safeAttack = attack.Replace(probe.Base, workspace.Base, StringComparison.Ordinal);

            (await ArgumentsReceived([safeAttack])).Should().Equal([safeAttack], "the argument arrives as one string, byte for byte");
            workspace.Attacked.Should().BeFalse($"no second command ran for {safeAttack}");
        }
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("it's")]
    [InlineData("\"double\" quotes")]
    [InlineData("back\\slash\\")]
    [InlineData("*")]
    [InlineData("~")]
    [InlineData("$HOME")]
    [InlineData("--version")]
    [InlineData("line one\nline two")]
    [InlineData("ünïcödé ✓")]
    public async Task An_argument_arrives_exactly_as_given(string argument) =>
        (await ArgumentsReceived([argument])).Should().Equal([argument],
            "no shell means no word splitting, globbing, tilde or variable expansion, and no quote processing");

    [Fact]
    public async Task Several_arguments_arrive_separately_including_empty_ones()
    {
        string[] arguments = ["first", "", "third has spaces", ""];
        var joined = string.Join(' ', arguments);
        using var naive = Process.Start(new ProcessStartInfo(Printf, "%s\\0 " + joined) { RedirectStandardOutput = true })!;
        var naiveOutput = await naive.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await naive.WaitForExitAsync(TestContext.Current.CancellationToken);
        naiveOutput.Split('\0')[..^1].Should().Equal(["first", "third", "has", "spaces"],
            "a single Arguments string is split on spaces again by the child's runtime: empty arguments vanish, spaces split");

        (await ArgumentsReceived(arguments)).Should().Equal(arguments, "each list item is one argument, empty ones included");
    }

    [Theory]
    [InlineData("printf")]
    [InlineData("./printf")]
    [InlineData("bin/printf")]
    public async Task RunAsync_refuses_an_executable_that_is_not_an_absolute_path(string executable)
    {
        var act = () => SafeProcess.RunAsync(executable, ["x"], TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<ArgumentException>("a name is looked up on PATH (or the current directory), which an attacker may control");
    }

    [Fact]
    public async Task RunAsync_returns_a_failing_exit_code_and_standard_error_as_a_result()
    {
        var result = await Guarded(SafeProcess.RunAsync(Shell, ["-c", "echo out; echo oops >&2; exit 3"],
            TestContext.Current.CancellationToken), "the shell did not finish");

        result.Should().Be(new ProcessResult(3, "out\n", "oops\n"), "a non-zero exit is information for the caller, not an exception");
    }

    [Fact]
    public async Task RunAsync_reads_both_pipes_at_once_so_a_chatty_child_cannot_deadlock_it()
    {
        // 1 MiB on standard error before anything on standard output: far more than a 64 KiB pipe holds.
        var result = await Guarded(SafeProcess.RunAsync(Shell,
                ["-c", "head -c 1048576 /dev/zero | tr '\\000' e >&2; echo done"], TestContext.Current.CancellationToken),
            "RunAsync deadlocked: it waited on standard output while the child was blocked writing standard error");

        result.StandardOutput.Should().Be("done\n");
        result.StandardError.Should().HaveLength(1 << 20);
    }

    [Fact]
    public async Task RunAsync_kills_the_child_and_its_children_when_cancelled()
    {
        using var workspace = new TempWorkspace();
        var fifo = Path.Combine(workspace.Base, "started");
        using (var mkfifo = Process.Start("/usr/bin/mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        // A unique sleep duration names the grandchild in /proc. The shell starts it in the background, waits until the
        // forked child has become sleep (until then its command line is still the shell's), then says so through the
        // FIFO (a handshake, not a delay), then waits for it.
        var unique = $"{Random.Shared.Next(100_000, 999_999)}.{Random.Shared.Next(100_000, 999_999)}";
        using var cancellation = new CancellationTokenSource();
        var script = $"/usr/bin/sleep {unique} & until [ \"$(tr '\\0' ' ' < /proc/$!/cmdline)\" = '/usr/bin/sleep {unique} ' ]; do :; done; " +
                     $"echo started > '{fifo}'; wait";
        var run = SafeProcess.RunAsync(Shell, ["-c", script], cancellation.Token);
        (await Guarded(Task.Run(() => File.ReadAllText(fifo), TestContext.Current.CancellationToken), "the child never started"))
            .Should().Be("started\n");
        RunningWithArgument(unique).Should().BeTrue("the grandchild is running before we cancel");

        cancellation.Cancel();
        var act = async () => await Guarded(run, "RunAsync did not return after cancellation");

        await act.Should().ThrowAsync<OperationCanceledException>();
        RunningWithArgument(unique).Should().BeFalse(
            "cancelling kills the whole tree (Kill(entireProcessTree: true)) and waits for it; an orphaned sleep would run on");
    }

    private static bool RunningWithArgument(string argument) =>
        Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Any(d =>
            {
                try
                {
                    // Zombies (exited, not yet reaped) have an empty cmdline, so they do not count as running.
                    return File.ReadAllText(Path.Combine(d, "cmdline")).Split('\0').Contains(argument);
                }
                catch (IOException)
                {
                    return false; // the process exited while we looked
                }
                catch (UnauthorizedAccessException)
                {
                    return false;
                }
            });

    [Fact]
    public async Task RunAsync_gives_the_child_an_empty_closed_standard_input()
    {
        // cat copies standard input to standard output until end-of-file.
        var result = await Guarded(SafeProcess.RunAsync("/bin/cat", [], TestContext.Current.CancellationToken),
            "cat is still waiting for input: the child's standard input must be redirected and closed, or a program that " +
            "asks a question (a password prompt, 'overwrite? [y/N]') waits forever for a keyboard a server does not have");

        result.ExitCode.Should().Be(0);
        result.StandardOutput.Should().BeEmpty("nothing was written to its standard input: it reached end-of-file at once");
    }

    [Fact]
    public async Task RunAsync_refuses_null_arguments_by_name()
    {
        var ct = TestContext.Current.CancellationToken;

        await FluentActions.Awaiting(() => SafeProcess.RunAsync(null!, [], ct)).Should().ThrowAsync<ArgumentNullException>().WithParameterName("executablePath");
        await FluentActions.Awaiting(() => SafeProcess.RunAsync(Printf, null!, ct)).Should().ThrowAsync<ArgumentNullException>().WithParameterName("arguments");
    }

    [Fact]
    public async Task RunAsync_with_a_token_already_cancelled_starts_nothing()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        // The path does not exist: starting it would fail with another exception, so only a check before the start passes.
        await FluentActions.Awaiting(() => SafeProcess.RunAsync("/nonexistent/koans-tool", [], cancelled.Token))
            .Should().ThrowAsync<OperationCanceledException>("a request that was already cancelled starts no process at all");
    }

    [Fact]
    public async Task RunAsync_never_resumes_on_the_callers_synchronization_context()
    {
        var context = new Koans.Testing.CallerContext();

        var result = await Guarded(context.Run(() => SafeProcess.RunAsync(Printf, ["%s", "x"], TestContext.Current.CancellationToken)),
            "printf did not finish");

        result.StandardOutput.Should().Be("x");
        context.Posts.Should().Be(0,
            "library code called from a UI thread or a classic ASP.NET request must not queue its continuations back onto " +
            "that caller's context: when the caller blocks on the task (.Result), the continuation can never run (a deadlock)");
    }
}
