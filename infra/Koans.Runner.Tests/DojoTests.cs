using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Koans.Runner.Tests;

/// <summary>dojo: the checks before the screen takes over, the screen itself, and the loop on a fake clock.</summary>
public class DojoTests
{
    private static readonly TimeSpan Turn = TimeSpan.FromMinutes(5);

    private static TestCase Passing(string method) => new($"Demo.StubTests.{method}", method, TestStatus.Passed);

    private static TestCase Failing(string method, string message) =>
        new($"Demo.StubTests.{method}", method, TestStatus.Failed, "Xunit.Sdk.XunitException", message);

    private static KataRun Red(Kata kata) =>
        new(kata, Track.Katas, KataState.Failed, [Passing("Answer_is_an_int"), Failing("Answer_is_42", "Expected 42, found 41."), Failing("Answer_is_stable", "Expected 42 twice.")], null, null, TimeSpan.Zero);

    private static KataRun Green(Kata kata) =>
        new(kata, Track.Katas, KataState.Passed, [Passing("Answer_is_an_int"), Passing("Answer_is_42"), Passing("Answer_is_stable")], null, null, TimeSpan.Zero);

    private static Task<int> Start(TempTree tree, StringWriter output, string kata = "demo.first", string rotate = "5m", bool reset = false,
        (int, int)? size = null, Confirmation? confirmation = null) =>
        DojoCommand.RunAsync(new Commands(tree.Root, new Ui(output)), new Ui(output), kata, rotate, reset, () => size ?? (80, 24), confirmation,
            TestContext.Current.CancellationToken);

    [Theory]
    [InlineData("5m", 300)]
    [InlineData("90s", 90)]
    [InlineData("2m30s", 150)]
    [InlineData("1h", 3600)]
    [InlineData(" 10s ", 10)]
    public void A_turn_length_reads_like_5m_or_2m30s(string text, int seconds) =>
        Rotation.ParseLength(text).Should().Be(TimeSpan.FromSeconds(seconds));

    [Theory]
    [InlineData("", "is not one")]
    [InlineData("5", "is not one")]
    [InlineData("five minutes", "is not one")]
    [InlineData("-5m", "is not one")]
    [InlineData("5m 30s", "is not one")]
    [InlineData("9s", "is shorter")]
    [InlineData("0m", "is shorter")]
    [InlineData("3h", "is longer")]
    [InlineData("999999h", "is longer")]
    public async Task A_bad_rotate_is_one_sentence_and_nothing_starts(string text, string why)
    {
        using var tree = TempTree.WithKatas("First");

        var start = () => Start(tree, new StringWriter(), rotate: text);

        (await start.Should().ThrowAsync<KoansException>()).Which.Message.Should()
            .StartWith("--rotate takes a turn's length such as 5m, 90s or 2m30s (between 10s and 2h)").And.EndWith(why + ".");
    }

    [Fact]
    public async Task A_kata_that_does_not_exist_or_a_section_is_one_sentence()
    {
        using var tree = TempTree.WithKatas("First", "Second");

        var unknown = () => Start(tree, new StringWriter(), kata: "frist");
        (await unknown.Should().ThrowAsync<KoansException>()).Which.Message.Should().Contain("no kata or section called 'frist'").And.Contain("demo.first");

        var section = () => Start(tree, new StringWriter(), kata: "demo");
        (await section.Should().ThrowAsync<KoansException>()).Which.Message.Should().StartWith("dojo takes one kata, and 'demo' is a section");
    }

    [Theory]
    [InlineData(79, 24)]
    [InlineData(80, 23)]
    [InlineData(0, 0)]
    public async Task A_terminal_smaller_than_80x24_is_one_sentence_not_a_crash(int width, int height)
    {
        using var tree = TempTree.WithKatas("First");

        var start = () => Start(tree, new StringWriter(), size: (width, height));

        (await start.Should().ThrowAsync<KoansException>()).Which.Message.Should()
            .Be($"dojo needs a terminal of at least 80×24 characters, and this one is {width}×{height}: enlarge the window (or make the font smaller) and it redraws.");
    }

