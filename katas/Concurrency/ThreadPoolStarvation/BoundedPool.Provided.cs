using System.Collections.Concurrent;

namespace Koans.Concurrency.ThreadPoolStarvation;

/// <summary>
/// Provided: a thread pool of a fixed number of threads that never grows, as a <see cref="TaskScheduler"/>. It is a
/// model of the process-wide <see cref="ThreadPool"/> that a test can own: same counters
/// (<see cref="ThreadCount"/>, <see cref="PendingWorkItemCount"/>, <see cref="CompletedWorkItemCount"/>), no thread
/// injection, and nothing else running on it.
/// </summary>
/// <remarks>
/// <para>Code started with <see cref="Run{T}"/> runs on the pool, and so do its <c>await</c> continuations (an
/// <c>await</c> resumes on the current <see cref="TaskScheduler"/> unless told otherwise), exactly as an ASP.NET Core
/// request's continuations run on the thread pool.</para>
/// <para>The real pool only delays starvation: when every thread is busy it adds roughly one thread every half second
/// (hill climbing), so a blocked service stays up, slowly, until the load grows. This pool never adds one, so the
/// same bug becomes a deadlock a test can see at once.</para>
/// <para><see cref="WhenSettledAsync"/> completes when nothing on the pool can make progress by itself: every thread
/// idle with nothing queued, or every thread blocked inside a work item (its <see cref="Thread.ThreadState"/> is
/// <see cref="ThreadState.WaitSleepJoin"/>) with nothing queued, started or finished over many looks.
/// <see cref="Dispose"/> hands anything left to the real thread pool, so blocked threads can finish.</para>
/// </remarks>
public sealed class BoundedPool : TaskScheduler, IDisposable
{
    private const int Idle = 0, Busy = 1;
    private const int StarvedLooksRequired = 1_000;
    private readonly ConcurrentQueue<Task> _queue = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread[] _threads;
    private readonly int[] _states;
    private long _completed;
    private long _version;
    private volatile bool _disposed;

