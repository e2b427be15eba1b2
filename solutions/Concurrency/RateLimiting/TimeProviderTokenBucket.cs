using System.Threading.RateLimiting;

namespace Koans.Concurrency.RateLimiting;

/// <summary>
/// Reference: a token bucket whose refill is computed from a <see cref="TimeProvider"/>, plugged into the
/// <see cref="RateLimiter"/> API. Whole-period accrual: <c>tokensPerPeriod</c> tokens arrive together at the end of
/// each whole period, counted from the moment the bucket stopped being full. All arithmetic is in exact TimeSpan ticks
/// (offsets from the construction timestamp), so a FakeTimeProvider gives exact, repeatable answers.
/// </summary>
public sealed class TimeProviderTokenBucket : RateLimiter
{
    // ITimer.Change rejects due times above uint.MaxValue - 1 ms (about 49.7 days). A longer wait is served by firing
    // early and rescheduling, which is harmless: the callback recomputes everything from the clock.
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly int _capacity;
    private readonly int _tokensPerPeriod;
    private readonly TimeSpan _period;
    private readonly int _queueLimit;
    private readonly TimeProvider _timeProvider;
    private readonly long _origin;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _queue = new();
    // Every granted lease is the same immutable object: no allocation per grant.
    private readonly RateLimitLease _acquiredLease = new Lease(acquired: true, retryAfter: null);

    private int _tokens;
    // While not full: the start of the period now accruing. While full: the moment the bucket became full.
    private TimeSpan _anchor;
    private int _queuedPermits;
    private long _successfulLeases;
    private long _failedLeases;
    private bool _disposed;

