using System.Numerics;
using Koans.Ethereum.JsonRpc;

namespace Koans.Ethereum.Transfer;

/// <summary>
/// Kata ethereum.transfer: send a signed EIP-1559 transaction through eth_sendRawTransaction and read its receipt.
/// </summary>
/// <remarks>
/// <para>The node never sees the private key: the transaction is built and signed here, and only the signed bytes
/// travel. The tools come from the earlier katas (infra/Koans.Ethereum.Primitives): <c>EthKeys.AddressFromPrivateKey</c>
/// (the sender), <c>Eip1559Signer.Sign</c> (the raw type-2 bytes) and the <see cref="EthRpcClient"/> from ethereum.json-rpc.</para>
/// <para>What to fill in: the chain id (eth_chainId); the nonce (eth_getTransactionCount of the sender at "pending", so a
/// second transaction sent before the first is mined does not reuse its nonce); the fees (maxPriorityFeePerGas from
/// eth_maxPriorityFeePerGas; maxFeePerGas = 2 * the latest block's baseFeePerGas + the tip, headroom for six full blocks
/// of base-fee growth); the gas limit (eth_estimateGas of this very call: from, to, value and data). Numbers travel as
/// JSON-RPC quantities: 0x and the fewest lowercase hex digits, zero as 0x0 (never 0x, never a leading zero).</para>
/// <para>The sender pays value + gasUsed * effectiveGasPrice, never more: the unused part of maxFeePerGas is not charged.</para>
/// <para>Every method refuses a null argument with <see cref="ArgumentNullException"/> naming it (the constructor too).</para>
/// </remarks>
/// <param name="rpc">The node.</param>
/// <param name="timeProvider">The clock the waits between receipt polls run on; null for the system clock.</param>
public sealed class TransactionSender(EthRpcClient rpc, TimeProvider? timeProvider = null)
{
    public EthRpcClient Rpc { get; } = rpc ?? throw new ArgumentNullException(nameof(rpc));

    /// <summary>The clock of the waits between receipt polls: the one given, or the system clock.</summary>
    public TimeProvider Time { get; } = timeProvider ?? TimeProvider.System;

    /// <summary>
    /// Builds, signs and sends a transaction from the key's address; returns its hash (0x, 32 bytes) as the node reported it.
    /// <paramref name="to"/> null creates a contract (<paramref name="data"/> is then the init code).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null (no data is an empty array).</exception>
    /// <exception cref="ArgumentException"><paramref name="to"/> is not null and not 0x followed by 40 hex digits, or
    /// <paramref name="value"/> is negative; the exception names the parameter, and nothing has been sent to the node
    /// yet (checked before any request).</exception>
    /// <exception cref="JsonRpcException">The node refused it (insufficient funds, nonce too low, a revert in estimateGas).</exception>
    public Task<string> SendAsync(string privateKeyHex, string? to, BigInteger value, byte[] data, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Polls eth_getTransactionReceipt until the transaction is mined and returns the receipt: at most 100 polls, the
    /// first at once and each next one 100 ms after the previous answer, timed on the constructor's clock.
    /// A reverted transaction has a receipt too: <see cref="TransactionReceipt.Succeeded"/> is false.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="transactionHash"/> is empty (<see cref="ArgumentNullException"/>
    /// if null), naming the parameter.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> is cancelled.</exception>
    /// <exception cref="TimeoutException">Not mined after the 100th poll and one more interval.</exception>
    public Task<TransactionReceipt> WaitForReceiptAsync(string transactionHash, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Sends <paramref name="valueWei"/> to <paramref name="to"/> with no data and returns the receipt.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="to"/> is null: a transfer always has a recipient (a
    /// transaction without one creates a contract), so nothing is sent.</exception>
    public Task<TransactionReceipt> TransferAsync(string privateKeyHex, string to, BigInteger valueWei, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
