namespace Koans.Testing;

/// <summary>
/// A <see cref="SynchronizationContext"/> standing in for a UI thread or a classic ASP.NET request: the caller's
/// context that library code must not resume on. Every continuation posted to it is counted (and then run on the
/// thread pool with this context current, as a UI thread would run it with its own), so a test can assert that a
/// library method, started from this context, never came back to it: <c>Posts.Should().Be(0, ...)</c>.
/// </summary>
public sealed class CallerContext : SynchronizationContext
{
    private int _posts;

    /// <summary>How many continuations were posted to this context so far.</summary>
    public int Posts => Volatile.Read(ref _posts);

    /// <summary>
    /// Calls <paramref name="start"/> with this context current on the calling thread (as a UI event handler would call
    /// a library), and restores the previous context before returning: only what <paramref name="start"/> captured
    /// synchronously can post here later.
    /// </summary>
    public T Run<T>(Func<T> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            return start();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        Interlocked.Increment(ref _posts);
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            SetSynchronizationContext(this);
            try
            {
                d(state);
            }
            finally
            {
                SetSynchronizationContext(null);
            }
        }, null);
    }

    public override void Send(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        Interlocked.Increment(ref _posts);
        d(state);
    }

    public override SynchronizationContext CreateCopy() => this;
}
