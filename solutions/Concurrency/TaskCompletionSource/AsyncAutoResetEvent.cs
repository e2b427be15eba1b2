using Signal = System.Threading.Tasks.TaskCompletionSource;

namespace Koans.Concurrency.TaskCompletionSource;

/// <summary>Reference: an awaitable auto-reset event (FIFO, one waiter per Set).</summary>
public sealed class AsyncAutoResetEvent
{
    private readonly Lock _lock = new();
    private readonly Queue<Signal> _waiters = new();
    private bool _signalled;

    public AsyncAutoResetEvent(bool initialState = false) => _signalled = initialState;

    public Task WaitAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        Signal waiter;
        lock (_lock)
        {
            if (_signalled)
            {
                _signalled = false;
                return Task.CompletedTask;
            }
            waiter = new Signal(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }
        if (cancellationToken.CanBeCanceled)
        {
            // Return the waiter's own task (not an async wrapper), so it is complete the moment Set returns.
            // A cancelled waiter stays in the queue; Set skips it because TrySetResult fails on a cancelled source.
            var registration = cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
            waiter.Task.ContinueWith(
                static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return waiter.Task;
    }

    public void Set()
    {
        lock (_lock)
        {
            while (_waiters.TryDequeue(out var waiter))
                if (waiter.TrySetResult()) return; // released exactly one live waiter
            _signalled = true;
        }
    }
}
