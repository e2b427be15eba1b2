using System.Numerics;

namespace Koans.Ethereum.FrontRunning;

/// <summary>A puzzle solution waiting in the node's pending pool, not yet in a block.</summary>
/// <param name="TransactionHash">The pending transaction's hash.</param>
/// <param name="From">Who sent it (the victim).</param>
/// <param name="Answer">The answer in its calldata: the first argument of <c>solve(string)</c> or <c>reveal(string,bytes32)</c>.</param>
/// <param name="Calldata">The transaction's input, byte for byte.</param>
/// <param name="MaxPriorityFeePerGas">The tip per gas the victim offers the block builder (EIP-1559), in wei.</param>
/// <param name="MaxFeePerGas">The most per gas the victim pays in all (base fee + tip), in wei.</param>
public sealed record PendingSolution(string TransactionHash, string From, string Answer, byte[] Calldata, BigInteger MaxPriorityFeePerGas, BigInteger MaxFeePerGas);

/// <summary>The node refused the front-running transaction: at its gas estimate (it would revert against the latest state).</summary>
public sealed class FrontRunRefusedException(string message, Exception? innerException = null)
    : InvalidOperationException(message, innerException);
