namespace Koans.Concurrency.Deadlocks;

/// <summary>
/// Provided: a single-threaded message-pump SynchronizationContext (like WinForms' or classic ASP.NET's), instrumented
/// to <em>detect</em> the sync-over-async deadlock instead of hanging.
/// <list type="bullet">
/// <item><description><see cref="Run"/> runs an entry point on the calling thread (the "UI thread") and pumps posted
/// callbacks on it until the entry's task completes.</description></item>
/// <item><description>It asks the runtime to tell it when the UI thread blocks (<c>SetWaitNotificationRequired</c>;
/// <c>.Result</c>, <c>.Wait()</c> and <c>GetAwaiter().GetResult()</c> on an incomplete task then call
/// <see cref="Wait"/>). If work is posted to the UI thread while it is blocked (or was pending when it blocked), that
/// work can never run: the deadlock. The context records it in <see cref="DeadlockDetected"/> and, so the test does not
/// hang, runs the stranded work on the thread pool.</description></item>
/// <item><description>Fake I/O (<see cref="FakeGreetingService"/>) completes only when the UI thread is idle or blocked,
/// on a thread-pool thread, the way a real network reply arrives: deterministically after the caller has awaited or
/// blocked.</description></item>
/// </list>
/// </summary>
internal sealed class MessagePumpContext : SynchronizationContext
{
    private readonly object _lock = new(); // an object, not System.Threading.Lock: the pump uses Monitor.Wait/PulseAll
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly Queue<Action> _pendingIo = new();
    private int _uiThreadId = -1;
    private int _blockedDepth;

    public MessagePumpContext() => SetWaitNotificationRequired();

    public bool DeadlockDetected { get; private set; }
    public int PostedCount { get; private set; }
    public int UiThreadId => _uiThreadId;

