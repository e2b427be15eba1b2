using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Koans.Ethereum.NethereumEvents;

/// <summary>
/// ERC-20's <c>event Transfer(address indexed from, address indexed to, uint256 value)</c> as a typed event. Part of
/// the kata: give the class and its properties the attributes that tell Nethereum the event's name and, for each
/// parameter, its Solidity type, position and whether it is indexed (a topic) or not (in the data).
/// </summary>
public class TransferEventDto : IEventDTO
{
    public string From { get; set; } = "";

    public string To { get; set; } = "";

    public BigInteger Value { get; set; }
}

/// <summary>
/// Kata ethereum.nethereum-events: decode and query ERC-20 Transfer events with Nethereum, the way web3.py's
/// <c>contract.events.Transfer().process_receipt(...)</c> and <c>get_logs(argument_filters=...)</c> do. ethereum.events
/// built the topics and the eth_getLogs filter by hand; here the event DTO carries them, and the same checks apply.
/// </summary>
/// <remarks>
/// Any contract can emit any log. A Transfer is only a transfer <b>of this token</b> if the token's address emitted it.
/// ERC-721's Transfer has the same topic0 (same canonical signature) but indexes the token id as a fourth topic.
/// </remarks>
public static class TokenEvents
{
    /// <summary>
    /// The ERC-20 Transfer events that <paramref name="token"/> emitted in <paramref name="receipt"/>, in log order.
    /// Logs of other events and logs emitted by other contracts are left out (a swap's receipt has Transfers of
    /// several tokens, and a hostile contract can emit a Transfer that looks like your token's); so are the token's
    /// anonymous logs (no topic 0) and its other events, whatever their topic count.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="receipt"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="token"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentException">The token emitted a Transfer log whose topic count is not 3 (an ERC-721
    /// transfer, or not ERC-20 at all): refuse to read it as a fungible amount.</exception>
    public static IReadOnlyList<EventLog<TransferEventDto>> DecodeTransfers(TransactionReceipt receipt, string token) =>
        throw new NotImplementedException();

    /// <summary>
    /// The Transfer events of <paramref name="token"/> in blocks <paramref name="fromBlock"/> to <paramref name="toBlock"/>
    /// (both inclusive), optionally only those from <paramref name="from"/> and/or to <paramref name="to"/>, found by the
    /// node with <c>eth_getLogs</c> (filtering on the indexed topics happens on the node, not in your process), in the
    /// node's order (block, then log index). A Transfer with other than three topics among them is refused, as in
    /// <see cref="DecodeTransfers"/>.
    /// This is library code: started on the caller's <see cref="SynchronizationContext"/> (a UI thread), it must not
    /// resume on that context after an await.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="web3"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> is already cancelled: nothing is sent.</exception>
    /// <exception cref="ArgumentException"><paramref name="fromBlock"/> is after <paramref name="toBlock"/>: an empty range is
    /// almost always a bug, say so instead of returning nothing (a range of one block, fromBlock == toBlock, is fine).</exception>
    /// <exception cref="ArgumentException">The node returned a Transfer log of the token whose topic count is not 3.</exception>
    public static Task<IReadOnlyList<EventLog<TransferEventDto>>> QueryTransfersAsync(
        Web3 web3, string token, ulong fromBlock, ulong toBlock, string? from = null, string? to = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
