using System.Diagnostics;
using System.Threading.Channels;

namespace Koans.Runner;

/// <summary>
/// `watch`: re-test the current kata on every save. File events come from a FileSystemWatcher, and a poll of the
/// kata's files every half second catches what it misses (network drives, some containers and editors).
/// Keys: h hint, n next kata, r rerun, q quit.
/// </summary>
public sealed class Watch(Commands commands, Ui ui)
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(120);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

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
        var catalog = Catalog.Load(root);
        var state = LearnerState.Load(root);
        var kata = query is null ? NextUnsolved(catalog, state, after: null) : Commands.Single(catalog, query, "watch");
        if (kata is null)
        {
            ui.Success("Every kata passes: nothing to watch.");
            return 0;
        }

        using var runnerLock = RunnerLock.Acquire(root);
        var signals = Channel.CreateUnbounded<Signal>();
        if (!Console.IsInputRedirected)
        {
            _ = Task.Run(() => ReadKeys(signals.Writer, cancellationToken), cancellationToken);
        }

        ui.Note("Watching. Save a file to re-test" + (Console.IsInputRedirected ? "; Ctrl+C quits." : "; keys: [h]int, [n]ext kata, [r]erun, [q]uit."));
        while (kata is not null && !cancellationToken.IsCancellationRequested)
        {
            var run = await TestAsync(kata, state, cancellationToken);
            if (run.Passed)
            {
                ui.Success($"✓ {kata.Id} passes. On to the next kata.");
                kata = NextUnsolved(catalog, state, after: kata);
                continue;
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
                kata = NextUnsolved(catalog, state, after: kata) ?? kata;
            }
        }

        if (kata is null)
        {
            ui.Success("Every kata passes. Well done.");
        }

        return 0;
    }

    private async Task<KataRun> TestAsync(Kata kata, LearnerState state, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var run = await commands.Tester.RunAsync(kata, Track.Katas, cancellationToken);
        state.Record(run);
        state.Save(commands.Root);
        ui.Line();
        ui.Rule($"{kata.Number}. {kata.Title}");
        ui.Explain(run, commands.Root);
        // One machine-readable line per verdict: infra/scripts/measure-watch.sh times save -> verdict with it.
        ui.Note($"verdict {kata.Id}: {run.State.ToString().ToLowerInvariant()} in {clock.Elapsed.TotalSeconds:0.00} s{(run.Build?.UsedFastPath == true ? " (fast compile)" : "")}");
        return run;
    }

    private static Kata? NextUnsolved(Catalog catalog, LearnerState state, Kata? after) =>
        catalog.Katas.SkipWhile(k => after is not null && k != after).Skip(after is null ? 0 : 1).FirstOrDefault(k => !state.HasPassed(k))
        ?? catalog.Katas.FirstOrDefault(k => !state.HasPassed(k) && k != after);

    private static async Task<Signal> WaitForSignalAsync(Kata kata, ChannelReader<Signal> keys, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var changes = Channel.CreateUnbounded<Signal>();
        using var watcher = new FileSystemWatcher(kata.Directory) { IncludeSubdirectories = true, Filter = "*.*", NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size };
        FileSystemEventHandler onChange = (_, e) =>
        {
            if (IsSource(e.FullPath))
            {
                changes.Writer.TryWrite(Signal.Changed);
            }
        };
        watcher.Changed += onChange;
        watcher.Created += onChange;
        watcher.Deleted += onChange;
        watcher.Renamed += (_, e) => changes.Writer.TryWrite(Signal.Changed);
        watcher.EnableRaisingEvents = true;
        var poll = PollAsync(kata, changes.Writer, stop.Token);

        try
        {
            var keyTask = keys.ReadAsync(stop.Token).AsTask();
            var changeTask = changes.Reader.ReadAsync(stop.Token).AsTask();
            var first = await Task.WhenAny(keyTask, changeTask);
            if (first == keyTask)
            {
                return await keyTask;
            }

            // Debounce: editors write a file in several steps; wait until the changes stop for a moment.
            while (true)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                quiet.CancelAfter(Debounce);
                try
                {
                    await changes.Reader.ReadAsync(quiet.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    return Signal.Changed;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await poll;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static bool IsSource(string path) =>
        path.EndsWith(".cs", StringComparison.Ordinal) || path.EndsWith(".csproj", StringComparison.Ordinal);

    private static async Task PollAsync(Kata kata, ChannelWriter<Signal> changes, CancellationToken cancellationToken)
    {
        var before = Snapshot(kata);
        using var timer = new PeriodicTimer(PollInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var now = Snapshot(kata);
            if (now != before)
            {
                before = now;
                changes.TryWrite(Signal.Changed);
            }
        }
    }

    private static string Snapshot(Kata kata) =>
        string.Join('|', Directory.EnumerateFiles(kata.Directory, "*", SearchOption.AllDirectories)
            .Where(IsSource)
            .Order(StringComparer.Ordinal)
            .Select(f => $"{f}:{File.GetLastWriteTimeUtc(f).Ticks}:{new FileInfo(f).Length}"));

    private static void ReadKeys(ChannelWriter<Signal> signals, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var key = Console.ReadKey(intercept: true);
            Signal? signal = char.ToLowerInvariant(key.KeyChar) switch
            {
                'h' => Signal.Hint,
                'n' => Signal.Next,
                'r' => Signal.Rerun,
                'q' => Signal.Quit,
                _ => null,
            };
            if (signal is { } s)
            {
                signals.TryWrite(s);
            }

            if (signal == Signal.Quit)
            {
                return;
            }
        }
    }
}
