using System.Globalization;
using System.Numerics;
using System.Text.Json.Serialization;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;

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
    private static readonly string Topic0 = "0x" + Sha3Keccack.Current.CalculateHash("Transfer(address,address,uint256)");

    public static string TransferTopic => Topic0;

    public static string AddressTopic(string address)
    {
        CheckAddress(address, nameof(address));
        return "0x" + new string('0', 24) + address[2..].ToLowerInvariant();
    }

    public static TransferEvent Decode(FilterLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var topics = (log.Topics ?? []).Select(t => t?.ToString() ?? "").ToArray();
        // Check the event's identity before reading anything: any contract can emit any topics,
        // and ERC-721's Transfer shares this topic0 with a fourth topic (the token id) and no data.
        if (topics.Length == 0 || !string.Equals(topics[0], Topic0, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Not a Transfer log: topic0 is {(topics.Length == 0 ? "absent" : topics[0])}, expected {Topic0}.", nameof(log));
        }

        if (topics.Length != 3)
        {
            throw new ArgumentException($"An ERC-20 Transfer has 3 topics (signature, from, to); this log has {topics.Length} (ERC-721 indexes the token id as a fourth).", nameof(log));
        }

        var data = HexBytes(log.Data ?? "0x");
        if (data.Length != 32)
        {
            throw new FormatException($"An ERC-20 Transfer's data is one uint256 word (32 bytes), not {data.Length} bytes.");
        }

        var value = new BigInteger(data, isUnsigned: true, isBigEndian: true);
        return new TransferEvent(
            log.Address.ToLowerInvariant(), AddressFromTopic(topics[1]), AddressFromTopic(topics[2]), value,
            (ulong)log.BlockNumber.Value, log.TransactionHash, (ulong)log.LogIndex.Value);
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

    public static async Task<IReadOnlyList<TransferEvent>> QueryAsync(IWeb3 web3, LogFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentNullException.ThrowIfNull(filter);
        // Nethereum's GetLogs takes no token: this is the only place a cancelled caller is heard.
        cancellationToken.ThrowIfCancellationRequested();
        var input = new NewFilterInput
        {
            FromBlock = new BlockParameter(new HexBigInteger(filter.FromBlock)),
            ToBlock = new BlockParameter(new HexBigInteger(filter.ToBlock)),
            Address = [filter.Address],
            Topics = [.. filter.Topics.Cast<object?>()],
        };
        var logs = await web3.Eth.Filters.GetLogs.SendRequestAsync(input);
        return [.. logs.Select(Decode)];
    }

    // A topic is the address's 32-byte ABI word: 12 zero bytes, then the address. Dirty high bytes are not an address.
    private static string AddressFromTopic(string topic)
    {
        var word = HexBytes(topic);
        if (word.Length != 32 || word.AsSpan(0, 12).ContainsAnyExcept((byte)0))
        {
            throw new FormatException($"'{topic}' is not an address topic: 12 zero bytes and 20 address bytes.");
        }

        return "0x" + Convert.ToHexStringLower(word.AsSpan(12));
    }

    private static byte[] HexBytes(string hex) =>
        hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && hex.Length % 2 == 0
            ? Convert.FromHexString(hex.AsSpan(2))
            : throw new FormatException($"'{hex}' is not 0x-prefixed hex bytes.");

    private static string Quantity(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static void CheckAddress(string? address, string name)
    {
        if (address is null || address.Length != 42 || !address.StartsWith("0x", StringComparison.Ordinal) || !address[2..].All(Uri.IsHexDigit))
        {
            throw new ArgumentException($"'{address}' is not an address: 0x and 40 hex digits.", name);
        }
    }
}
