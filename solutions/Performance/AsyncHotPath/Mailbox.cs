using System.Threading.Tasks.Sources;

namespace Koans.Performance.AsyncHotPath;

/// <summary>A single-consumer mailbox whose receives allocate nothing (reference solution).</summary>
public sealed class Mailbox
{
    private readonly Lock _gate = new();
    private readonly Queue<long> _values = new();
    private readonly Receive _receive;

    // A receive was handed out and its value not taken yet (cleared by GetResult).
    private bool _receiveOutstanding;

    // That receive is still waiting for a value (cleared by the Post that completes it).
    private bool _receiverWaiting;

    public Mailbox() => _receive = new Receive(this);

    public void Post(long value)
    {
        lock (_gate)
        {
            if (!_receiverWaiting)
            {
                _values.Enqueue(value);
                return;
            }

            _receiverWaiting = false;
        }

        // Completed outside the lock: the receiver's continuation runs here, inline, and may call ReceiveAsync again.
        _receive.Core.SetResult(value);
    }

    public ValueTask<long> ReceiveAsync()
    {
        lock (_gate)
        {
            if (_receiveOutstanding)
            {
                throw new InvalidOperationException("The previous receive has not been awaited yet: this mailbox has one consumer.");
            }

            if (_values.TryDequeue(out var value))
            {
                return new ValueTask<long>(value);
            }

            _receiveOutstanding = true;
            _receiverWaiting = true;

            // The same object backs every waiting receive; the version tells this receive from the earlier ones.
            return new ValueTask<long>(_receive, _receive.Core.Version);
        }
    }

    /// <summary>
    /// The reusable source behind a waiting receive. ManualResetValueTaskSourceCore does the hard parts: storing the
    /// continuation, racing completion against OnCompleted, and rejecting a stale token (a second await) with
    /// InvalidOperationException. Its default, RunContinuationsAsynchronously = false, runs the continuation inside
    /// SetResult, on the posting thread.
    /// </summary>
    private sealed class Receive(Mailbox owner) : IValueTaskSource<long>
    {
        // A mutable struct: a field, never a copy (a readonly field or a local copy would reset a copy).
        public ManualResetValueTaskSourceCore<long> Core;

        public long GetResult(short token)
        {
            // Throws InvalidOperationException for a token from an earlier receive: a second await of a used ValueTask.
            var value = Core.GetResult(token);

            // The value is taken: the next receive may reuse this object. Reset moves the version on, which is what
            // makes every older token stale.
            Core.Reset();
            lock (owner._gate)
            {
                owner._receiveOutstanding = false;
            }

            return value;
        }

        public ValueTaskSourceStatus GetStatus(short token) => Core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            Core.OnCompleted(continuation, state, token, flags);
    }
}
