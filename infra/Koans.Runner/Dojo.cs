using System.Threading.Channels;

namespace Koans.Runner;

/// <summary>Everything dojo mode touches outside itself, so tests can hand in a fake clock, keys, saves and test runs.</summary>
public sealed record DojoDevices(
    Func<(int Width, int Height)> Size,
    Action<string> Show,
    ChannelReader<char> Keys,
    TimeProvider Time,
    Func<Kata, CancellationToken, Task<KataRun>> Test,
    Func<Kata, CancellationToken, Task> Saved,
    bool Colour);

/// <summary>
/// `dojo`'s loop: test the kata, redraw on every save, every second of the countdown and every key; switch driver when
/// the turn is up (or on n); q stops at once, cancelling a test run in progress (which ends its process tree).
/// </summary>
public sealed class Dojo(string root, DojoDevices devices)
{
    public async Task<int> RunAsync(Kata kata, TimeSpan turn, CancellationToken cancellationToken)
    {
        var rotation = new Rotation(devices.Time, turn);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        KataRun? last = null;
        CancellationTokenSource? testStop = null;
        Task<KataRun>? test = null;
        CancellationTokenSource? saveStop = null;
        Task? saved = null;
        Task? tick = null;
        Task<bool>? key = null;
        var keysOpen = true;

        void StartTest()
        {
            testStop = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            test = devices.Test(kata, testStop.Token);
        }

        StartTest();
        try
        {
            while (true)
            {
                // Ctrl+C: every wait below ends cancelled, and a cancelled tick must not become a busy loop.
                cancellationToken.ThrowIfCancellationRequested();
                if (test is null && saved is null)
                {
                    saveStop = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                    saved = devices.Saved(kata, saveStop.Token);
                }

                tick ??= Task.Delay(rotation.UntilNextTick(), devices.Time, stop.Token);
                if (keysOpen)
                {
                    key ??= devices.Keys.WaitToReadAsync(stop.Token).AsTask();
                }

                // Drawn after every wait is in place: whoever sees this frame may move the clock or press a key.
                Draw(new DojoView(kata, last, test is not null, rotation));
                var first = await Task.WhenAny(new Task?[] { test, saved, tick, key }.OfType<Task>());
                if (first == test)
                {
                    last = await test;
                    test = null;
                    testStop?.Dispose();
                }
                else if (first == saved)
                {
                    await saved;
                    saved = null;
                    saveStop?.Dispose();
                    StartTest();
                }
                else if (first == tick)
                {
                    tick = null;
                    rotation.Update();
                }
                else if (first == key)
                {
                    keysOpen = await key;
                    key = null;
                    while (devices.Keys.TryRead(out var pressed))
                    {
                        switch (pressed)
                        {
                            case 'q':
                                return 0;
                            case 'n':
                                rotation.SwitchNow();
                                break;
                            case 'r' when test is null:
                                await (saveStop?.CancelAsync() ?? Task.CompletedTask);
                                await Quietly(saved);
                                saved = null;
                                StartTest();
                                break;
                        }
                    }
                }
            }
        }
        finally
        {
            // q, Ctrl+C or an error: a test run still going is cancelled, which kills its process tree (as in watch).
            await stop.CancelAsync();
            await Quietly(test);
            await Quietly(saved);
            await Quietly(tick);
            await Quietly(key);
            testStop?.Dispose();
            saveStop?.Dispose();
        }
    }

    private void Draw(DojoView view)
    {
        var (width, height) = devices.Size();
        devices.Show(DojoScreen.Render(view, root, width, height, devices.Colour));
    }

    private static async Task Quietly(Task? task)
    {
        if (task is null)
        {
            return;
        }

        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
