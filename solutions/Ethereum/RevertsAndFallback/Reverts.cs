using System.Numerics;
using System.Text.Json;
using Koans.Ethereum.Abi;
using Koans.Ethereum.JsonRpc;
using Koans.Ethereum.Keccak;

namespace Koans.Ethereum.RevertsAndFallback;

/// <summary>Why a call reverted, decoded from its revert data.</summary>
public abstract record RevertReason;

/// <summary><c>revert()</c> or <c>require(cond)</c> without a message: empty revert data, nothing to decode.</summary>
public sealed record BareRevert : RevertReason;

/// <summary><c>Error(string)</c>: <c>require(cond, "message")</c> or <c>revert("message")</c>.</summary>
public sealed record ErrorRevert(string Message) : RevertReason;

/// <summary><c>Panic(uint256)</c>: a compiler-inserted check failed (assert, overflow, division by zero...). <paramref name="Name"/> says which.</summary>
public sealed record PanicRevert(BigInteger Code, string Name) : RevertReason;

/// <summary>A custom error the caller knew the signature of, such as "InsufficientBalance(uint256,uint256)", with its ABI-decoded arguments.</summary>
public sealed record CustomErrorRevert(string Signature, IReadOnlyList<object> Arguments) : RevertReason;

/// <summary>Revert data whose selector is none of the known ones: reported, not guessed at. <paramref name="Selector"/> is "0x" + 8 lowercase hex digits.</summary>
public sealed record UnknownRevert(string Selector, byte[] Data) : RevertReason;

/// <summary>Which code a call to a contract runs (see <see cref="Reverts.Dispatch"/>).</summary>
public enum EntryPoint
{
    /// <summary>The function whose selector the calldata starts with.</summary>
    Function,

    /// <summary><c>receive() external payable</c>: empty calldata (a plain ether transfer).</summary>
    Receive,

    /// <summary><c>fallback()</c>: no function matches (or empty calldata and no receive).</summary>
    Fallback,

    /// <summary>No function matches and there is nothing to fall back to: the call reverts.</summary>
    Revert,
}

/// <summary>Reference solution for ethereum.reverts-and-fallback.</summary>
/// <remarks>
/// Application code, run from a console or a test, where there is no SynchronizationContext to leave: no ConfigureAwait
/// (EthRpcClient underneath does use ConfigureAwait(false)).
/// </remarks>
public static class Reverts
{
    // Solidity docs, "Panic via assert and Error via require": Error(string) is 0x08c379a0, Panic(uint256) is 0x4e487b71.
    private static readonly byte[] ErrorSelector = SelectorBytes("Error(string)");
    private static readonly byte[] PanicSelector = SelectorBytes("Panic(uint256)");

    // geth and Anvil answer a reverted eth_call / eth_estimateGas with error code 3 and the revert data in error.data.
    private const int ExecutionRevertedCode = 3;

    // The code is a uint256 the contract chose: clamp it into int range before the switch (anything outside the
    // table, -1 and 0x100 included, is unknown), so that a huge code is named rather than an OverflowException.
    public static string PanicName(BigInteger code) => (int)BigInteger.Clamp(code, -1, 0x100) switch
    {
        0x00 => "generic compiler-inserted panic",
        0x01 => "assert failed",
        0x11 => "arithmetic underflow or overflow",
        0x12 => "division or modulo by zero",
        0x21 => "invalid enum conversion",
        0x22 => "incorrectly encoded storage byte array",
        0x31 => "pop on an empty array",
        0x32 => "array index out of bounds",
        0x41 => "out of memory (too large an allocation)",
        0x51 => "call to a zero-initialised internal function",
        _ => $"unknown panic code 0x{code:x}",
    };

