using System.Globalization;
using System.Numerics;
using System.Text.Json.Serialization;
using Koans.Ethereum.Abi;
using Koans.Ethereum.JsonRpc;
using Koans.Ethereum.Keccak;
using Koans.Ethereum.Transfer;

namespace Koans.Ethereum.Events;

/// <summary>One decoded ERC-20 <c>Transfer(address indexed from, address indexed to, uint256 value)</c>. Addresses 0x lowercase.</summary>
public sealed record TransferEvent(string Token, string From, string To, BigInteger Value, ulong BlockNumber, string TransactionHash, ulong LogIndex);

/// <summary>The filter object of <c>eth_getLogs</c>.</summary>
public sealed record LogFilter(
    [property: JsonPropertyName("fromBlock")] string FromBlock,
    [property: JsonPropertyName("toBlock")] string ToBlock,
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("topics")] IReadOnlyList<string?> Topics);

/// <summary>Reference solution for ethereum.events.</summary>
public static class TransferLogs
{
    private static readonly string Topic0 = EthHash.EventTopic("Transfer(address,address,uint256)");

    public static string TransferTopic => Topic0;

    public static string AddressTopic(string address)
    {
        CheckAddress(address, nameof(address));
        return "0x" + new string('0', 24) + address[2..].ToLowerInvariant();
    }

    public static TransferEvent Decode(LogEntry log)
    {
        ArgumentNullException.ThrowIfNull(log);
        // Check the event's identity before reading anything: any contract can emit any topics,
        // and ERC-721's Transfer shares this topic0 with a fourth topic (the token id) and no data.
        if (log.Topics.Count == 0 || !string.Equals(log.Topics[0], Topic0, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Not a Transfer log: topic0 is {(log.Topics.Count == 0 ? "absent" : log.Topics[0])}, expected {Topic0}.", nameof(log));
        }

        if (log.Topics.Count != 3)
        {
            throw new ArgumentException($"An ERC-20 Transfer has 3 topics (signature, from, to); this log has {log.Topics.Count} (ERC-721 indexes the token id as a fourth).", nameof(log));
        }

        if (log.Data.Length != 32)
        {
            throw new FormatException($"An ERC-20 Transfer's data is one uint256 word (32 bytes), not {log.Data.Length} bytes.");
        }

        // A topic is the address's ABI word: decoding it as "address" also rejects dirty high bytes.
        var from = (string)AbiCodec.Decode(["address"], TopicBytes(log.Topics[1]))[0];
        var to = (string)AbiCodec.Decode(["address"], TopicBytes(log.Topics[2]))[0];
        var value = (BigInteger)AbiCodec.Decode(["uint256"], log.Data)[0];
        return new TransferEvent(log.Address.ToLowerInvariant(), from, to, value, log.BlockNumber, log.TransactionHash, log.LogIndex);
    }

    public static LogFilter BuildFilter(string token, ulong fromBlock, ulong toBlock, string? from = null, string? to = null)
    {
        CheckAddress(token, nameof(token));
        if (fromBlock > toBlock)
        {
            throw new ArgumentException($"fromBlock {fromBlock} is after toBlock {toBlock}: the range is empty.", nameof(fromBlock));
        }

        // Topics are positional: null is "any value" in that position, so filtering by `to` alone needs the null for `from`.
        string?[] topics = [Topic0, from is null ? null : AddressTopic(from), to is null ? null : AddressTopic(to)];
        return new LogFilter(Quantity(fromBlock), Quantity(toBlock), token.ToLowerInvariant(), topics);
    }

    public static async Task<IReadOnlyList<TransferEvent>> QueryAsync(EthRpcClient rpc, LogFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(filter);
        var logs = await rpc.CallAsync("eth_getLogs", [filter], cancellationToken).ConfigureAwait(false);
        return [.. logs.EnumerateArray().Select(LogEntry.FromJson).Select(Decode)];
    }

    private static byte[] TopicBytes(string topic) =>
        topic.Length == 66 && topic.StartsWith("0x", StringComparison.Ordinal)
            ? Convert.FromHexString(topic.AsSpan(2))
            : throw new FormatException($"'{topic}' is not a topic: 0x and 64 hex digits.");

    private static string Quantity(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static void CheckAddress(string? address, string name)
    {
        if (address is null || address.Length != 42 || !address.StartsWith("0x", StringComparison.Ordinal) || !address[2..].All(Uri.IsHexDigit))
        {
            throw new ArgumentException($"'{address}' is not an address: 0x and 40 hex digits.", name);
        }
    }
}