    [Fact]
    public async Task Reset_is_refused_without_a_terminal_to_ask_on_and_when_the_host_says_no()
    {
        using var tree = TempTree.WithKatas("First");
        var output = new StringWriter();
        await new Commands(tree.Root, new Ui(output)).LockStubsAsync();
        TempTree.Git(tree.Root, "init", "-q");
        TempTree.Git(tree.Root, "add", "-A");
        TempTree.Git(tree.Root, "commit", "-qm", "published");
        const string work = "// the last group's work\n";
        tree.Write("katas/Demo/First/Stub.cs", work);
        var asked = new List<string>();

        var noTerminal = () => Start(tree, output, reset: true, confirmation: new Confirmation(false, q => { asked.Add(q); return true; }, "start the dojo from a terminal."));
        (await noTerminal.Should().ThrowAsync<KoansException>()).Which.Message.Should()
            .Be("reset would replace your work in katas/Demo/First/Stub.cs, and there is no terminal to ask on: start the dojo from a terminal.");
        asked.Should().BeEmpty("with no terminal nobody can answer, so nobody is asked");

        var declined = await Start(tree, output, reset: true, confirmation: new Confirmation(true, q => { asked.Add(q); return false; }, "unused"));

        declined.Should().Be(1);
        asked.Should().Equal(["Reset?"]);
        tree.Read("katas/Demo/First/Stub.cs").Should().Be(work, "a learner's work is never overwritten without a yes");
        output.ToString().Should().Contain("Nothing changed.").And.Contain("The dojo did not start. Without --reset it starts on the current code: ./run-katas.sh dojo demo.first");
    }

    [Fact]
    public async Task A_save_made_while_the_last_run_was_going_counts_as_a_change_at_once()
    {
        using var tree = TempTree.WithKatas("First");
        var kata = Catalog.Load(tree.Root).Katas.Single();
        var seen = KataChanges.Snapshot(kata); // taken when the run started
        tree.Write("katas/Demo/First/Stub.cs", "namespace Demo; public static class Stub { public static int Answer() => 41; }\n");

        var waiting = KataChanges.WaitAsync(kata, seen, TestContext.Current.CancellationToken);

        // No further save follows: the watcher alone would wait forever. The snapshot comparison must see the save.
        await waiting.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        waiting.IsCompletedSuccessfully.Should().BeTrue("a save between the run's start and the watcher's start is a change, not lost");
    }

    [Fact]
    public void The_screen_fits_80x24_with_the_status_the_count_the_failing_test_and_the_countdown()
    {
        using var tree = TempTree.WithKatas("First");
        var kata = Catalog.Load(tree.Root).Katas.Single();
        var rotation = new Rotation(new FakeTimeProvider(), Turn);

        var frame = DojoScreen.Render(new DojoView(kata, Red(kata), Testing: false, rotation), tree.Root, 80, 24, colour: false);

        var lines = frame.Split('\n');
        lines.Should().HaveCount(24, "the frame fills the terminal exactly, so nothing scrolls on a projector");
        lines.Should().OnlyContain(l => l.Length <= 80, "no line wraps in an 80-column terminal");
        lines[0].Should().StartWith("Koans dojo · demo.first · First").And.EndWith("driver 1 · 05:00 left");
        frame.Should().Contain("RED · 1 of 3 tests pass", "the count of tests passing so far is on the status band");
        frame.Should().Contain("Failing test: Answer is 42").And.Contain("Expected 42, found 41.");
        lines[^2].Should().Contain("05:00 left · then driver 2 takes the keyboard");
        lines[^1].Should().Contain("[n] next driver now").And.Contain("[q] quit");
        DojoScreen.Render(new DojoView(kata, Green(kata), false, rotation), tree.Root, 80, 24, false).Should().Contain("GREEN · all 3 tests pass");
        DojoScreen.Render(new DojoView(kata, null, true, rotation), tree.Root, 80, 24, false).Should().Contain("TESTING");
    }

    [Fact]
    public void A_larger_terminal_shows_more_of_the_message_and_a_smaller_one_gets_a_sentence()
    {
        using var tree = TempTree.WithKatas("First");
        var kata = Catalog.Load(tree.Root).Katas.Single();
        var longMessage = string.Join("\n", Enumerable.Range(1, 60).Select(i => $"line {i} of the assertion message"));
        var run = new KataRun(kata, Track.Katas, KataState.Failed, [Failing("Answer_is_42", longMessage)], null, null, TimeSpan.Zero);
        var view = new DojoView(kata, run, false, new Rotation(new FakeTimeProvider(), Turn));

        var small = DojoScreen.Render(view, tree.Root, 80, 24, false);
        var large = DojoScreen.Render(view, tree.Root, 160, 50, false);

        large.Split('\n').Should().HaveCount(50).And.OnlyContain(l => l.Length <= 160);
        large.Split('\n').Count(l => l.Contains("of the assertion message")).Should().BeGreaterThan(small.Split('\n').Count(l => l.Contains("of the assertion message")) + 20);
        small.Split('\n')[0].Length.Should().Be(80, "the header spans the width");
        large.Split('\n')[0].Length.Should().Be(160, "and scales with it");
        DojoScreen.Render(view, tree.Root, 60, 20, false).Should().StartWith("dojo needs a terminal of at least 80×24 characters, and this one is 60×20");
    }

    /// <summary>The loop with a fake clock, fake keys, fake saves and fake test runs: frames are read as they are drawn.</summary>
    private sealed class Session : IAsyncDisposable
    {
        private readonly Channel<string> _frames = Channel.CreateUnbounded<string>();

