using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Koans.Ethereum.NethereumErrors;

/// <summary>
/// Reverter's custom error <c>error InsufficientBalance(uint256 available, uint256 required)</c>. Part of the kata:
/// give it the attributes that make Nethereum recognise and decode it.
/// </summary>
public class InsufficientBalanceError : IErrorDTO
{
    public BigInteger Available { get; set; }

    public BigInteger Required { get; set; }
}

/// <summary>
/// The revert data of a failed compiler check, <c>Panic(uint256 code)</c>, as an error DTO. Part of the kata, like
/// <see cref="InsufficientBalanceError"/>: Nethereum decodes <c>Error(string)</c> itself, but not Panic.
/// </summary>
public class PanicError : IErrorDTO
{
    public BigInteger Code { get; set; }
}

/// <summary>
/// Kata ethereum.nethereum-errors: why did it revert? ethereum.reverts-and-fallback decoded revert data by hand; here
/// Nethereum hands it to you as exceptions, and you turn each into a <see cref="RevertReason"/>, the way web3.py raises
/// <c>ContractLogicError</c> / <c>ContractCustomError</c> / <c>ContractPanicError</c>.
/// </summary>
/// <remarks>
/// A call that reverts while you <b>estimate</b> its gas (or query it) costs nothing and tells you why. A transaction
/// sent with a fixed gas limit skips that check: it is mined, reverts, costs gas, and the library hands you a receipt
/// with status 0 and no exception. Never let that pass as success.
/// <para>This is library code: started on the caller's <see cref="SynchronizationContext"/> (a UI thread), no method
/// may resume on that context after an await.</para>
/// </remarks>
public static class Reverts
{
    /// <summary>
    /// Turns the exception the library threw for a reverted call into its reason: the message of <c>Error(string)</c>,
    /// the code of <c>Panic(uint256)</c>, an <see cref="InsufficientBalanceError"/> with its arguments, or the raw data
    /// (lowercase hex) of anything else (<see cref="UnknownRevert"/>; a bare revert is "0x"). Never guess: a custom error
    /// of another contract is not an InsufficientBalance because its first words fit. The raw data is "0x" and lowercase
    /// hex whatever prefix and case the library's exception carries. A node error without any data is a bare revert
    /// only when its message says it reverted.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="exception"/> is not a revert (a network failure, a refused
    /// transaction): treating it as the contract's decision would hide an outage.</exception>
    public static RevertReason Decode(Exception exception) => throw new NotImplementedException();

    /// <summary>
    /// Asks the node whether <paramref name="call"/> from the account of <paramref name="web3"/> to
    /// <paramref name="contract"/> would revert, by estimating its gas: null when it would succeed, otherwise why.
    /// Nothing is sent. Errors that are not reverts propagate.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="web3"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> is already cancelled: nothing is asked.</exception>
    public static Task<RevertReason?> WhyWouldItRevertAsync<TFunction>(Web3 web3, string contract, TFunction call, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new() =>
        throw new NotImplementedException();

    /// <summary>
    /// Sends <paramref name="call"/> as a transaction with exactly <paramref name="gasLimit"/> gas (no estimate: this is
    /// how scripts that "know" their gas, and transactions whose state changed between estimate and mining, end up
    /// reverting on chain), waits for the receipt and returns it when it succeeded.
    /// </summary>
    /// <exception cref="TransactionRevertedException">The transaction was mined and reverted (status 0). Its
    /// <see cref="TransactionRevertedException.Reason"/> comes from replaying the same call on the state of the block
    /// before (an eth_call at that block), because a receipt carries no revert data.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="web3"/> or <paramref name="call"/> is null.</exception>
    public static Task<TransactionReceipt> SendAsync<TFunction>(Web3 web3, string contract, TFunction call, BigInteger gasLimit, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new() =>
        throw new NotImplementedException();
}
