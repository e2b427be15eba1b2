using System.Numerics;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Koans.Ethereum.NethereumAccounts;

/// <summary>One payment of a batch: the recipient (0x + 40 hex digits) and the amount in wei.</summary>
public sealed record Payment(string To, BigInteger Wei);

/// <summary>
/// Kata ethereum.nethereum-accounts: an account, its balance and ether transfers with Nethereum, the library a .NET
/// team uses where a Python team uses web3.py. ethereum.transfer built this by hand; here the library does the nonce,
/// the fees, the signature and the receipt polling, and you check that it did them right.
/// </summary>
/// <remarks>
/// Amounts are integers of wei (<see cref="BigInteger"/>); <see cref="decimal"/> ether is for people, and converts
/// exactly (28 significant digits, 18 of them after the point). Never <c>double</c>: 0.1 ether is not a double.
/// <para>
/// Every method that talks to the node refuses a null <c>web3</c> (or <c>payments</c>) with
/// <see cref="ArgumentNullException"/> naming the parameter, and a token that is already canceled with
/// <see cref="OperationCanceledException"/> before it asks the node anything or sends anything. This is library code:
/// started from a caller's <see cref="SynchronizationContext"/> (a UI thread, a classic ASP.NET request), it never
/// resumes on that context after waiting for the node.
/// </para>
/// </remarks>
public static class Wallet
{
    /// <summary>
    /// A <see cref="Web3"/> on <paramref name="rpcUrl"/> whose transactions are signed locally by
    /// <paramref name="privateKey"/> (0x hex) for chain <paramref name="chainId"/>: the node never sees the key, and
    /// each signature carries the chain id (EIP-155 replay protection), so it is valid on this chain only.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="rpcUrl"/> is null.</exception>
    public static Web3 Connect(string privateKey, Uri rpcUrl, BigInteger chainId) => throw new NotImplementedException();

    /// <summary>
    /// Ether to wei, exactly: 1.5 → 1500000000000000000.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ether"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="ether"/> has more than 18 digits after the point: it is
    /// finer than one wei, and rounding it silently would move money nobody asked to move.</exception>
    public static BigInteger EtherToWei(decimal ether) => throw new NotImplementedException();

    /// <summary>Wei to ether, exactly: 1 → 0.000000000000000001.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="wei"/> is negative.</exception>
    public static decimal WeiToEther(BigInteger wei) => throw new NotImplementedException();

    /// <summary>The balance of <paramref name="address"/> at the latest block, in wei.</summary>
    public static Task<BigInteger> GetBalanceAsync(Web3 web3, string address, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Sends <paramref name="wei"/> from the account of <paramref name="web3"/> to <paramref name="to"/> as an
    /// EIP-1559 (type 2) transaction, with the nonce and fees the library manages, and returns the receipt once mined.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="wei"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The transaction was mined but failed (receipt status 0): a failed
    /// transaction still costs gas, and the caller must not treat it as a payment.</exception>
    /// <remarks>When the node refuses the transaction (for example insufficient funds, found while estimating gas), the
    /// library's RPC exception propagates: nothing was sent.</remarks>
    public static Task<TransactionReceipt> SendEtherAsync(Web3 web3, string to, BigInteger wei, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Submits every payment as its own EIP-1559 transaction and returns their hashes in order, <b>without</b> waiting
    /// for any of them to be mined: the node may hold them all in its pending pool. Each must carry the next nonce of
    /// the account, counting the transactions already pending, or one replaces or blocks another.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A payment's amount is negative (checked before anything is sent).</exception>
    public static Task<IReadOnlyList<string>> SubmitPaymentsAsync(Web3 web3, IReadOnlyList<Payment> payments, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
