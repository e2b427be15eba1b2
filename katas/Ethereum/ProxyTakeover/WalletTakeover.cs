using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Koans.Ethereum.ProxyTakeover;

/// <summary>The node refused a step of the takeover: at its gas estimate, or mined with status 0.</summary>
public sealed class TakeoverRefusedException(string message, Exception? innerException = null)
    : InvalidOperationException(message, innerException);

/// <summary>
/// Kata ethereum.proxy-takeover: find the code behind a proxy, take ownership of a wallet nobody initialised (the Parity
/// multisig library, November 2017), empty it, and see the two fixes refuse.
/// </summary>
/// <remarks>
/// <para>The targets are in infra/chain/contracts/WalletProxy.sol. <c>WalletProxy</c> is an EIP-1967 proxy: it keeps
/// its implementation's address in its own storage, at the slot EIP-1967 specifies, and runs every call with that
/// implementation's code, by <c>delegatecall</c>, against the proxy's own storage and balance. Its constructor takes
/// <c>(address implementation, bytes initData)</c> and delegatecalls <c>initData</c> when it is not empty.</para>
/// <para><c>WalletLogic</c>, the implementation, has no constructor logic. Its interface:
/// <c>initialize(address owner_)</c> (sets <c>owner</c> once; a second call reverts with <c>AlreadyInitialized()</c>),
/// <c>withdraw(address to, uint256 amount)</c> (owner only, else <c>NotOwner(address)</c>), the views <c>owner()</c> and
/// <c>initialized()</c>, and a <c>receive()</c> that accepts ether. <c>LockedWalletLogic</c> has the same interface.</para>
/// <para>The plumbing (signing, gas, receipts, ABI encoding, RPC) is Nethereum's; where to call, and what each call
/// changes, is the kata. Every transaction is sent from the account of <see cref="Web3"/>, the attacker.</para>
/// </remarks>
public sealed class WalletTakeover(IWeb3 web3)
{
    /// <summary>The attacker's connection: its account signs and becomes the owner.</summary>
    public IWeb3 Web3 { get; } = web3;

    /// <summary>
    /// The address of the implementation behind the EIP-1967 proxy <paramref name="proxy"/>, read from the proxy's
    /// storage at the latest block (anyone can: a proxy's storage is public). "0x" and 40 lowercase hex digits.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="proxy"/> is null or blank.</exception>
    /// <exception cref="InvalidOperationException">The slot holds no address: <paramref name="proxy"/> is not an EIP-1967 proxy.</exception>
    public Task<string> ImplementationOfAsync(string proxy, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Makes the account of <see cref="Web3"/> the owner of <paramref name="wallet"/>, a proxy or an implementation,
    /// if nobody initialised it yet, in one transaction. Returns its receipt.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="wallet"/> is null or blank.</exception>
    /// <exception cref="TakeoverRefusedException">The wallet refused (it was initialised, or its initializer is
    /// locked): the node rejected the transaction at its gas estimate, or mined it with status 0.</exception>
    public Task<TransactionReceipt> TakeOwnershipAsync(string wallet, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Moves all the ether <paramref name="wallet"/> holds (its balance at the latest block) to the account of
    /// <see cref="Web3"/>, in one transaction, and returns its receipt.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="wallet"/> is null or blank.</exception>
    /// <exception cref="TakeoverRefusedException">The wallet refused (the attacker is not its owner): rejected at the gas
    /// estimate, or mined with status 0.</exception>
    public Task<TransactionReceipt> DrainAsync(string wallet, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
