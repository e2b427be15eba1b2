namespace Koans.Performance.AsyncHotPath;

/// <summary>
/// Kata performance.async-hot-path, part 2: a single-consumer mailbox whose receives allocate nothing, neither when a
/// value is already waiting nor when the receiver has to wait for one.
/// </summary>
/// <remarks>
/// <para>The naive mailbox creates a <see cref="TaskCompletionSource{TResult}"/> and its task for every receive that has
/// to wait: two objects per message. A <see cref="ValueTask{TResult}"/> can be backed by an object of your own that
/// you reset and reuse for the next receive, so a consumer that loops forever allocates once, not once per message.
/// This is how sockets, pipes and channels in the runtime avoid allocating per operation.</para>
/// <para>The price of reuse is a rule every <see cref="ValueTask{TResult}"/> comes with: it may be awaited <b>once</b>.
/// Once the consumer has its value, the object behind the task already belongs to the next receive, so awaiting the
/// old task again (or calling <c>.Result</c>, <c>.AsTask()</c> or <c>WhenAll</c> on it after that) could hand back
/// another message. Your mailbox must refuse instead of lying.</para>
/// <para>What the tests hold you to:</para>
/// <list type="bullet">
/// <item><description>Values posted while nobody waits are received in order, already completed, 0 bytes per
/// post-and-receive.</description></item>
/// <item><description>A receive that has to wait is completed by the next <see cref="Post"/>, and the receiver's
/// continuation runs on the posting thread before <see cref="Post"/> returns (as a
/// <see cref="TaskCompletionSource{TResult}"/> created without options does). A consumer looping over a thousand such
/// messages allocates nothing per message.</description></item>
/// <item><description>Awaiting a receive again after its value was taken throws
/// <see cref="InvalidOperationException"/>.</description></item>
/// <item><description>One consumer: a receive started while another has not yet been awaited throws
/// <see cref="InvalidOperationException"/>.</description></item>
/// </list>
/// <para>Post may be called from any thread. There is no cancellation: the kata is about the allocation.</para>
/// </remarks>
public sealed class Mailbox
{
    /// <summary>Delivers <paramref name="value"/> to the waiting receiver, or keeps it for the next receive.</summary>
    public void Post(long value) => throw new NotImplementedException();

    /// <summary>The next value: completed at once when one was posted before, otherwise when the next one is.</summary>
    /// <exception cref="InvalidOperationException">The previous receive has not been awaited yet.</exception>
    public ValueTask<long> ReceiveAsync() => throw new NotImplementedException();
}
