using System.Diagnostics;
using System.Threading.Channels;

namespace Koans.Runner;

/// <summary>
/// `watch`: re-test the current kata on every save (<see cref="KataChanges"/> says when).
/// Keys: h hint, n next kata, r rerun, q quit (also read from a redirected stdin, one character each).
/// </summary>
public sealed class Watch(Commands commands, Ui ui)
{
    private string? _seen;

    private enum Signal
    {
        Changed,
        Hint,
        Next,
        Rerun,
        Quit,
    }

    public async Task<int> RunAsync(string? query, CancellationToken cancellationToken)
    {
        var root = commands.Root;
        var catalog = commands.LoadCatalog();
        var state = LearnerState.Load(root);
        // A named kata is watched until the learner says otherwise (a projector, one person typing); with no name,
        // watch follows the path and moves on when the current kata passes.
        var pinned = query is not null;
        var kata = query is null ? NextUnsolved(catalog, state, after: null) : Commands.Single(catalog, query, "watch");
        if (kata is null)
        {
            ui.Success("Every kata passes: nothing to watch.");
            return 0;
        }

        // Shared: an idle watch blocks no other command; each test run takes only its kata's lock.
        using var checkout = RunnerLock.Share(root, "watch");
        var signals = Channel.CreateUnbounded<Signal>();
        KeyboardInput.Start(key =>
        {
            Signal? signal = key switch
            {
                'h' => Signal.Hint,
                'n' => Signal.Next,
                'r' => Signal.Rerun,
                'q' => Signal.Quit,
                _ => null,
            };
            if (signal is { } s)
            {
                signals.Writer.TryWrite(s);
            }
        }, "watch keys", cancellationToken);

        ui.Note("Watching. Save a file to re-test; keys: [h]int, [n]ext kata, [r]erun, [q]uit (Ctrl+C quits too).");
        while (kata is not null && !cancellationToken.IsCancellationRequested)
        {
            var run = await TestAsync(kata, state, signals.Reader, cancellationToken);
            if (run is null)
            {
                return 0; // q during the run: the test process is already gone
            }

            if (run.Passed && !pinned)
            {
                ui.Success($"✓ {kata.Id} passes. On to the next kata.");
                kata = NextUnsolved(catalog, state, after: kata);
                continue;
            }

            if (run.Passed)
            {
                ui.Note($"Still watching {kata.Id}, as you asked: [n] moves on to the next kata, [q] quits.");
            }

            var next = await WaitForSignalAsync(kata, signals.Reader, cancellationToken);
            while (next == Signal.Hint)
            {
                await commands.HintAsync(kata.Id);
                next = await WaitForSignalAsync(kata, signals.Reader, cancellationToken);
            }

            if (next == Signal.Quit)
            {
                return 0;
            }

            if (next == Signal.Next)
            {
                pinned = false;
                kata = NextUnsolved(catalog, state, after: kata) ?? kata;
            }
        }

        if (kata is null)
        {
            ui.Success("Every kata passes. Well done.");
        }

        return 0;
    }

    /// <summary>One test run, stopped at once (with its test process) by q. Null when the learner quit.</summary>
    private async Task<KataRun?> TestAsync(Kata kata, LearnerState state, ChannelReader<Signal> keys, CancellationToken cancellationToken)
    {
        _seen = KataChanges.Snapshot(kata); // what this run tests: a save from now on is a change
        var clock = Stopwatch.StartNew();
        var root = commands.Root;
        if (StubLock.MissingStubs(root, kata) is [_, ..] missing)
        {
            // An editor that deletes, then writes: say what is missing rather than show an old verdict.
            ui.Line();
            ui.Rule($"{kata.Number}. {kata.Title}");
            ui.Problem($"✗ {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} missing: waiting for {(missing.Count == 1 ? "it" : "them")} to come back (./run-katas.sh reset {kata.Id} restores the original stub).");
            ui.Note($"verdict {kata.Id}: missing in {clock.Elapsed.TotalSeconds:0.00} s");
            return new KataRun(kata, Track.Katas, KataState.CompileError, [], null, "a stub file is missing", clock.Elapsed);
        }

        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var keyWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var test = commands.TestAsync(kata, "watch", run.Token);
        while (!test.IsCompleted)
        {
            var key = keys.WaitToReadAsync(keyWait.Token).AsTask();
            if (await Task.WhenAny(test, key) == test)
            {
                break;
            }

            if (keys.TryPeek(out var signal) && signal == Signal.Quit)
            {
                await run.CancelAsync();
                try
                {
                    await test;
                }
                catch (OperationCanceledException)
                {
                }

                ui.Note("Stopped.");
                return null;
            }

            keys.TryRead(out _); // h, n and r mean nothing until the verdict is shown
        }

        await keyWait.CancelAsync();
        var result = await test;
        state.Record(result);
        commands.Save(state);
        ui.Line();
        ui.Rule($"{kata.Number}. {kata.Title}");
        ui.Explain(result, root);
        // One machine-readable line per verdict: infra/scripts/measure-speed.sh times save -> verdict with it.
        ui.Note($"verdict {kata.Id}: {result.State.ToString().ToLowerInvariant()} in {clock.Elapsed.TotalSeconds:0.00} s{(result.Build?.UsedFastPath == true ? " (fast compile)" : "")}");
        return result;
    }

    private static Kata? NextUnsolved(Catalog catalog, LearnerState state, Kata? after) =>
        catalog.Katas.SkipWhile(k => after is not null && k != after).Skip(after is null ? 0 : 1).FirstOrDefault(k => !state.HasPassed(k))
        ?? catalog.Katas.FirstOrDefault(k => !state.HasPassed(k) && k != after);

    private async Task<Signal> WaitForSignalAsync(Kata kata, ChannelReader<Signal> keys, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Wait for a key without taking it: a key pressed while a change wins stays queued (q must never be lost).
        var keyTask = keys.WaitToReadAsync(stop.Token).AsTask();
        var changeTask = KataChanges.WaitAsync(kata, _seen, stop.Token);
        try
        {
            var first = await Task.WhenAny(keyTask, changeTask);
            if (first == keyTask && await keyTask && keys.TryRead(out var key))
            {
                return key;
            }

            await changeTask;
            return Signal.Changed;
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await Task.WhenAll(keyTask, changeTask);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
