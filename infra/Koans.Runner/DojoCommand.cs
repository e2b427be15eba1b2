using System.CommandLine;
using System.Threading.Channels;

namespace Koans.Runner;

/// <summary>
/// `dojo <kata> [--rotate 5m] [--reset]`: the command-line shape and the checks before the screen takes over (the turn's
/// length, the kata, the terminal's size, the reset's confirmation). The loop is <see cref="Dojo"/>.
/// </summary>
public static class DojoCommand
{
    public const string DefaultTurn = "5m";

    public static Command Create(Commands commands, Ui ui, Argument<string> kata, Func<Func<Task<int>>, Task<int>> guard)
    {
        var rotate = new Option<string>("--rotate") { Description = "How long each driver types before the next takes over: 5m, 90s, 2m30s.", DefaultValueFactory = _ => DefaultTurn };
        var reset = new Option<bool>("--reset") { Description = "Start from the original stub (asks first; keeps a backup of the current code)." };
        var dojo = new Command("dojo", "For a coding dojo on a projector: large red/green status on every save, the failing test, a driver countdown. Keys: n next driver, r re-test, q quit.")
        {
            kata, rotate, reset,
        };
        dojo.SetAction((result, ct) => guard(() =>
            RunAsync(commands, ui, result.GetValue(kata)!, result.GetValue(rotate) ?? DefaultTurn, result.GetValue(reset), TerminalSize, null, ct)));
        return dojo;
    }

    /// <summary>Checks everything first (a bad --rotate, an unknown kata, a small terminal, a refused reset change nothing), then runs the dojo.</summary>
    public static async Task<int> RunAsync(
        Commands commands,
        Ui ui,
        string query,
        string rotate,
        bool reset,
        Func<(int Width, int Height)> size,
        Confirmation? confirmation,
        CancellationToken cancellationToken)
    {
        var turn = Rotation.ParseLength(rotate);
        var kata = Commands.Single(commands.LoadCatalog(), query, "dojo");
        var (width, height) = size();
        if (!DojoScreen.Fits(width, height))
        {
            throw new KoansException(DojoScreen.TooSmall(width, height));
        }

        if (reset)
        {
            var answer = await commands.ResetAsync(kata.Id, yes: false, cancellationToken, confirmation ?? Confirmation.Terminal(
                $"start the dojo from a terminal, or reset first with ./run-katas.sh reset {kata.Id} --yes."));
            if (answer != 0)
            {
                ui.Note($"The dojo did not start. Without --reset it starts on the current code: ./run-katas.sh dojo {kata.Id}");
                return answer;
            }
        }

        using var checkout = RunnerLock.Share(commands.Root, "dojo");
        var state = LearnerState.Load(commands.Root);
        var keys = Channel.CreateUnbounded<char>();
        KeyboardInput.Start(key => keys.Writer.TryWrite(key), "dojo keys", cancellationToken);
        var terminal = !Console.IsOutputRedirected;
        string? seen = null;
        var devices = new DojoDevices(
            size,
            frame => Console.Out.Write(terminal ? "\e[H\e[2J" + frame : frame + "\n\n"),
            keys.Reader,
            TimeProvider.System,
            async (k, ct) =>
            {
                seen = KataChanges.Snapshot(k); // what this run tests: a save from now on is a change
                var run = await commands.TestAsync(k, "dojo", ct);
                state.Record(run);
                commands.Save(state);
                return run;
            },
            (k, ct) => KataChanges.WaitAsync(k, seen, ct),
            Colour: !ui.Plain);
        if (terminal)
        {
            Console.Out.Write("\e[?25l"); // no blinking cursor on the projector
        }

        try
        {
            return await new Dojo(commands.Root, devices).RunAsync(kata, turn, cancellationToken);
        }
        finally
        {
            if (terminal)
            {
                Console.Out.Write("\e[?25h\n");
            }
        }
    }

    /// <summary>The terminal's size; 80×24 when the output is not a terminal (a log, a pipe).</summary>
    private static (int Width, int Height) TerminalSize()
    {
        if (Console.IsOutputRedirected)
        {
            return (DojoScreen.MinimumWidth, DojoScreen.MinimumHeight);
        }

        try
        {
            return (Console.WindowWidth, Console.WindowHeight);
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return (DojoScreen.MinimumWidth, DojoScreen.MinimumHeight);
        }
    }
}
