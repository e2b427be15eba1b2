using System.Numerics;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Koans.Ethereum.Reentrancy;

/// <summary>A step of the attack that the node refused: at its gas estimate, or mined with status 0.</summary>
public sealed class AttackRevertedException(string message, Exception? innerException = null)
    : InvalidOperationException(message, innerException);

/// <summary>What a drain took: the wei taken beyond the attacker's own stake, the re-entries, and every transaction sent, in order.</summary>
public sealed record DrainReport(BigInteger Stolen, int Reentries, IReadOnlyList<TransactionReceipt> Transactions);

/// <summary>
/// Kata ethereum.reentrancy: drain a vault that pays before it updates its books (the DAO, June 2016), then watch the
/// same attack fail against the two fixes.
/// </summary>
/// <remarks>
/// <para>The target, <c>EtherVault</c> (infra/chain/contracts/VaultReentrancy.sol), keeps <c>balanceOf[depositor]</c>.
/// <c>deposit()</c> is payable and adds <c>msg.value</c> to the caller's balance; <c>withdraw()</c> sends the caller
/// their whole balance with a plain ether transfer and only then sets it to zero. An ether transfer to a contract runs
/// that contract's code.</para>
/// <para>Your weapon is already deployed: a <c>Reenterer</c> (same file) owned by the account of <see cref="Web3"/>. It
/// knows nothing about vaults. Its owner can call:</para>
/// <list type="bullet">
/// <item><c>run(address target, bytes data) payable returns (bytes)</c>: the Reenterer calls <c>target</c> with
/// <c>data</c>, forwarding the ether sent with <c>run</c>; a failed call reverts the whole transaction.</item>
/// <item><c>arm(address target, bytes data, uint256 times)</c>: from now on, each time ether arrives at the Reenterer,
/// it calls <c>target</c> with <c>data</c> from inside its <c>receive()</c>, until it has done so <c>times</c> times;
/// a failed call reverts the whole transaction. <c>reentries()</c> counts the calls made.</item>
/// <item><c>sweep(address to)</c>: sends everything the Reenterer holds to <c>to</c>.</item>
/// </list>
/// <para>The plumbing (signing, nonces, gas, receipts, ABI encoding) is Nethereum's; which calls to make, in which order,
/// and how many times, is the kata. The fixed vaults, <c>CeiVault</c> and <c>GuardedVault</c>, have the same interface.</para>
/// </remarks>
public sealed class ReentrancyAttack(IWeb3 web3, string reenterer)
{
    /// <summary>
    /// The most re-entries one drain plans. Every re-entry nests the call one frame deeper (each frame keeps back 1/64 of
    /// its gas, EIP-150) and the whole drain must fit one transaction: at 50 it does, with room to spare.
    /// </summary>
    public const int MaxReentries = 50;

    /// <summary>The attacker's connection: its account owns the Reenterer, signs every transaction and receives the loot.</summary>
    public IWeb3 Web3 { get; } = web3;

    /// <summary>The address of the deployed Reenterer owned by the account of <see cref="Web3"/>.</summary>
    public string Reenterer { get; } = reenterer;

    /// <summary>
    /// How many times the Reenterer must call back into <c>withdraw()</c> so that, having deposited
    /// <paramref name="stake"/>, it takes every whole stake of the <paramref name="vaultBalance"/> the victims hold
    /// (the vault's balance before the attacker's deposit). What is left is less than one stake.
    /// Too few leaves money behind; one too many makes the last transfer fail, and a failure anywhere reverts the
    /// whole transaction: the attacker then gets nothing at all.
    /// </summary>
    /// <param name="vaultBalance">The vault's balance in wei, before the attacker's deposit.</param>
    /// <param name="stake">What the attacker deposits, in wei: the amount each withdrawal pays out.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vaultBalance"/> is negative, <paramref name="stake"/>
    /// is zero or negative, or the plan needs more than <see cref="MaxReentries"/> re-entries (the attacker must stake more).</exception>
    public static int ReentriesFor(BigInteger vaultBalance, BigInteger stake) =>
        throw new NotImplementedException();

    /// <summary>
    /// Drains <paramref name="vault"/> through the Reenterer, staking <paramref name="stake"/> of the attacker's own
    /// ether, and moves the loot to the attacker's account (the account of <see cref="Web3"/>). Plans the re-entries from
    /// the vault's balance when called (<see cref="ReentriesFor"/>). Sends its transactions one at a time, each mined
    /// before the next.
    /// </summary>
    /// <returns><see cref="DrainReport.Stolen"/>: the wei the Reenterer received beyond the return of its own stake;
    /// <see cref="DrainReport.Reentries"/>: the planned re-entries; <see cref="DrainReport.Transactions"/>: the receipt of
    /// every transaction sent, in order (so the attacker's gas can be accounted to the wei).</returns>
    /// <exception cref="ArgumentException"><paramref name="vault"/> is null or blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stake"/> is zero or negative, or the vault needs
    /// more than <see cref="MaxReentries"/> re-entries: refused before any transaction is sent.</exception>
    /// <exception cref="AttackRevertedException">The node refused a step (its gas estimate failed, or it was mined with
    /// status 0): a fixed vault refuses the re-entry, and the whole withdrawal reverts with it. Stop at the first refusal.</exception>
    public Task<DrainReport> DrainAsync(string vault, BigInteger stake, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