    public static RevertReason Decode(ReadOnlySpan<byte> revertData, IReadOnlyList<string> customErrors)
    {
        ArgumentNullException.ThrowIfNull(customErrors);
        if (revertData.IsEmpty)
        {
            return new BareRevert();
        }

        if (revertData.Length < 4)
        {
            throw new FormatException($"Revert data of {revertData.Length} bytes: not even a whole 4-byte selector.");
        }

        var selector = revertData[..4];
        var arguments = revertData[4..];
        // AbiCodec.Decode throws FormatException on truncated words and offsets past the end: we let it.
        if (selector.SequenceEqual(ErrorSelector))
        {
            return new ErrorRevert((string)AbiCodec.Decode(["string"], arguments)[0]);
        }

        if (selector.SequenceEqual(PanicSelector))
        {
            if (arguments.Length != 32)
            {
                throw new FormatException($"Panic(uint256) carries one 32-byte word, not {arguments.Length} bytes.");
            }

            var code = (BigInteger)AbiCodec.Decode(["uint256"], arguments)[0];
            return new PanicRevert(code, PanicName(code));
        }

        foreach (var signature in customErrors)
        {
            if (selector.SequenceEqual(SelectorBytes(signature)))
            {
                return new CustomErrorRevert(signature, AbiCodec.DecodeCall(signature, revertData));
            }
        }

        // Unknown is an answer: the ABI that declares the error is missing, not the data broken.
        return new UnknownRevert("0x" + Convert.ToHexStringLower(selector), revertData.ToArray());
    }

    public static Task<RevertReason?> CallAsync(EthRpcClient rpc, string contract, byte[] calldata, IReadOnlyList<string> customErrors, string? from = null, CancellationToken cancellationToken = default)
    {
        var call = CallObject(contract, calldata, from);
        return RevertOfAsync(rpc, "eth_call", [call, "latest"], customErrors, cancellationToken);
    }

    public static Task<RevertReason?> EstimateGasAsync(EthRpcClient rpc, string from, string contract, byte[] calldata, IReadOnlyList<string> customErrors, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(from);
        return RevertOfAsync(rpc, "eth_estimateGas", [CallObject(contract, calldata, from)], customErrors, cancellationToken);
    }

    public static EntryPoint Dispatch(ReadOnlySpan<byte> calldata, IReadOnlyCollection<string> functionSelectors, bool hasReceive, bool hasFallback)
    {
        ArgumentNullException.ThrowIfNull(functionSelectors);
        if (calldata.IsEmpty)
        {
            return hasReceive ? EntryPoint.Receive : hasFallback ? EntryPoint.Fallback : EntryPoint.Revert;
        }

        if (calldata.Length >= 4)
        {
            var selector = "0x" + Convert.ToHexStringLower(calldata[..4]);
            if (functionSelectors.Any(s => string.Equals(s, selector, StringComparison.OrdinalIgnoreCase)))
            {
                return EntryPoint.Function;
            }
        }

        // Note: receive is never reached with non-empty calldata, even calldata that matches nothing.
        return hasFallback ? EntryPoint.Fallback : EntryPoint.Revert;
    }

    private static async Task<RevertReason?> RevertOfAsync(EthRpcClient rpc, string method, object?[] parameters, IReadOnlyList<string> customErrors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(customErrors);
        try
        {
            await rpc.CallAsync(method, parameters, cancellationToken);
            return null;
        }
        catch (JsonRpcException e) when (RevertData(e) is { } data)
        {
            return Decode(data, customErrors);
        }
    }

    /// <summary>The revert data of a JSON-RPC error, or null when the error is not a revert (then it propagates).</summary>
    private static byte[]? RevertData(JsonRpcException e)
    {
        var data = e.ErrorData;
        // geth and Anvil send the hex string itself; Hardhat nested it ({ "data": { "message": ..., "data": "0x..." } },
        // until https://github.com/NomicFoundation/hardhat/pull/8310). Older nodes used code -32000 with the same data.
        if (data is { ValueKind: JsonValueKind.Object } nested && nested.TryGetProperty("data", out var inner))
        {
            data = inner;
        }

        if (data is { ValueKind: JsonValueKind.String } hex && hex.GetString() is { } text && text.StartsWith("0x", StringComparison.Ordinal))
        {
            return Convert.FromHexString(text.AsSpan(2));
        }

        // A bare revert on a node that omits empty data: code 3 still says "execution reverted".
        return e.Code == ExecutionRevertedCode ? [] : null;
    }

    private static Dictionary<string, string> CallObject(string contract, byte[] calldata, string? from)
    {
        ArgumentException.ThrowIfNullOrEmpty(contract);
        ArgumentNullException.ThrowIfNull(calldata);
        var call = new Dictionary<string, string> { ["to"] = contract, ["data"] = "0x" + Convert.ToHexStringLower(calldata) };
        if (from is not null)
        {
            call["from"] = from;
        }

        return call;
    }

    private static byte[] SelectorBytes(string signature) => Convert.FromHexString(EthHash.FunctionSelector(signature).AsSpan(2));
}
