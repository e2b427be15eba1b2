using System.Numerics;
using Nethereum.RPC.NonceServices;
using Nethereum.Web3;

namespace Koans.Ethereum.Indexer;

/// <summary>Reference solution for ethereum.indexer, part 2.</summary>
public sealed class NonceManager
{
    // Nethereum's nonce service: under a semaphore, max(the node's *pending* count, the last nonce given + 1). The
    // pending count covers transactions still in the mempool; the local counter covers nonces given out whose
    // transactions have not reached the node yet. The lock covers only the choice of the nonce, never the send.
    private readonly InMemoryNonceService nonces;

    public NonceManager(Web3 web3, string address)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentNullException.ThrowIfNull(address);
        nonces = new InMemoryNonceService(address, web3.Client);
    }

    public async Task<T> SendAsync<T>(Func<BigInteger, CancellationToken, Task<T>> send, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(send);
        var nonce = await nonces.GetNextNonceAsync();
        try
        {
            return await send(nonce.Value, cancellationToken);
        }
        catch
        {
            // We do not know whether the transaction reached the node. Forget the local counter, so the next nonce
            // comes from the node's pending count again: the failed nonce is reused if it never arrived, skipped if it did.
            await nonces.ResetNonceAsync();
            throw;
        }
    }
}
