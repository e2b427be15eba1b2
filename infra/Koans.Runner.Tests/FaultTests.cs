using System.Collections.Concurrent;
using System.Diagnostics;

namespace Koans.Runner.Tests;

/// <summary>
/// The faults a learner met (issue 10), each reproduced on a temp tree: a hung test stopped by Ctrl-C, by q, by the
/// timeout and by the runner's own crash; watch beside other commands; tampered tests; crashes; a state folder that
/// cannot be written; output without end. Killed processes are checked by pid, with a bounded poll.
/// </summary>
public class FaultTests(FaultTree tree) : IClassFixture<FaultTree>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Ctrl_C_during_a_hung_test_stops_it_and_every_process_it_started()
    {
        using var runner = RunnerProcess.Start(tree.Root, ["run", "demo.spin"], ("SPIN_NAME", "ctrl-c"));
        var pids = tree.WaitForPids("ctrl-c", runner.Process);

        FaultTree.Run(tree.Root, "kill", "-INT", runner.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        runner.ShouldExitWith(130, "Ctrl-C stops the runner as 'Stopped.'");
        FaultTree.ShouldAllBeGone(pids, "Ctrl-C kills the test process and the child it started, not only the runner");
    }

    [Fact]
    public void An_unhandled_exception_in_the_runner_still_kills_the_test_process_and_its_children()
    {
        var pidFile = Path.Combine(tree.Root, "pids", "crash");
        using var runner = RunnerProcess.Start(tree.Root, ["run", "demo.spin"], ("SPIN_NAME", "crash"), ("KOANS_FAULT_CRASH_WHEN_EXISTS", pidFile));
        var pids = tree.WaitForPids("crash", runner.Process);

        runner.WaitForExit().Should().NotBe(0, "the injected exception crashes the runner");
        runner.Output.Should().Contain("fault injected");
        FaultTree.ShouldAllBeGone(pids, "the runner's last act, even when it crashes, is to kill what it started");
    }

    [Fact]
    public void Q_in_watch_stops_a_hung_test_at_once_and_every_process_it_started()
    {
        using var runner = RunnerProcess.Start(tree.Root, ["watch", "demo.spin"], ("SPIN_NAME", "q"));
        var pids = tree.WaitForPids("q", runner.Process);

        runner.Send("q");

        runner.WaitForExit().Should().Be(0, "q is read while the test runs, not after the kata's time limit");
        runner.Output.Should().NotContain("timed out");
        FaultTree.ShouldAllBeGone(pids, "q kills the hung test process and its child");
    }

    [Fact]
    public async Task A_timeout_names_the_hung_test_keeps_the_finished_verdicts_and_leaves_no_process_behind()
    {
        var output = new StringWriter();
        var commands = new Commands(tree.Root, new Ui(output));

        (await commands.RunAsync("demo.hang", null, Ct)).Should().Be(1);

        var text = output.ToString();
        text.Should().Contain("timed out after 20 s while running \"Forever returns\": an infinite loop or a deadlock in demo.hang?",
            "xunit's long-running report (every 5 s here) names the test the kata was stopped in");
        text.Should().Contain("Before that, 1 passed and 1 failed", "the verdicts of the tests that finished are kept");
        text.Should().Contain("Failing test: Add subtracts by mistake").And.Contain("this test fails before the hang");
        FaultTree.ShouldAllBeGone(tree.WaitForPids("hang"), "the timeout kills the test process and the child it started");
    }

    [Fact]
    public async Task An_idle_watch_blocks_no_other_command_and_verify_says_where_to_press_q()
    {
        using var watch = RunnerProcess.Start(tree.Root, ["watch", "demo.solved"]);
        watch.WaitForLine(l => l.StartsWith("verdict demo.solved: passed", StringComparison.Ordinal));
        watch.WaitForLine(l => l.Contains("Still watching demo.solved", StringComparison.Ordinal));

        var output = new StringWriter();
        var commands = new Commands(tree.Root, new Ui(output));
        (await commands.RunAsync("demo.solved", null, Ct)).Should().Be(0, "run works beside an idle watch, on the very kata it watches");
        (await commands.RunAsync("demo.answer", null, Ct)).Should().Be(1, "and on another kata");
        var verify = () => new Verify(tree.Root, new Ui(new StringWriter())).RunAsync(new VerifyOptions([Track.Katas], null, "demo.solved", false), Ct);
        (await verify.Should().ThrowAsync<KoansException>()).WithMessage($"watch is running in another terminal (pid {watch.Process.Id}): press q there*");

        watch.Send("q");
        watch.WaitForExit().Should().Be(0);
        watch.Output.Should().NotContain("On to the next kata", "watch <kata> stays on the kata it was given, even when it passes");
    }

    [Fact]
    public void Watch_says_the_stub_is_missing_until_it_comes_back()
    {
        var stub = Path.Combine(tree.Root, "katas/Demo/Solved/Oracle.cs");
        var content = File.ReadAllText(stub);
        using var watch = RunnerProcess.Start(tree.Root, ["watch", "demo.solved"]);
        try
        {
            watch.WaitForLine(l => l.StartsWith("verdict demo.solved: passed", StringComparison.Ordinal));

            File.Delete(stub);
            watch.WaitForLine(l => l.StartsWith("verdict demo.solved: missing", StringComparison.Ordinal));
            watch.Output.Should().Contain("katas/Demo/Solved/Oracle.cs is missing: waiting for it to come back");

            File.WriteAllText(stub, content);
            watch.WaitForLine(l => l.StartsWith("verdict demo.solved: passed", StringComparison.Ordinal), occurrence: 2);
        }
        finally
        {
            File.WriteAllText(stub, content);
            watch.Send("q");
        }

        watch.WaitForExit().Should().Be(0);
        watch.Output.Should().NotContain("does not compile", "a missing file is said as such, not as an old or a fresh compile error");
    }

    [Fact]
    public async Task A_tampered_test_file_is_named_on_every_run_and_never_unlocks_the_solution()
    {
        var tests = Path.Combine(tree.Root, "katas/Demo/Answer/OracleTests.cs");
        var published = File.ReadAllText(tests);
        File.WriteAllText(tests, "namespace Koans.Demo.Answer;\npublic class OracleTests { [Fact] public void Nothing() { } }\n");
        try
        {
            var output = new StringWriter();
            var commands = new Commands(tree.Root, new Ui(output));
            for (var run = 1; run <= 2; run++)
            {
                output.GetStringBuilder().Clear();
                (await commands.RunAsync("demo.answer", null, Ct)).Should().Be(1, "a pass against changed tests is not a pass");
                output.ToString().Should().Contain("katas/Demo/Answer/OracleTests.cs differs from the published tests (infra/katas.lock)", $"run {run} says so too");
            }

            var solution = () => commands.SolutionAsync("demo.answer", mentor: false, Ct);
            await solution.Should().ThrowAsync<KoansException>().WithMessage("The reference for demo.answer opens only when the published tests pass*git checkout*");

            var contributor = new Commands(tree.Root, new Ui(new StringWriter()), checkPublishedTests: false);
            (await contributor.RunAsync("demo.answer", null, Ct)).Should().Be(0, "KOANS_ALLOW_TEST_CHANGES=1 (a contributor editing tests) turns the check off");
        }
        finally
        {
            File.WriteAllText(tests, published);
            File.Delete(Path.Combine(tree.Root, ".koans", "state.json"));
        }
    }

    [Fact]
    public async Task A_test_process_that_dies_is_explained_in_one_sentence()
    {
        var output = new StringWriter();
        var commands = new Commands(tree.Root, new Ui(output));

        await commands.RunAsync("demo.exits", null, Ct);
        await commands.RunAsync("demo.overflow", null, Ct);
        await commands.RunAsync("demo.killed", null, Ct);

        var text = output.ToString();
        text.Should().Contain("because katas/Demo/Exits/Quitter.cs:6 calls Environment.Exit, which ends the test process too");
        text.Should().Contain("died of a stack overflow in Koans.Demo.Overflow.Nesting.Depth(Int32) (katas/Demo/Overflow/Nesting.cs:4)");
        text.Should().NotContain("System.Reflection", "framework frames of the overflow are not shown");
        text.Should().Contain("was killed (SIGKILL, exit code 137), most often by the system because it ran out of memory");
        text.Should().NotContain("results:\n", "no sentence ends in a dangling colon");
    }

    [Fact]
    public async Task A_state_folder_that_cannot_be_written_still_shows_the_verdict_and_says_it_was_not_saved()
    {
        var state = Path.Combine(tree.Root, ".koans");
        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }

        // As root, permissions do not stop a write: a plain file where the folder should be does, for every user.
        File.WriteAllText(state, "not a folder");
        try
        {
            var output = new StringWriter();
            var commands = new Commands(tree.Root, new Ui(output));

            (await commands.RunAsync("demo.answer", null, Ct)).Should().Be(1, "the verdict is computed and reported");

            output.ToString().Should().Contain("Failing test: Answer is").And.Contain("Your progress could not be saved in .koans/state.json");
            output.ToString().Should().NotContain("internal error");
        }
        finally
        {
            File.Delete(state);
        }
    }

    [Fact]
    public async Task A_gigabyte_of_output_is_capped_to_its_head_and_tail()
    {
        var result = await ProcessRunner.RunAsync("sh", ["-c", "echo first line; head -c 1073741824 /dev/zero | tr '\\0' x; echo; echo last line"], tree.Root, TimeSpan.FromMinutes(5), Ct);

        result.ExitCode.Should().Be(0);
        result.Output.Length.Should().BeLessThan(ProcessRunner.HeadBytes + ProcessRunner.TailBytes + 200, "the runner keeps the head and the tail, never the gigabyte");
        result.Output.Should().StartWith("first line").And.EndWith("last line\n").And.Contain("bytes of output left out");
        result.OmittedBytes.Should().BeGreaterThan(1_000_000_000);
    }

    /// <summary>Whether GNU env can reset a signal to its default before it starts a program (coreutils 8.31 and later).</summary>
    private static class DefaultSigint
    {
        public static bool Available { get; } = Probe();

        private static bool Probe()
        {
            try
            {
                using var probe = Process.Start(new ProcessStartInfo("env", ["--default-signal=INT", "true"]) { RedirectStandardError = true })!;
                probe.WaitForExit();
                return probe.ExitCode == 0;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }
    }

    /// <summary>The runner as a real process (as ./run-katas.sh starts it), with its output collected line by line.</summary>
    private sealed class RunnerProcess : IDisposable
    {
        private readonly ConcurrentQueue<string> _lines = new();

        private RunnerProcess(Process process) => Process = process;

        public Process Process { get; }

        public string Output => string.Join('\n', _lines);

        public static RunnerProcess Start(string root, string[] arguments, params (string Name, string Value)[] environment)
        {
            // A command started in the background by a non-interactive shell (`./run-katas.sh verify &`, a CI step)
            // inherits SIGINT ignored, and .NET keeps an ignored SIGINT ignored (POSIX: a background job does not take
            // the terminal's Ctrl-C). The learner's runner is a foreground process, so this one gets SIGINT back.
            var start = new ProcessStartInfo(DefaultSigint.Available ? "env" : "dotnet")
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root,
            };
            if (DefaultSigint.Available)
            {
                start.ArgumentList.Add("--default-signal=INT");
                start.ArgumentList.Add("dotnet");
            }

            start.ArgumentList.Add(FaultTree.RunnerDll);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["KOANS_ROOT"] = root;
            start.Environment["NO_COLOR"] = "1";
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            var runner = new RunnerProcess(new Process { StartInfo = start });
            runner.Process.OutputDataReceived += (_, e) => runner.Add(e.Data);
            runner.Process.ErrorDataReceived += (_, e) => runner.Add(e.Data);
            runner.Process.Start();
            runner.Process.BeginOutputReadLine();
            runner.Process.BeginErrorReadLine();
            return runner;
        }

        private void Add(string? line)
        {
            if (line is not null)
            {
                _lines.Enqueue(line);
            }
        }

        public void Send(string keys)
        {
            Process.StandardInput.Write(keys);
            Process.StandardInput.Flush();
        }

        public void WaitForLine(Func<string, bool> match, int occurrence = 1)
        {
            for (var i = 0; i < 1800 && _lines.Count(match) < occurrence; i++)
            {
                if (Process.HasExited)
                {
                    break;
                }

                Thread.Sleep(100); // a bounded poll for the runner's output
            }

            _lines.Count(match).Should().BeGreaterThanOrEqualTo(occurrence, $"the runner prints the line (its output so far:\n{Output})");
        }

        public int WaitForExit()
        {
            Process.WaitForExit(TimeSpan.FromMinutes(2)).Should().BeTrue($"the runner ends (its output:\n{Output})");
            Process.WaitForExit();
            return Process.ExitCode;
        }

        /// <summary>The runner's exit code, checked with its output in the message, so a failure shows what it said.</summary>
        public void ShouldExitWith(int exitCode, string because) =>
            WaitForExit().Should().Be(exitCode, $"{because} (the runner's output:\n{Output})");

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }
    }
}
