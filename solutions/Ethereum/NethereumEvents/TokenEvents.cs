using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Koans.Ethereum.NethereumEvents;

/// <summary>ERC-20's <c>event Transfer(address indexed from, address indexed to, uint256 value)</c> as a typed event.</summary>
[Event("Transfer")]
public class TransferEventDto : IEventDTO
{
    // Indexed parameters are topics 1 and 2 (topic 0 is keccak256 of the signature); the value is the data.
    [Parameter("address", "from", 1, true)]
    public string From { get; set; } = "";

    [Parameter("address", "to", 2, true)]
    public string To { get; set; } = "";

    [Parameter("uint256", "value", 3, false)]
    public BigInteger Value { get; set; }
}

/// <summary>Reference solution for ethereum.nethereum-events.</summary>
public static class TokenEvents
{
    private const int Erc20TransferTopics = 3;

    public static IReadOnlyList<EventLog<TransferEventDto>> DecodeTransfers(TransactionReceipt receipt, string token)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        // DecodeAllEvents decodes whatever matches the event, whoever emitted it: the emitter check is ours. And the
        // library's match silently skips a Transfer with the wrong topic count; from our token that must be loud.
        var topic0 = "0x" + EventExtensions.GetEventABI<TransferEventDto>().Sha3Signature;
        var fromToken = receipt.Logs
            .Where(log => string.Equals(log.Address, token, StringComparison.OrdinalIgnoreCase))
            .Where(log => log.Topics is { Length: > 0 } && string.Equals(log.Topics[0]?.ToString(), topic0, StringComparison.OrdinalIgnoreCase))
            .ToArray();
        CheckErc20Shape(fromToken);
        return fromToken.DecodeAllEvents<TransferEventDto>();
    }

    public static async Task<IReadOnlyList<EventLog<TransferEventDto>>> QueryTransfersAsync(
        Web3 web3, string token, ulong fromBlock, ulong toBlock, string? from = null, string? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web3);
        if (fromBlock > toBlock)
        {
            throw new ArgumentException($"fromBlock {fromBlock} is after toBlock {toBlock}: the range is empty.", nameof(fromBlock));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var transfer = web3.Eth.GetEvent<TransferEventDto>(token);
        // Topics are positional: a null `from` becomes a null (wildcard) second topic, so `to` stays third.
        var filter = transfer.CreateFilterInput(
            from, to, new BlockParameter(fromBlock), new BlockParameter(toBlock));
        // eth_getLogs raw, then decode: GetAllChangesAsync would decode for us, but its matcher silently drops a Transfer
        // of the wrong shape before we could see it, and from this token that must be loud, as in DecodeTransfers.
        var logs = await web3.Eth.Filters.GetLogs.SendRequestAsync(filter).ConfigureAwait(false);
        CheckErc20Shape(logs);
        return logs.DecodeAllEvents<TransferEventDto>();
    }

    private static void CheckErc20Shape(IEnumerable<FilterLog> logs)
    {
        foreach (var log in logs)
        {
            if (log.Topics.Length != Erc20TransferTopics)
            {
                throw new ArgumentException(
                    $"Log {log.LogIndex?.Value} of {log.TransactionHash} is a Transfer with {log.Topics.Length} topics: an ERC-20 Transfer has 3 (ERC-721 indexes the token id as a fourth).");
            }
        }
    }
}
