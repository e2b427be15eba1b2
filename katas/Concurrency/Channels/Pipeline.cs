using System.Threading.Channels;

namespace Koans.Concurrency.Channels;

/// <summary>
/// Kata concurrency.channels: a bounded producer/consumer pipeline with <see cref="Channel{T}"/>.
/// </summary>
/// <remarks>
/// <para><see cref="Channel{T}"/> is .NET's <c>asyncio.Queue</c> (and what Go calls a channel): writers
/// <c>await writer.WriteAsync(item)</c>, readers <c>await foreach (var item in reader.ReadAllAsync())</c>. A
/// <em>bounded</em> channel is <c>asyncio.Queue(maxsize=n)</c>: when it is full, <c>WriteAsync</c> waits (with
/// <see cref="BoundedChannelFullMode.Wait"/>). That wait is backpressure: a fast producer is slowed to the pace of the
/// consumers instead of filling memory.</para>
/// <para>Unlike <c>asyncio.Queue</c>, a channel can be <em>completed</em>: <c>writer.Complete()</c> says "no more
/// items", and readers' <c>ReadAllAsync</c> loops end once the channel is drained. <c>writer.Complete(exception)</c>
/// makes the readers throw that exception instead: the producer's failure reaches the consumers.</para>
/// <para>This is library code: called from a UI thread or a classic ASP.NET request, it must never resume on the
/// caller's <see cref="SynchronizationContext"/> after an await (not after a wait for room, for an item, for a
/// handler, or for the consumers). Each hop back would queue behind the UI's messages, and a caller that blocks on
/// the returned task would deadlock.</para>
/// </remarks>
public static class Pipeline
{
    /// <summary>A bounded channel of the given capacity whose writers wait when it is full.</summary>
    public static Channel<int> CreateBounded(int capacity) => throw new NotImplementedException();

    /// <summary>
    /// Writes every item of <paramref name="items"/> (pulling the next item only after the previous one was written),
    /// then completes the writer. If enumerating <paramref name="items"/> throws, complete the writer <em>with that
    /// exception</em> (so readers see it) and rethrow.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> or <paramref name="items"/> is null.</exception>
    public static Task ProduceAsync(ChannelWriter<int> writer, IEnumerable<int> items, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>
    /// Starts <paramref name="consumers"/> concurrent consumers on <paramref name="reader"/>; each reads items until
    /// the channel is completed and drained, calling <paramref name="handle"/> for each item it reads. Returns the total
    /// number of items handled. Each item is handled exactly once, by one consumer. If the channel was completed
    /// with an exception, the returned task fails with that exception.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="handle"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="consumers"/> is less than 1.</exception>
    public static Task<int> ConsumeAsync(
        ChannelReader<int> reader, int consumers, Func<int, CancellationToken, Task> handle,
        CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
