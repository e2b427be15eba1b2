using System.Threading.Channels;

namespace Koans.Runner;

/// <summary>
/// Waits for the learner to save: file events come from a FileSystemWatcher, and a poll of the kata's files every half
/// second catches what it misses (network drives, some containers and editors). Shared by watch and dojo.
/// </summary>
public static class KataChanges
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(120);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Completes once a .cs or .csproj file of the kata changed and the changes stopped for a moment. With
    /// <paramref name="seen"/> (the <see cref="Snapshot"/> taken when the last test run started), a save made while that
    /// run was going, or in the moment before the watcher started, counts at once instead of being missed.
    /// </summary>
    public static async Task WaitAsync(Kata kata, string? seen, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var changes = Channel.CreateUnbounded<bool>();
        using var watcher = new FileSystemWatcher(kata.Directory) { IncludeSubdirectories = true, Filter = "*.*", NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size };
        FileSystemEventHandler onChange = (_, e) =>
        {
            if (IsSource(e.FullPath))
            {
                changes.Writer.TryWrite(true);
            }
        };
        watcher.Changed += onChange;
        watcher.Created += onChange;
        watcher.Deleted += onChange;
        watcher.Renamed += (_, _) => changes.Writer.TryWrite(true);
        watcher.EnableRaisingEvents = true;
        var current = Snapshot(kata);
        if (seen is not null && current != seen)
        {
            changes.Writer.TryWrite(true);
        }

        var poll = PollAsync(kata, current, changes.Writer, stop.Token);

        try
        {
            await changes.Reader.ReadAsync(stop.Token);

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
                    return;
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

    private static async Task PollAsync(Kata kata, string before, ChannelWriter<bool> changes, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PollInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var now = Snapshot(kata);
            if (now != before)
            {
                before = now;
                changes.TryWrite(true);
            }
        }
    }

    /// <summary>The kata's source files with their write times and lengths: equal snapshots mean nothing was saved.</summary>
    public static string Snapshot(Kata kata) =>
        string.Join('|', Directory.EnumerateFiles(kata.Directory, "*", SearchOption.AllDirectories)
            .Where(IsSource)
            .Order(StringComparer.Ordinal)
            .Select(f => $"{f}:{File.GetLastWriteTimeUtc(f).Ticks}:{new FileInfo(f).Length}"));
}