    /// <summary>Registers an I/O completion, delivered on the thread pool when the UI thread next idles or blocks.</summary>
    public void WhenUiThreadWaits(Action complete)
    {
        lock (_lock)
        {
            _pendingIo.Enqueue(complete);
            Monitor.PulseAll(_lock);
        }
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_lock)
        {
            PostedCount++;
            if (_blockedDepth > 0)
            {
                // The UI thread is blocked: this callback cannot run until it unblocks, and it is (here) what the
                // UI thread waits for. Record the deadlock and rescue the callback so the test can finish.
                DeadlockDetected = true;
                ThreadPool.UnsafeQueueUserWorkItem(_ => d(state), null);
                return;
            }
            _queue.Enqueue((d, state));
            Monitor.PulseAll(_lock);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Send is not used in this kata.");

    public override int Wait(IntPtr[] waitHandles, bool waitAll, int millisecondsTimeout)
    {
        if (Environment.CurrentManagedThreadId != _uiThreadId)
            return base.Wait(waitHandles, waitAll, millisecondsTimeout);
        lock (_lock)
        {
            _blockedDepth++;
            if (_queue.Count > 0)
            {
                DeadlockDetected = true; // work for the UI thread is pending, and the UI thread is blocking
                while (_queue.TryDequeue(out var item)) ThreadPool.UnsafeQueueUserWorkItem(_ => item.Callback(item.State), null);
            }
            DeliverPendingIo();
        }
        try { return base.Wait(waitHandles, waitAll, millisecondsTimeout); }
        finally { lock (_lock) _blockedDepth--; }
    }

    private void DeliverPendingIo()
    {
        while (_pendingIo.TryDequeue(out var complete)) ThreadPool.UnsafeQueueUserWorkItem(_ => complete(), null);
    }

    /// <summary>Runs <paramref name="entry"/> on this thread as the UI thread and pumps until its task completes.</summary>
    public void Run(Func<Task> entry)
    {
        var previous = Current;
        _uiThreadId = Environment.CurrentManagedThreadId;
        SetSynchronizationContext(this);
        try
        {
            var task = entry();
            task.ContinueWith(_ => { lock (_lock) Monitor.PulseAll(_lock); }, TaskScheduler.Default);
            while (true)
            {
                (SendOrPostCallback Callback, object? State) item;
                lock (_lock)
                {
                    while (_queue.Count == 0 && !task.IsCompleted)
                    {
                        DeliverPendingIo(); // idle: let the "network" answer
                        // The pump's own idle wait is not a deadlock: wait without our context installed.
                        SetSynchronizationContext(null);
                        try { Monitor.Wait(_lock); }
                        finally { SetSynchronizationContext(this); }
                    }
                    if (_queue.Count == 0) break;
                    item = _queue.Dequeue();
                }
                item.Callback(item.State);
            }
            task.GetAwaiter().GetResult();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}

/// <summary>Provided fake service: its reply arrives (on the thread pool) once the UI thread idles or blocks.</summary>
internal sealed class FakeGreetingService(MessagePumpContext context, string name, Exception? failure = null) : IGreetingService
{
    public CancellationToken SeenToken { get; private set; }

    public Task<string> GetNameAsync(CancellationToken cancellationToken)
    {
        SeenToken = cancellationToken;
        var reply = new TaskCompletionSource<string>(); // inline continuations, as many real I/O completions do
        context.WhenUiThreadWaits(() =>
        {
            if (failure is null) reply.SetResult(name);
            else reply.SetException(failure);
        });
        return reply.Task;
    }
}

public class DeadlocksTests
{
    [Fact]
    public void Async_all_the_way_on_the_UI_thread_completes_and_resumes_on_the_UI_thread()
    {
        var ui = new MessagePumpContext();
        var service = new FakeGreetingService(ui, "Ada");
        string? greeting = null;
        var resumedOn = -1;

        ui.Run(async () =>
        {
            greeting = await GreetingHandlers.LoadGreetingAsync(service, CancellationToken.None);
            resumedOn = Environment.CurrentManagedThreadId;
        });

        greeting.Should().Be("Hello, Ada!");
        ui.DeadlockDetected.Should().BeFalse("nothing blocked the UI thread");
        resumedOn.Should().Be(ui.UiThreadId, "await captured the UI context and came back to the UI thread");
        ui.PostedCount.Should().BeGreaterThan(0, "continuations were posted to the pump, as in a real UI app");
    }

    [Fact]
    public void Blocking_the_UI_thread_on_context_capturing_code_is_the_classic_deadlock()
    {
        var ui = new MessagePumpContext();
        var service = new FakeGreetingService(ui, "Ada");
        string? greeting = null;

        // What NOT to do: sync-over-async on the UI thread, on a method whose awaits capture the UI context.
        ui.Run(() =>
        {
            greeting = GreetingHandlers.LoadGreetingAsync(service, CancellationToken.None).Result;
            return Task.CompletedTask;
        });

        ui.DeadlockDetected.Should().BeTrue(
            "the continuation of LoadGreetingAsync was posted to the UI thread while .Result blocked it: in a real " +
            "WinForms/ASP.NET app this hangs forever (the harness rescued it so the test could finish)");
        greeting.Should().Be("Hello, Ada!");
    }

    [Fact]
    public void Blocking_on_library_code_that_uses_ConfigureAwait_false_does_not_deadlock()
    {
        var ui = new MessagePumpContext();
        var service = new FakeGreetingService(ui, "Grace");
        string? greeting = null;

        ui.Run(() =>
        {
            greeting = GreetingHandlers.LoadGreetingLibraryAsync(service, CancellationToken.None).GetAwaiter().GetResult();
            return Task.CompletedTask;
        });

        ui.DeadlockDetected.Should().BeFalse(
            "deadlock: a continuation inside LoadGreetingLibraryAsync was posted to the blocked UI thread; " +
            "library code must use ConfigureAwait(false) on every await");
        ui.PostedCount.Should().Be(0, "ConfigureAwait(false) continuations never go back to the caller's context");
        greeting.Should().Be("Hello, Grace!");
    }

    [Fact]
    public void The_synchronous_API_does_not_deadlock_when_called_from_the_UI_thread()
    {
        var ui = new MessagePumpContext();
        var service = new FakeGreetingService(ui, "Linus");
        string? greeting = null;

        ui.Run(() =>
        {
            greeting = GreetingHandlers.LoadGreetingBlocking(service);
            return Task.CompletedTask;
        });

        ui.DeadlockDetected.Should().BeFalse(
            "deadlock: LoadGreetingBlocking must block only on code whose awaits use ConfigureAwait(false)");
        greeting.Should().Be("Hello, Linus!");
    }

    [Fact]
    public void The_synchronous_API_rethrows_the_original_exception_not_an_AggregateException()
    {
        var ui = new MessagePumpContext();
        var service = new FakeGreetingService(ui, "", new TimeoutException("the service did not answer"));
        Exception? thrown = null;

        ui.Run(() =>
        {
            try { GreetingHandlers.LoadGreetingBlocking(service); }
            catch (Exception ex) { thrown = ex; }
            return Task.CompletedTask;
        });

        thrown.Should().BeOfType<TimeoutException>(
            "GetAwaiter().GetResult() rethrows the task's exception as is; .Result and .Wait() wrap it in AggregateException");
        ui.DeadlockDetected.Should().BeFalse();
    }

    [Fact]
    public void The_async_handler_passes_the_token_to_the_service()
    {
        var ui = new MessagePumpContext();
        var service = new FakeGreetingService(ui, "Ada");
        using var cts = new CancellationTokenSource();

        ui.Run(async () => await GreetingHandlers.LoadGreetingAsync(service, cts.Token));

        service.SeenToken.Should().Be(cts.Token, "a handler that drops the token cannot be cancelled by the user");
    }

    [Fact]
    public async Task A_null_service_is_refused_by_name()
    {
        await ((Func<Task>)(() => GreetingHandlers.LoadGreetingAsync(null!, CancellationToken.None))).Should()
            .ThrowAsync<ArgumentNullException>("a missing service is the caller's bug, not a NullReferenceException")
            .WithParameterName("service");
        await ((Func<Task>)(() => GreetingHandlers.LoadGreetingLibraryAsync(null!, CancellationToken.None))).Should()
            .ThrowAsync<ArgumentNullException>("the library version refuses it by name too")
            .WithParameterName("service");
    }
}
