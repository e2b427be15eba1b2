using System.Numerics;
using System.Text.Json;

namespace Koans.Ethereum.JsonRpc;

/// <summary>
/// Kata ethereum.json-rpc: a small Ethereum JSON-RPC 2.0 client over HTTP, with <see cref="HttpClient"/> and
/// System.Text.Json only.
/// </summary>
/// <remarks>
/// <para>A request is a POST of <c>{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}</c>; the answer carries
/// the same id and either <c>result</c> or <c>error</c> (<c>{"code":..,"message":..,"data":..}</c>), never both.
/// An error object is not an HTTP error: the node answers 200 OK. Turn it into a <see cref="JsonRpcException"/>.</para>
/// <para>Numbers travel as hex "quantities": <c>"0x"</c> and no leading zeros (<c>"0x0"</c> is zero). Balances are
/// in wei and overflow <c>ulong</c> (10000 ETH is 10^22 wei), so they are <see cref="BigInteger"/>.</para>
/// <para>A batch is a JSON array of requests; the answer is an array in any order: match answers to requests by id.</para>
/// <para>Answers that break the format are errors too, with the spec's codes: an answer with neither <c>result</c> nor
/// <c>error</c>, an error object without a numeric code, and a batch request the node never answered are code -32603
/// (internal error); a batch answered with something other than an array or an error object is -32600 (invalid
/// request). A <c>result</c> of <c>null</c> is a result, and so is an answer whose <c>error</c> member is <c>null</c>.
/// In a batch answer, an entry whose id the client never sent belongs to no request.</para>
/// <para>This is library code: it must never resume on the caller's <see cref="SynchronizationContext"/> (a UI thread,
/// a classic ASP.NET request). A caller that blocks on one of these tasks there would otherwise deadlock.</para>
/// </remarks>
public sealed class EthRpcClient(HttpClient http, Uri endpoint)
{
    public HttpClient Http { get; } = http ?? throw new ArgumentNullException(nameof(http));

    public Uri Endpoint { get; } = endpoint ?? throw new ArgumentNullException(nameof(endpoint));

    /// <summary>
    /// Calls <paramref name="method"/> and returns its <c>result</c> (cloned: it outlives the response's JsonDocument).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="method"/> is null or empty (checked before any request).</exception>
    /// <exception cref="JsonRpcException">The node answered with an error object (its code, message and data kept), or
    /// with neither a result nor an error.</exception>
    /// <exception cref="HttpRequestException">The HTTP status is not a success (the node is not answering JSON-RPC).</exception>
    public Task<JsonElement> CallAsync(string method, object?[] parameters, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>eth_chainId as a number (EIP-695): 31337 on Anvil, 1 on mainnet.</summary>
    public Task<ulong> ChainIdAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>eth_blockNumber: the number of the latest block.</summary>
    public Task<ulong> BlockNumberAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>eth_getBalance of <paramref name="address"/> (0x hex) at <paramref name="block"/> ("latest", "pending" or a 0x block number), in wei.</summary>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not 0x followed by 40 hex digits (checked before any request).</exception>
    public Task<BigInteger> GetBalanceAsync(string address, string block = "latest", CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>eth_getTransactionCount: the account's nonce, counting pending transactions by default.</summary>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not 0x followed by 40 hex digits.</exception>
    public Task<ulong> GetTransactionCountAsync(string address, string block = "pending", CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Sends <paramref name="requests"/> as one JSON-RPC batch (one HTTP request) and returns one response per request,
    /// in the order of <paramref name="requests"/>. An error in one entry is that entry's <see cref="JsonRpcResponse.Error"/>;
    /// it does not fail the others.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="requests"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="requests"/> is empty (the spec makes an empty batch an invalid request).</exception>
    /// <exception cref="HttpRequestException">The HTTP status is not a success.</exception>
    /// <exception cref="JsonRpcException">The node refused the whole batch with one error object (that error), or its
    /// answer is neither an array nor an error object.</exception>
    public Task<IReadOnlyList<JsonRpcResponse>> BatchAsync(IReadOnlyList<JsonRpcRequest> requests, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Parses a hex quantity ("0x1a") into a number.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="quantity"/> is null.</exception>
    /// <exception cref="FormatException">No 0x prefix, no digits, a leading zero ("0x01") or any character that is not
    /// a hex digit.</exception>
    public static BigInteger ParseQuantity(string quantity) => throw new NotImplementedException();
}
