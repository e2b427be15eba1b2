using System.Threading.Channels;

namespace Koans.Concurrency.Channels;

/// <summary>Reference: a bounded producer/consumer pipeline.</summary>
public static class Pipeline
{
    public static Channel<int> CreateBounded(int capacity) =>
        Channel.CreateBounded<int>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // backpressure: never drop, make the writer wait
        });

    public static async Task ProduceAsync(
        ChannelWriter<int> writer, IEnumerable<int> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(items);
        try
        {
            foreach (var item in items)
                await writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
            writer.Complete();
        }
        catch (Exception ex)
        {
            // The readers learn why the stream ended; TryComplete in case someone else completed it already.
            writer.TryComplete(ex);
            throw;
        }
    }

    public static async Task<int> ConsumeAsync(
        ChannelReader<int> reader, int consumers, Func<int, CancellationToken, Task> handle,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(consumers);

        async Task<int> ConsumeOneAsync()
        {
            var handled = 0;
            // ReadAllAsync ends when the channel is completed and empty, and throws the exception passed to Complete.
            await foreach (var item in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await handle(item, cancellationToken).ConfigureAwait(false);
                handled++;
            }
            return handled;
        }

        var workers = Enumerable.Range(0, consumers).Select(_ => ConsumeOneAsync()).ToArray();
        return (await Task.WhenAll(workers).ConfigureAwait(false)).Sum();
    }
}
