namespace Koans.Concurrency.StructuredConcurrency;

/// <summary>Reference: a Trio-style nursery.</summary>
public sealed class TaskGroup : IAsyncDisposable
{
    private readonly CancellationToken _parent;
    private readonly CancellationTokenSource _cts;
    private readonly CancellationToken _token; // kept: CancellationTokenSource.Token throws once the source is disposed
    private readonly Lock _lock = new();
    private readonly List<Task> _children = [];
    private readonly List<Exception> _failures = [];
    private bool _closed;

    public TaskGroup(CancellationToken cancellationToken = default)
    {
        _parent = cancellationToken;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _token = _cts.Token;
    }

    public CancellationToken Token => _token;

    public void Start(Func<CancellationToken, Task> child)
    {
        ArgumentNullException.ThrowIfNull(child);
        // Register the child before it runs (so a concurrent DisposeAsync cannot close the group without it), but
        // run it outside the lock: it runs synchronously up to its first await, and may call Start itself.
        var cold = new Task<Task>(() => RunChildAsync(child));
        lock (_lock)
        {
            if (_closed) throw new InvalidOperationException("The task group is closed; a child started now would outlive its scope.");
            _children.Add(cold.Unwrap());
        }
        cold.RunSynchronously(TaskScheduler.Default);
    }

    // Never throws: every outcome is recorded, so WhenAll below never needs a catch.
    private async Task RunChildAsync(Func<CancellationToken, Task> child)
    {
        try
        {
            await child(_token);
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
            // Cancelled by the group (a sibling failed, or the parent cancelled): not a failure of its own.
        }
        catch (Exception ex)
        {
            lock (_lock) _failures.Add(ex);
            // Outside the lock: Cancel runs the siblings' registrations synchronously.
            _cts.Cancel();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Children may start children while we wait: keep waiting until a pass finds nothing new.
        var awaited = 0;
        while (true)
        {
            Task[] pending;
            lock (_lock)
            {
                if (_children.Count == awaited)
                {
                    _closed = true;
                    break;
                }
                pending = _children.ToArray();
                awaited = pending.Length;
            }
            await Task.WhenAll(pending).ConfigureAwait(false);
        }

        _cts.Dispose();
        Exception[] failures;
        lock (_lock) failures = _failures.ToArray();
        if (failures.Length > 0) throw new AggregateException("One or more children of the task group failed.", failures);
        _parent.ThrowIfCancellationRequested();
    }
}
