using System.Numerics;
using Koans.Ethereum.JsonRpc;

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

/// <summary>
/// Kata ethereum.reverts-and-fallback: say why a call failed, and predict which function a call reaches.
/// </summary>
/// <remarks>
/// <para>A reverting call returns <i>revert data</i>, shaped like calldata: a 4-byte selector and ABI-encoded arguments.
/// Solidity uses <c>Error(string)</c> (selector 0x08c379a0) for require/revert with a message,
/// <c>Panic(uint256)</c> (0x4e487b71) for failed compiler checks, <c>selector(Signature)</c> + ABI arguments for a custom
/// error, and no data at all for a bare <c>revert()</c> (Solidity docs, "Error handling" and "Errors and the Revert
/// Statement": https://docs.soliditylang.org/en/latest/control-structures.html#error-handling-assert-require-revert-and-exceptions). Nodes (geth, Anvil) return it as the JSON-RPC error's
/// <c>data</c> ("0x..." hex) with code 3 and the message "execution reverted...".</para>
/// <para>Tools: <c>EthHash.FunctionSelector</c> (ethereum.keccak), <c>AbiCodec.Decode</c> / <c>DecodeCall</c> (ethereum.abi;
/// they throw <see cref="FormatException"/> on truncated data), <c>EthRpcClient</c> and <c>JsonRpcException.ErrorData</c>
/// (ethereum.json-rpc).</para>
/// </remarks>
public static class Reverts
{
    /// <summary>
    /// The name of a Solidity panic code, from the Solidity docs ("Panic via assert and Error via require"): at least
    /// 0x00 generic, 0x01 assert (a failed <c>assert</c>), 0x11 arithmetic underflow or overflow, 0x12 division or modulo by
    /// zero, 0x21 invalid enum conversion, 0x22 bad storage byte array, 0x31 pop on an empty array, 0x32 array index out of
    /// bounds, 0x41 out of memory, 0x51 call to a zero-initialised function. Any other code: a name that says it is unknown
    /// (never an exception: a newer compiler may add codes, and the code is a uint256 any contract can choose, so it may be
    /// far larger than any integer type).
    /// </summary>
    public static string PanicName(BigInteger code) => throw new NotImplementedException();

    /// <summary>
    /// Decodes revert data: empty → <see cref="BareRevert"/>; selector 0x08c379a0 → <see cref="ErrorRevert"/>; 0x4e487b71 →
    /// <see cref="PanicRevert"/> (with <see cref="PanicName"/>); the selector of one of <paramref name="customErrors"/>
    /// (canonical signatures such as "InsufficientBalance(uint256,uint256)") → <see cref="CustomErrorRevert"/> with its
    /// arguments; any other selector → <see cref="UnknownRevert"/> (an unknown error is information, not a crash). A custom
    /// error without parameters is its 4-byte selector alone.
    /// </summary>
    /// <exception cref="FormatException">1 to 3 bytes (not even a whole selector), or a known selector whose arguments are
    /// truncated or malformed (a Panic carries exactly one 32-byte word: shorter or longer is malformed): corrupt data must
    /// not be reported as a reason.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="customErrors"/> is null (pass an empty list when none are known).</exception>
    public static RevertReason Decode(ReadOnlySpan<byte> revertData, IReadOnlyList<string> customErrors) => throw new NotImplementedException();

    /// <summary>
    /// eth_call of <paramref name="calldata"/> on <paramref name="contract"/> (from <paramref name="from"/> when given) at the
    /// latest block: null when it succeeds, else the decoded reason from the JSON-RPC error's <c>data</c>. The call object
    /// has <c>to</c> and <c>data</c>, plus <c>from</c> only when <paramref name="from"/> is given (no <c>"from": null</c>).
    /// </summary>
    /// <remarks>
    /// The shapes a revert comes back in: <c>data</c> is the "0x..." revert data, whatever the code (geth and Anvil use 3,
    /// older nodes -32000); Hardhat nested it as <c>data.data</c>
    /// (<c>{ "code": 3, "data": { "message": ..., "data": "0x..." } }</c>); code 3 without any data is a bare revert.
    /// </remarks>
    /// <exception cref="JsonRpcException">The node refused the request for another reason (not a revert: code other than 3 and no revert data).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="rpc"/>, <paramref name="contract"/>, <paramref name="calldata"/>
    /// or <paramref name="customErrors"/> is null (an empty <paramref name="contract"/>: <see cref="ArgumentException"/>).</exception>
    public static Task<RevertReason?> CallAsync(EthRpcClient rpc, string contract, byte[] calldata, IReadOnlyList<string> customErrors, string? from = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// The same through eth_estimateGas from <paramref name="from"/>: what a wallet sees before it sends. A gas estimate
    /// executes the call, so a transaction that would revert is refused here with the same revert data.
    /// </summary>
    /// <exception cref="JsonRpcException">The node refused the request for another reason than a revert.</exception>
    /// <exception cref="ArgumentNullException">Any argument is null (an empty <paramref name="from"/> or
    /// <paramref name="contract"/>: <see cref="ArgumentException"/>).</exception>
    public static Task<RevertReason?> EstimateGasAsync(EthRpcClient rpc, string from, string contract, byte[] calldata, IReadOnlyList<string> customErrors, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Which code a Solidity contract runs for <paramref name="calldata"/>, given its functions' selectors ("0x" + 8 hex
    /// digits) and whether it declares <c>receive</c> and <c>fallback</c> (Solidity docs, "Receive Ether Function" and
    /// "Fallback Function"): empty calldata runs receive, or fallback when there is no receive; calldata whose first four
    /// bytes are a function's selector runs that function; anything else (including 1 to 3 bytes) runs fallback; with
    /// nothing to run, the call reverts.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="functionSelectors"/> is null.</exception>
    public static EntryPoint Dispatch(ReadOnlySpan<byte> calldata, IReadOnlyCollection<string> functionSelectors, bool hasReceive, bool hasFallback) =>
        throw new NotImplementedException();
}