        public Session(Kata kata, string root, Func<Kata, CancellationToken, Task<KataRun>> test, CancellationToken? stop = null)
        {
            Devices = new DojoDevices(() => (80, 24), frame => _frames.Writer.TryWrite(frame), Keys.Reader, Clock, test,
                (_, ct) => Saves.Reader.ReadAsync(ct).AsTask(), Colour: false);
            Running = new Dojo(root, Devices).RunAsync(kata, Turn, stop ?? TestContext.Current.CancellationToken);
        }

        public FakeTimeProvider Clock { get; } = new();
        public Channel<char> Keys { get; } = Channel.CreateUnbounded<char>();
        public Channel<bool> Saves { get; } = Channel.CreateUnbounded<bool>();
        public DojoDevices Devices { get; }
        public Task<int> Running { get; }

        /// <summary>The next frame that says <paramref name="text"/>; a dojo that stops drawing fails by name instead of hanging.</summary>
        public async Task<string> Frame(string text)
        {
            using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            guard.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                while (true)
                {
                    var frame = await _frames.Reader.ReadAsync(guard.Token);
                    if (frame.Contains(text, StringComparison.Ordinal))
                    {
                        return frame;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"The dojo drew no frame saying '{text}' (is it stuck?).");
            }
        }

        public async ValueTask DisposeAsync()
        {
            Keys.Writer.TryWrite('q');
            await Running;
        }
    }

    [Fact]
    public async Task The_turn_ends_on_the_fake_clock_with_a_switch_driver_moment_and_n_switches_at_once()
    {
        using var tree = TempTree.WithKatas("First");
        var kata = Catalog.Load(tree.Root).Katas.Single();
        await using var session = new Session(kata, tree.Root, (k, _) => Task.FromResult(Red(k)));
        await session.Frame("driver 1 · 05:00 left");

        session.Clock.Advance(TimeSpan.FromSeconds(299));
        var lastSecond = await session.Frame("00:01 left");
        lastSecond.Should().Contain("driver 1 ·").And.NotContain("SWITCH DRIVER", "the turn is not over yet");

        session.Clock.Advance(TimeSpan.FromSeconds(1));
        var switching = await session.Frame("SWITCH DRIVER");
        switching.Should().Contain("SWITCH DRIVER: driver 2, take the keyboard").And.Contain("driver 2 · 05:00 left", "the new driver gets a whole turn");
        switching.Should().Contain("RED · 1 of 3 tests pass", "the status stays on screen through the switch");

        session.Clock.Advance(Rotation.Banner);
        var after = await session.Frame("04:45 left");
        after.Should().NotContain("SWITCH DRIVER", "the banner comes down after a moment").And.Contain("driver 2 ·");

        session.Keys.Writer.TryWrite('n');
        (await session.Frame("SWITCH DRIVER: driver 3")).Should().Contain("driver 3 · 05:00 left", "n hands over at once, with a whole turn");
    }

    [Fact]
    public async Task A_save_re_tests_and_the_screen_turns_green()
    {
        using var tree = TempTree.WithKatas("First");
        var kata = Catalog.Load(tree.Root).Katas.Single();
        var runs = 0;
        await using var session = new Session(kata, tree.Root, (k, _) => Task.FromResult(++runs == 1 ? Red(k) : Green(k)));
        await session.Frame("RED · 1 of 3 tests pass");

        session.Saves.Writer.TryWrite(true);

        await session.Frame("GREEN · all 3 tests pass");
        runs.Should().Be(2, "one save, one test run");
    }

    [Fact]
    public async Task Q_during_a_test_run_stops_the_run_and_the_dojo_at_once()
    {
        using var tree = TempTree.WithKatas("First");
        var kata = Catalog.Load(tree.Root).Katas.Single();
        var cancelled = new TaskCompletionSource();
        var session = new Session(kata, tree.Root, async (_, ct) =>
        {
            // A test run that never ends by itself (a hung test): only cancellation stops it.
            await using var registration = ct.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        await session.Frame("TESTING");

        session.Keys.Writer.TryWrite('q');

        (await session.Running).Should().Be(0);
        cancelled.Task.IsCompleted.Should().BeTrue("q cancels the test run in progress, which kills its process tree");
    }

    [Fact]
    public async Task Ctrl_c_stops_the_dojo_with_its_test_run_instead_of_spinning()
    {
        using var tree = TempTree.WithKatas("First");
        var kata = Catalog.Load(tree.Root).Katas.Single();
        using var ctrlC = new CancellationTokenSource();
        var session = new Session(kata, tree.Root, (k, _) => Task.FromResult(Red(k)), ctrlC.Token);
        await session.Frame("RED · 1 of 3 tests pass");

        await ctrlC.CancelAsync();

        var stopped = () => session.Running;
        await stopped.Should().ThrowAsync<OperationCanceledException>("Ctrl+C ends the dojo, and the runner says Stopped.");
    }
}
