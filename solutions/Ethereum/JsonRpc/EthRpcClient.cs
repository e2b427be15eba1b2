using System.Globalization;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Koans.Ethereum.JsonRpc;

/// <summary>Reference solution for ethereum.json-rpc.</summary>
public sealed class EthRpcClient(HttpClient http, Uri endpoint)
{
    private long nextId;

    public HttpClient Http { get; } = http ?? throw new ArgumentNullException(nameof(http));

    public Uri Endpoint { get; } = endpoint ?? throw new ArgumentNullException(nameof(endpoint));

    public async Task<JsonElement> CallAsync(string method, object?[] parameters, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        var id = Interlocked.Increment(ref nextId);
        using var response = await Http.PostAsJsonAsync(Endpoint, Request(id, method, parameters), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var document = await JsonDocument.ParseAsync(
            await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        return ToResponse(document.RootElement).GetResultOrThrow();
    }

    public async Task<ulong> ChainIdAsync(CancellationToken cancellationToken = default) =>
        (ulong)ParseQuantity((await CallAsync("eth_chainId", [], cancellationToken).ConfigureAwait(false)).GetString()!);

    public async Task<ulong> BlockNumberAsync(CancellationToken cancellationToken = default) =>
        (ulong)ParseQuantity((await CallAsync("eth_blockNumber", [], cancellationToken).ConfigureAwait(false)).GetString()!);

    public async Task<BigInteger> GetBalanceAsync(string address, string block = "latest", CancellationToken cancellationToken = default)
    {
        CheckAddress(address);
        return ParseQuantity((await CallAsync("eth_getBalance", [address, block], cancellationToken).ConfigureAwait(false)).GetString()!);
    }

    public async Task<ulong> GetTransactionCountAsync(string address, string block = "pending", CancellationToken cancellationToken = default)
    {
        CheckAddress(address);
        return (ulong)ParseQuantity((await CallAsync("eth_getTransactionCount", [address, block], cancellationToken).ConfigureAwait(false)).GetString()!);
    }

    public async Task<IReadOnlyList<JsonRpcResponse>> BatchAsync(IReadOnlyList<JsonRpcRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            throw new ArgumentException("An empty batch is an invalid request (JSON-RPC 2.0, section 6).", nameof(requests));
        }

        var ids = new long[requests.Count];
        var batch = new JsonArray();
        for (var i = 0; i < requests.Count; i++)
        {
            ids[i] = Interlocked.Increment(ref nextId);
            batch.Add(Request(ids[i], requests[i].Method, requests[i].Params));
        }

        using var response = await Http.PostAsJsonAsync(Endpoint, batch, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var document = await JsonDocument.ParseAsync(
            await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            // A node answers a batch it cannot parse at all with a single error object.
            ToResponse(document.RootElement).GetResultOrThrow();
            throw new JsonRpcException(-32600, "The answer to a batch is not an array.");
        }

        // The spec lets the server answer in any order: match by id, never by position.
        var byId = new Dictionary<long, JsonRpcResponse>();
        foreach (var answer in document.RootElement.EnumerateArray())
        {
            if (answer.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number)
            {
                byId[id.GetInt64()] = ToResponse(answer);
            }
        }

        return [.. ids.Select(id => byId.TryGetValue(id, out var r) ? r : new JsonRpcResponse(null, new JsonRpcException(-32603, $"No answer for request id {id}.")))];
    }

    public static BigInteger ParseQuantity(string quantity)
    {
        ArgumentNullException.ThrowIfNull(quantity);
        if (!quantity.StartsWith("0x", StringComparison.Ordinal) || quantity.Length == 2)
        {
            throw new FormatException($"'{quantity}' is not a quantity: 0x and at least one hex digit.");
        }

        if (quantity.Length > 3 && quantity[2] == '0')
        {
            throw new FormatException($"'{quantity}' has a leading zero: quantities are compact (0x0, 0x1a).");
        }

        // Check every digit here: BigInteger.Parse (and TryParse) skips trailing NUL characters, reading "0x1\0" as 1.
        var digits = quantity[2..];
        if (!digits.All(char.IsAsciiHexDigit))
        {
            throw new FormatException($"'{quantity}' has a non-hex digit.");
        }

        // The leading "0" keeps BigInteger.Parse from reading a high first digit as a negative sign.
        return BigInteger.Parse("0" + digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    private static JsonObject Request(long id, string method, object?[] parameters) => new()
    {
        ["jsonrpc"] = "2.0",
        ["id"] = id,
        ["method"] = method,
        ["params"] = JsonSerializer.SerializeToNode(parameters),
    };

    private static JsonRpcResponse ToResponse(JsonElement answer)
    {
        if (answer.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : -32603;
            var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            JsonElement? data = error.TryGetProperty("data", out var d) ? d.Clone() : null;
            return new JsonRpcResponse(null, new JsonRpcException(code, message, data));
        }

        return answer.TryGetProperty("result", out var result)
            ? new JsonRpcResponse(result.Clone(), null)
            : new JsonRpcResponse(null, new JsonRpcException(-32603, "The answer has neither result nor error."));
    }

    private static void CheckAddress(string address)
    {
        if (address is null || address.Length != 42 || !address.StartsWith("0x", StringComparison.Ordinal) ||
            !address[2..].All(Uri.IsHexDigit))
        {
            throw new ArgumentException($"'{address}' is not an address: 0x and 40 hex digits.", nameof(address));
        }
    }
}
