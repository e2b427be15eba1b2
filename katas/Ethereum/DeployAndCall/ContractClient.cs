using System.Numerics;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Koans.Ethereum.DeployAndCall;

/// <summary>A contract deployed by <see cref="ContractClient.DeployAsync"/>: its address and the creation receipt.</summary>
public sealed record DeployedContract(string Address, TransactionReceipt Receipt);

/// <summary>
/// Kata ethereum.deploy-and-call: deploy a contract with constructor arguments, predict its address, read it with
/// eth_call and change it with transactions.
/// </summary>
/// <remarks>
/// <para>The plumbing is Nethereum's (an <see cref="IWeb3"/> whose account signs, with its nonces, fees and receipt
/// polling; its ABI encoder and decoder; its RLP and Keccak), so this kata is about what the calls <i>are</i>, built
/// from signatures and type strings rather than typed messages (those come in ethereum.nethereum-contracts). ABI values:
/// addresses are "0x..." strings, integers <see cref="BigInteger"/>, strings <see cref="string"/>, bools <see cref="bool"/>.</para>
/// <para>A creation transaction has no recipient; its data is the creation bytecode followed by the ABI-encoded
/// constructor arguments (no selector). The new address is keccak256(rlp([sender, nonce]))[12..] (CREATE).</para>
/// <para>eth_call runs a call on the node's copy of the state and throws the result away: free, instant, and it changes
/// nothing. A state change needs a signed transaction and costs gas. A call's data is the 4-byte selector
/// (keccak256 of the signature) followed by the ABI-encoded arguments.</para>
/// <para>Arguments are checked before anything is sent: a null argument is an <see cref="ArgumentNullException"/>, a
/// blank address or signature an <see cref="ArgumentException"/>, each naming its parameter (the constructor too). A
/// signature must be a name followed by parenthesised types, "name(type,type)"; the values must match the types in
/// number and kind (an <see cref="ArgumentException"/> naming the values' parameter otherwise).</para>
/// </remarks>
public sealed class ContractClient(IWeb3 web3)
{
    /// <summary>The connection; its account sends the transactions.</summary>
    public IWeb3 Web3 { get; } = web3 ?? throw new ArgumentNullException(nameof(web3));

    /// <summary>The address the next contract created by <paramref name="deployer"/> gets: CREATE with its pending nonce, 0x lowercase.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> is already cancelled (nothing is asked of the node).</exception>
    public Task<string> PredictNextContractAddressAsync(string deployer, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Deploys <paramref name="bytecode"/> from the account of <see cref="Web3"/> with the constructor arguments
    /// (<paramref name="constructorTypes"/> such as ["string", "uint256"], and their values) and returns the new
    /// contract once mined.
    /// </summary>
    /// <exception cref="ArgumentException">The values do not match the types in number or kind (checked before anything is sent).</exception>
    /// <exception cref="InvalidOperationException">The creation transaction was mined but failed (status 0).</exception>
    public Task<DeployedContract> DeployAsync(byte[] bytecode, string[] constructorTypes, object[] constructorArgs, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// eth_call of <paramref name="functionSignature"/> (such as "balanceOf(address)") on <paramref name="contract"/> at
    /// the latest block, as if sent by <paramref name="from"/> (the zero address when null); returns the outputs decoded
    /// as <paramref name="returnTypes"/>, in their order. With no return types there is nothing to decode: the result is empty.
    /// </summary>
    /// <exception cref="ArgumentException">The signature or the arguments are malformed (see the class remarks).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> is already cancelled (no call is made).</exception>
    /// <exception cref="InvalidOperationException">The call returned no data although outputs were expected (no contract at that address).</exception>
    public Task<object[]> CallAsync(string contract, string functionSignature, string[] returnTypes, object[] args, string? from = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Sends a transaction from the account of <see cref="Web3"/> calling <paramref name="functionSignature"/> with
    /// <paramref name="args"/> and <paramref name="value"/> wei; returns the receipt once mined.</summary>
    /// <exception cref="ArgumentException">The signature or the arguments are malformed (see the class remarks); nothing is sent.</exception>
    /// <remarks>When the node's gas estimate hits a revert (the call would fail), the library's RPC exception propagates:
    /// nothing was sent.</remarks>
    public Task<TransactionReceipt> TransactAsync(string contract, string functionSignature, object[] args, BigInteger value, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
