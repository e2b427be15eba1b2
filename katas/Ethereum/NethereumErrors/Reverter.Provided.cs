using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;

namespace Koans.Ethereum.NethereumErrors;

// Provided: the typed messages of infra/chain/contracts/Reverter.sol (this kata is about its errors, not its calls),
// what a decoded revert is, and the exception for a transaction that was mined and reverted.

/// <summary>Why a call reverted, decoded from its revert data.</summary>
public abstract record RevertReason;

/// <summary><c>require(cond, "message")</c> / <c>revert("message")</c>: revert data <c>Error(string)</c>, selector 0x08c379a0.</summary>
public sealed record ErrorMessage(string Message) : RevertReason;

/// <summary>
/// A compiler-inserted check failed: revert data <c>Panic(uint256)</c>, selector 0x4e487b71. Codes (Solidity docs,
/// "Panic via assert and Error via require"): 0x01 assert, 0x11 arithmetic overflow or underflow, 0x12 division or
/// modulo by zero, 0x21 invalid enum value, 0x22 bad storage byte array, 0x31 pop on an empty array, 0x32 array index
/// out of bounds, 0x41 out of memory, 0x51 call to a zero-initialised internal function.
/// </summary>
public sealed record Panic(BigInteger Code) : RevertReason;

/// <summary>A custom error this code knows, decoded into its DTO (for example an <c>InsufficientBalanceError</c>).</summary>
public sealed record KnownCustomError(object Error) : RevertReason;

/// <summary>Revert data nobody here can decode: a bare <c>revert()</c> (empty data, "0x"), a call to a function the
/// contract does not have, or a custom error of another contract. <paramref name="Data"/> is the raw data, 0x hex, lowercase.</summary>
public sealed record UnknownRevert(string Data) : RevertReason;

/// <summary>A transaction was mined and reverted (receipt status 0): its gas is spent, its state changes are not.</summary>
public sealed class TransactionRevertedException(TransactionReceipt receipt, RevertReason reason)
    : Exception($"Transaction {receipt.TransactionHash} reverted: {reason}")
{
    public TransactionReceipt Receipt { get; } = receipt;

    public RevertReason Reason { get; } = reason;
}

/// <summary>Reverter's constructor (no arguments).</summary>
public class ReverterDeployment : ContractDeploymentMessage
{
    public ReverterDeployment()
        : base(string.Empty)
    {
    }

    public ReverterDeployment(string byteCode)
        : base(byteCode)
    {
    }
}

[Function("requirePositive", "uint256")]
public class RequirePositiveFunction : FunctionMessage
{
    [Parameter("uint256", "value", 1)]
    public BigInteger Value { get; set; }
}

[Function("divide", "uint256")]
public class DivideFunction : FunctionMessage
{
    [Parameter("uint256", "numerator", 1)]
    public BigInteger Numerator { get; set; }

    [Parameter("uint256", "denominator", 2)]
    public BigInteger Denominator { get; set; }
}

[Function("increment", "uint256")]
public class IncrementFunction : FunctionMessage
{
    [Parameter("uint256", "value", 1)]
    public BigInteger Value { get; set; }
}

[Function("assertEqual")]
public class AssertEqualFunction : FunctionMessage
{
    [Parameter("uint256", "a", 1)]
    public BigInteger A { get; set; }

    [Parameter("uint256", "b", 2)]
    public BigInteger B { get; set; }
}

[Function("withdraw")]
public class WithdrawFunction : FunctionMessage
{
    [Parameter("uint256", "amount", 1)]
    public BigInteger Amount { get; set; }
}

[Function("revertWithoutReason")]
public class RevertWithoutReasonFunction : FunctionMessage
{
}

[Function("incrementCounterThenFail")]
public class IncrementCounterThenFailFunction : FunctionMessage
{
    [Parameter("bool", "fail", 1)]
    public bool Fail { get; set; }
}

[Function("counter", "uint256")]
public class CounterFunction : FunctionMessage
{
}
