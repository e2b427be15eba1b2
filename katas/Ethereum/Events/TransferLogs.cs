using System.Numerics;
using System.Text.Json.Serialization;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Koans.Ethereum.Events;

/// <summary>One decoded ERC-20 <c>Transfer(address indexed from, address indexed to, uint256 value)</c>. Addresses 0x lowercase.</summary>
public sealed record TransferEvent(string Token, string From, string To, BigInteger Value, ulong BlockNumber, string TransactionHash, ulong LogIndex);

/// <summary>
/// The filter object of <c>eth_getLogs</c>: a block range (hex quantities), the emitting contract, and the topics by
/// position. A null topic is a wildcard: <c>[topic0, null, toTopic]</c> matches any <c>from</c> and one <c>to</c>.
/// Serialises with System.Text.Json to exactly the JSON the node expects.
/// </summary>
public sealed record LogFilter(
    [property: JsonPropertyName("fromBlock")] string FromBlock,
    [property: JsonPropertyName("toBlock")] string ToBlock,
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("topics")] IReadOnlyList<string?> Topics);

/// <summary>
/// Kata ethereum.events: find and decode the ERC-20 Transfer events of a token.
/// </summary>
/// <remarks>
/// <para>A log is the emitting contract's address, up to four 32-byte topics and a data blob (Nethereum's
/// <see cref="FilterLog"/>: topics and data as 0x hex strings, as the node sends them). For a non-anonymous event, topic0 is keccak256 of the canonical event signature
/// ("Transfer(address,address,uint256)": no spaces, no parameter names, no "indexed"). Each <c>indexed</c> parameter
/// is one more topic, in declaration order; a value type such as an address is ABI-encoded to its 32-byte word, so an
/// address topic is 12 zero bytes then the 20 address bytes. The parameters that are not indexed are ABI-encoded
/// together in the data: for Transfer, one uint256 word, the value.</para>
/// <para>The plumbing is Nethereum's: its Keccak-256 (what ethereum.keccak built), and an <see cref="IWeb3"/> to send
/// the query. The topics and the decoding are the kata: do them from the bytes.</para>
/// </remarks>
public static class TransferLogs
{
    /// <summary>topic0 of every ERC-20 Transfer log: keccak256("Transfer(address,address,uint256)"), 0x + 64 lowercase hex digits.</summary>
    public static string TransferTopic => throw new NotImplementedException();

    /// <summary>
    /// The topic an indexed address becomes: "0x" + 24 zeros + the 40 address digits, lowercase (the address's ABI word).
    /// Nodes compare topics as bytes, but a lowercase string is what you will compare against in your own code.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="address"/> is null or not "0x" + 40 hex digits (the exception names it).</exception>
    public static string AddressTopic(string address) => throw new NotImplementedException();

    /// <summary>
    /// Decodes one log as an ERC-20 Transfer: from = topics[1], to = topics[2] (the last 20 bytes of each word), value =
    /// the data decoded as one uint256. Check before you trust: the log must be a Transfer with exactly three topics
    /// (ERC-721's Transfer has the same topic0 but indexes the token id too: four topics, empty data), and the data must
    /// be exactly one 32-byte word. The result's addresses are 0x lowercase; the value is read as an unsigned number.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="log"/> is null.</exception>
    /// <exception cref="ArgumentException">The log has no topics, topic0 is not <see cref="TransferTopic"/>, or there are not
    /// exactly three topics: not an ERC-20 Transfer (the exception names <paramref name="log"/>).</exception>
    /// <exception cref="FormatException">The data is absent or not exactly 32 bytes, an address topic is absent, not 32
    /// bytes or has non-zero high bytes, or either is not "0x" followed by whole hex bytes.</exception>
    public static TransferEvent Decode(FilterLog log) => throw new NotImplementedException();

    /// <summary>
    /// The eth_getLogs filter for Transfer events of <paramref name="token"/> in blocks <paramref name="fromBlock"/> to
    /// <paramref name="toBlock"/> (both inclusive, hex quantities such as "0x1a"), optionally only those from
    /// <paramref name="from"/> and/or to <paramref name="to"/>: topics are [TransferTopic, fromTopic or null,
    /// toTopic or null] (positions matter: the second topic is always <c>from</c>, the third always <c>to</c>).
    /// The filter's address is <paramref name="token"/> in lowercase.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="fromBlock"/> is after <paramref name="toBlock"/> (an empty range is
    /// almost always a bug: say so instead of returning nothing), or an address is malformed (a malformed
    /// <paramref name="token"/> is named in the exception).</exception>
    public static LogFilter BuildFilter(string token, ulong fromBlock, ulong toBlock, string? from = null, string? to = null) =>
        throw new NotImplementedException();

    /// <summary>Runs <c>eth_getLogs</c> with <paramref name="filter"/> through <paramref name="web3"/> and decodes every log,
    /// in the node's order (block, then log index).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="web3"/> or <paramref name="filter"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> is already cancelled: no request is sent.</exception>
    public static Task<IReadOnlyList<TransferEvent>> QueryAsync(IWeb3 web3, LogFilter filter, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