    /// <summary>Starts <paramref name="threads"/> worker threads.</summary>
    public BoundedPool(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        _states = new int[threads];
        _threads = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            var index = i;
            _threads[i] = new Thread(() => Work(index)) { IsBackground = true, Name = $"BoundedPool worker {i}" };
            _threads[i].Start();
        }
    }

    /// <summary>The number of worker threads (fixed), like <see cref="ThreadPool.ThreadCount"/>.</summary>
    public int ThreadCount => _threads.Length;

    /// <summary>Work items queued and not yet started, like <see cref="ThreadPool.PendingWorkItemCount"/>.</summary>
    public long PendingWorkItemCount => _queue.Count;

    /// <summary>Work items finished so far, like <see cref="ThreadPool.CompletedWorkItemCount"/>.</summary>
    public long CompletedWorkItemCount => Interlocked.Read(ref _completed);

    /// <summary>Worker threads that are inside a work item and blocked in a wait (<c>.Result</c>, <c>.Wait()</c>, a lock).</summary>
    public int BlockedThreadCount =>
        Enumerable.Range(0, _threads.Length).Count(i => Volatile.Read(ref _states[i]) == Busy && IsWaiting(_threads[i]));

    /// <inheritdoc/>
    public override int MaximumConcurrencyLevel => _threads.Length;

    /// <summary>Starts <paramref name="request"/> on the pool, the way a server starts a request handler.</summary>
    public Task<T> Run<T>(Func<Task<T>> request) =>
        Task.Factory.StartNew(request, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    /// <summary>Worker threads inside a work item (running or blocked); the rest wait for work.</summary>
    public int BusyThreadCount => Enumerable.Range(0, _threads.Length).Count(i => Volatile.Read(ref _states[i]) == Busy);

    /// <summary>
    /// Completes when nothing on the pool can make progress by itself: idle (nothing queued, no thread inside a work
    /// item), or starved (every thread blocked inside a work item, unchanged over many consecutive looks).
    /// </summary>
    public async Task WhenSettledAsync(CancellationToken cancellationToken)
    {
        var starvedLooks = 0;
        var lastVersion = -1L;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var version = Interlocked.Read(ref _version);
            // Read the queue before the states: a worker becomes Busy before it takes an item out of the queue, so
            // an item is always either counted here or held by a Busy worker counted below. Idle is exact.
            var pending = _queue.Count;
            if (pending == 0 && BusyThreadCount == 0 && Interlocked.Read(ref _version) == version) return;
            // Blocked is read from Thread.ThreadState, which a thread also shows for a moment on a contended lock or
            // while a garbage collection finishes; a starved pool stays blocked, so require it to stay so.
            starvedLooks = BlockedThreadCount == _threads.Length && version == lastVersion ? starvedLooks + 1 : 0;
            lastVersion = version;
            if (starvedLooks >= StarvedLooksRequired) return;
            await Task.Yield();
        }
    }

    /// <summary>Stops the workers; queued and later work goes to the real thread pool, so blocked threads can finish.</summary>
    public void Dispose()
    {
        _disposed = true;
        while (_queue.TryDequeue(out var task)) ThreadPool.UnsafeQueueUserWorkItem(_ => TryExecuteTask(task), null);
        _stop.Cancel();
    }

    /// <inheritdoc/>
    protected override void QueueTask(Task task)
    {
        if (_disposed)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ => TryExecuteTask(task), null);
            return;
        }
        Interlocked.Increment(ref _version);
        _queue.Enqueue(task);
        _available.Release();
    }

    /// <inheritdoc/>
    /// <remarks>Never inline: work queued to the pool waits for a pool thread, as on the real pool.</remarks>
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    /// <inheritdoc/>
    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    private static bool IsWaiting(Thread thread) => (thread.ThreadState & ThreadState.WaitSleepJoin) != 0;

    private void Work(int index)
    {
        try
        {
            while (!_disposed)
            {
                Volatile.Write(ref _states[index], Idle);
                _available.Wait(_stop.Token);
                Volatile.Write(ref _states[index], Busy);
                Interlocked.Increment(ref _version);
                if (!_queue.TryDequeue(out var task)) continue;
                TryExecuteTask(task);
                Interlocked.Increment(ref _completed);
                Interlocked.Increment(ref _version);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        finally
        {
            Volatile.Write(ref _states[index], Idle);
        }
    }
}

/// <summary>Provided: one sample of a pool's counters (the <see cref="ThreadPool"/> API's names).</summary>
public readonly record struct PoolCounters(int ThreadCount, long PendingWorkItemCount, long CompletedWorkItemCount)
{
    /// <summary>Samples a <see cref="BoundedPool"/>.</summary>
    public static PoolCounters Of(BoundedPool pool) =>
        new(pool.ThreadCount, pool.PendingWorkItemCount, pool.CompletedWorkItemCount);

    /// <summary>Samples the process's own thread pool.</summary>
    public static PoolCounters OfThreadPool() =>
        new(ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount, ThreadPool.CompletedWorkItemCount);
}

/// <summary>Provided: a remote inventory service (an HTTP API in production).</summary>
public interface IInventoryClient
{
    /// <summary>The stock of one SKU. Throws what the transport throws (e.g. <see cref="HttpRequestException"/>).</summary>
    Task<int> GetStockAsync(string sku, CancellationToken cancellationToken);
}

/// <summary>
/// Provided: the service as it shipped. Synchronous over asynchronous: each request holds a pool thread in
/// <c>.Result</c> while the client's own continuation waits in the same pool's queue for a free thread.
/// </summary>
public sealed class BlockingStockService(IInventoryClient inventory)
{
    /// <summary>The total stock of <paramref name="skus"/>, one blocking call at a time.</summary>
    public int TotalStock(IReadOnlyList<string> skus) =>
        skus.Sum(sku => inventory.GetStockAsync(sku, CancellationToken.None).Result);
}