    public TimeProviderTokenBucket(int capacity, int tokensPerPeriod, TimeSpan period, int queueLimit, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tokensPerPeriod, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        ArgumentNullException.ThrowIfNull(timeProvider);

        _capacity = capacity;
        _tokensPerPeriod = tokensPerPeriod;
        _period = period;
        _queueLimit = queueLimit;
        _timeProvider = timeProvider;
        _tokens = capacity; // starts full: a burst is allowed at once
        _origin = timeProvider.GetTimestamp();
        // One timer, armed only while someone waits, for the moment the oldest waiter's tokens will have accrued.
        _timer = timeProvider.CreateTimer(static state => ((TimeProviderTokenBucket)state!).OnTimer(), this,
            Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                if (_disposed) return null;
                var now = Now();
                Refill(now);
                return _tokens == _capacity && _queue.Count == 0 ? now - _anchor : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        List<Waiter>? released;
        RateLimiterStatistics statistics;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            released = Update(Now());
            statistics = new RateLimiterStatistics
            {
                CurrentAvailablePermits = _tokens,
                CurrentQueuedCount = _queuedPermits,
                TotalSuccessfulLeases = _successfulLeases,
                TotalFailedLeases = _failedLeases,
            };
        }
        Release(released);
        return statistics;
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ThrowIfBeyondCapacity(permitCount);
        List<Waiter>? released;
        RateLimitLease lease;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = Now();
            released = Update(now);
            lease = TryTake(permitCount, now) ?? Refuse(permitCount, now);
        }
        Release(released);
        return lease;
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ThrowIfBeyondCapacity(permitCount);
        List<Waiter>? released;
        RateLimitLease? lease;
        Waiter? waiter = null;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = Now();
            released = Update(now);
            lease = TryTake(permitCount, now);
            if (lease is null)
            {
                if (permitCount == 0 || _queuedPermits + permitCount > _queueLimit)
                {
                    // A probe never waits; a full queue refuses at once rather than letting latency pile up.
                    lease = Refuse(permitCount, now);
                }
                else if (!cancellationToken.IsCancellationRequested)
                {
                    waiter = new Waiter(permitCount);
                    waiter.Node = _queue.AddLast(waiter);
                    _queuedPermits += permitCount;
                    Reschedule(now);
                }
            }
        }
        Release(released);

        if (lease is not null) return new ValueTask<RateLimitLease>(lease);
        if (waiter is null) return ValueTask.FromCanceled<RateLimitLease>(cancellationToken);

        // Registered outside the lock: a token cancelled meanwhile runs the callback synchronously, and it takes the lock.
        waiter.Registration = cancellationToken.UnsafeRegister(
            static (state, token) => ((TimeProviderTokenBucket)((object[])state!)[0]).Cancel((Waiter)((object[])state!)[1], token),
            new object[] { this, waiter });
        if (waiter.Completion.Task.IsCompleted) waiter.Registration.Dispose(); // released before we registered
        return new ValueTask<RateLimitLease>(waiter.Completion.Task);
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        List<Waiter> pending;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            pending = [.. _queue];
            _queue.Clear(); // detaches the nodes: a later cancellation callback finds nothing to remove
            _queuedPermits = 0;
        }
        _timer.Dispose();
        // Like the built-in limiters: waiters still queued get a refused lease instead of waiting forever.
        foreach (var waiter in pending)
        {
            waiter.Registration.Dispose();
            waiter.Completion.TrySetResult(new Lease(acquired: false, retryAfter: null));
        }
    }

    protected override ValueTask DisposeAsyncCore()
    {
        Dispose(true);
        return ValueTask.CompletedTask;
    }

    private TimeSpan Now() => _timeProvider.GetElapsedTime(_origin);

    private void ThrowIfBeyondCapacity(int permitCount)
    {
        // The base class already rejects a negative count. More than the capacity could never be granted.
        if (permitCount > _capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount,
                $"The bucket holds at most {_capacity} tokens; {permitCount} could never be granted.");
        }
    }

    /// <summary>Adds the tokens of every whole period elapsed since the anchor, never beyond the capacity.</summary>
    private void Refill(TimeSpan now)
    {
        // No special cases: a full bucket needs 0 periods to be full (its anchor stays), and 0 periods add 0 tokens.
        var periods = (now - _anchor).Ticks / _period.Ticks;
        var periodsToFull = (_capacity - _tokens + _tokensPerPeriod - 1) / _tokensPerPeriod;
        if (periods >= periodsToFull)
        {
            // Full: the anchor becomes the moment it filled. Idle time beyond that is not banked.
            _tokens = _capacity;
            _anchor += _period * periodsToFull;
        }
        else
        {
            // periods < periodsToFull <= capacity: no overflow. The partial period in progress is kept.
            _tokens += (int)periods * _tokensPerPeriod;
            _anchor += _period * periods;
        }
    }

    /// <summary>Refills, then releases queued waiters oldest first while the head fits; returns them to complete outside the lock.</summary>
    private List<Waiter>? Update(TimeSpan now)
    {
        Refill(now);
        List<Waiter>? released = null;
        while (_queue.First is { } head && head.Value.Permits <= _tokens)
        {
            _queue.RemoveFirst();
            _queuedPermits -= head.Value.Permits;
            Take(head.Value.Permits, now);
            (released ??= []).Add(head.Value);
        }
        Reschedule(now);
        return released;
    }

    private RateLimitLease? TryTake(int permitCount, TimeSpan now)
    {
        // FIFO: nobody overtakes a queued waiter, even when the tokens for a smaller request are there.
        if (_queue.Count > 0 || _tokens < Math.Max(permitCount, 1)) return null;
        if (permitCount > 0) Take(permitCount, now);
        else _successfulLeases++;
        return _acquiredLease;
    }

    private void Take(int permitCount, TimeSpan now)
    {
        if (_tokens >= _capacity) _anchor = now; // the refill clock starts when the bucket stops being full
        _tokens -= permitCount;
        _successfulLeases++;
    }

    private RateLimitLease Refuse(int permitCount, TimeSpan now)
    {
        _failedLeases++;
        // The tokens this request needs come after those promised to the queue.
        return new Lease(acquired: false, TimeUntilTokens(_queuedPermits + Math.Max(permitCount, 1) - _tokens, now));
    }

    /// <summary>
    /// Exact time until <paramref name="missing"/> (at least 1) more tokens will have accrued. Only asked of a bucket
    /// that is not full (a full one grants every request it is asked for, and releases every waiter), so the anchor
    /// is the start of the period now accruing.
    /// </summary>
    private TimeSpan TimeUntilTokens(int missing, TimeSpan now)
    {
        var periods = (missing + _tokensPerPeriod - 1) / _tokensPerPeriod;
        var ticks = (Int128)_period.Ticks * periods + (_anchor - now).Ticks;
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
    }

    private void Reschedule(TimeSpan now)
    {
        if (_disposed) return;
        if (_queue.First is not { } head)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var due = TimeUntilTokens(head.Value.Permits - _tokens, now);
        _timer.Change(due < MaxTimerDue ? due : MaxTimerDue, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        List<Waiter>? released;
        lock (_lock)
        {
            // A callback racing Dispose finds an empty queue, and Reschedule leaves the disposed timer alone.
            released = Update(Now());
        }
        Release(released);
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        List<Waiter>? released = null;
        lock (_lock)
        {
            if (waiter.Node?.List is null) return; // already released, or the limiter was disposed
            _queue.Remove(waiter.Node);
            _queuedPermits -= waiter.Permits;
            released = Update(Now()); // the next in line may fit now that a bigger request has left
        }
        waiter.Completion.TrySetCanceled(cancellationToken);
        Release(released);
    }

    private void Release(List<Waiter>? released)
    {
        if (released is null) return;
        // Outside the lock: disposing a registration waits for a running cancellation callback, which takes the lock.
        foreach (var waiter in released)
        {
            waiter.Registration.Dispose();
            waiter.Completion.TrySetResult(_acquiredLease);
        }
    }

    private sealed class Waiter(int permits)
    {
        public int Permits { get; } = permits;
        // RunContinuationsAsynchronously: the awaiting caller's code never runs inside our timer callback or lock.
        public TaskCompletionSource<RateLimitLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public LinkedListNode<Waiter>? Node { get; set; }
        public CancellationTokenRegistration Registration { get; set; }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames =>
            retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }
            metadata = null;
            return false;
        }
    }
}
