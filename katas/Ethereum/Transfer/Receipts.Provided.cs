using System.Numerics;
using System.Text.Json;
using Koans.Ethereum.JsonRpc;

namespace Koans.Ethereum.Transfer;

// The data model: implemented, not part of the exercise. The exercise is TransactionSender.cs.

/// <summary>One log (event) a transaction emitted: the emitting contract, up to four topics, and the data.</summary>
public sealed record LogEntry(string Address, IReadOnlyList<string> Topics, byte[] Data, ulong BlockNumber, string TransactionHash, ulong LogIndex)
{
    /// <summary>Reads one log object of eth_getTransactionReceipt or eth_getLogs.</summary>
    public static LogEntry FromJson(JsonElement log) => new(
        log.GetProperty("address").GetString()!,
        [.. log.GetProperty("topics").EnumerateArray().Select(t => t.GetString()!)],
        Convert.FromHexString(log.GetProperty("data").GetString()![2..]),
        (ulong)EthRpcClient.ParseQuantity(log.GetProperty("blockNumber").GetString()!),
        log.GetProperty("transactionHash").GetString()!,
        (ulong)EthRpcClient.ParseQuantity(log.GetProperty("logIndex").GetString()!));
}

/// <summary>What eth_getTransactionReceipt says about a mined transaction. Addresses are lowercase hex, as nodes send them.</summary>
public sealed record TransactionReceipt(
    string TransactionHash,
    ulong BlockNumber,
    bool Succeeded,
    string From,
    string? To,
    string? ContractAddress,
    BigInteger GasUsed,
    BigInteger EffectiveGasPrice,
    IReadOnlyList<LogEntry> Logs)
{
    /// <summary>What the sender paid for gas, in wei: gasUsed * effectiveGasPrice (base fee, burnt, plus the tip).</summary>
    public BigInteger Fee => GasUsed * EffectiveGasPrice;

    /// <summary>Reads the result of eth_getTransactionReceipt (which must not be null).</summary>
    public static TransactionReceipt FromJson(JsonElement receipt)
    {
        static string? Optional(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        return new TransactionReceipt(
            receipt.GetProperty("transactionHash").GetString()!,
            (ulong)EthRpcClient.ParseQuantity(receipt.GetProperty("blockNumber").GetString()!),
            receipt.GetProperty("status").GetString() == "0x1",
            receipt.GetProperty("from").GetString()!,
            Optional(receipt, "to"),
            Optional(receipt, "contractAddress"),
            EthRpcClient.ParseQuantity(receipt.GetProperty("gasUsed").GetString()!),
            EthRpcClient.ParseQuantity(receipt.GetProperty("effectiveGasPrice").GetString()!),
            [.. receipt.GetProperty("logs").EnumerateArray().Select(LogEntry.FromJson)]);
    }
}
