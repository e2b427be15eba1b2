using System.Text.Json;

namespace Koans.Ethereum.JsonRpc;

// The data model: implemented, not part of the exercise. The exercise is EthRpcClient.cs.

/// <summary>One call of a batch: a method name and its positional parameters.</summary>
public sealed record JsonRpcRequest(string Method, params object?[] Params);

/// <summary>One answer of a batch: either a result or an error, never both.</summary>
public sealed record JsonRpcResponse(JsonElement? Result, JsonRpcException? Error)
{
    /// <summary>The result, or the error thrown.</summary>
    public JsonElement GetResultOrThrow() => Error is not null ? throw Error : Result!.Value;
}

/// <summary>
/// A JSON-RPC 2.0 error object (<c>{"code": -32601, "message": "Method not found", "data": ...}</c>) as an exception.
/// Codes from -32768 to -32000 are reserved by the spec: -32700 parse error, -32600 invalid request,
/// -32601 method not found, -32602 invalid params, -32603 internal error; nodes use -32000 and below for their own
/// (execution reverted is 3 on geth and Anvil, with the revert data in <see cref="ErrorData"/>).
/// </summary>
public sealed class JsonRpcException(int code, string message, JsonElement? errorData = null)
    : Exception($"JSON-RPC error {code}: {message}")
{
    public int Code { get; } = code;

    /// <summary>The error's message as the node sent it.</summary>
    public string RpcMessage { get; } = message;

    /// <summary>The optional <c>data</c> member (named so because <see cref="Exception.Data"/> exists).</summary>
    public JsonElement? ErrorData { get; } = errorData;
}
