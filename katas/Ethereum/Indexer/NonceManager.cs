using System.Numerics;
using Nethereum.Web3;

namespace Koans.Ethereum.Indexer;

/// <summary>
/// Kata ethereum.indexer, part 2: the nonces of a backend's hot wallet. Every transaction of an account carries a
/// nonce; the node mines them strictly in order, one per nonce. A nonce given out twice makes the second transaction
/// fail (or replace the first); a nonce skipped leaves every later transaction of the account stuck in the mempool
/// until the gap is filled. A payout service sends from many requests at once, and sends fail.
/// </summary>
public sealed class NonceManager
{
    /// <summary>A manager for the nonces of <paramref name="address"/> on the node behind <paramref name="web3"/>.</summary>
    /// <exception cref="ArgumentNullException">A null argument.</exception>
    public NonceManager(Web3 web3, string address) => throw new NotImplementedException();

    /// <summary>
    /// Gives <paramref name="send"/> the next nonce of the account and returns what it returns (typically the
    /// transaction hash). Safe to call from any number of tasks at once: concurrent senders get consecutive nonces,
    /// none twice, none skipped. The sends themselves run concurrently too: a send can take seconds (a remote signer, a
    /// slow node), and a payout service cannot send one transaction at a time. The first nonce follows every
    /// transaction the node already knows of for the account, mined or still waiting in its mempool.
    /// </summary>
    /// <remarks>
    /// When <paramref name="send"/> throws, the exception reaches the caller unchanged, and the manager learns again
    /// from the node where the account stands before it gives out another nonce: the transaction may never have reached
    /// the node (its nonce must be used again, or every later transaction waits behind the gap), or it may have reached
    /// it and failed afterwards (a timeout on the reply: its nonce is taken).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="send"/> is null.</exception>
    public Task<T> SendAsync<T>(Func<BigInteger, CancellationToken, Task<T>> send, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
