using System.Numerics;
using Koans.Ethereum.Transfer;

namespace Koans.Ethereum.DeployAndCall;

/// <summary>A contract deployed by <see cref="ContractClient.DeployAsync"/>: its address and the creation receipt.</summary>
public sealed record DeployedContract(string Address, TransactionReceipt Receipt);

/// <summary>
/// Kata ethereum.deploy-and-call: deploy a contract with constructor arguments, predict its address, read it with
/// eth_call and change it with transactions.
/// </summary>
/// <remarks>
/// <para>Tools from the earlier katas: <c>AbiCodec.Encode(types, values)</c> / <c>EncodeCall(signature, args)</c> /
/// <c>Decode(types, data)</c> (ethereum.abi; addresses are "0x..." strings, integers BigInteger), <c>RlpCodec.ContractAddress</c>
/// (ethereum.rlp) and <see cref="TransactionSender"/> (ethereum.transfer).</para>
/// <para>A creation transaction has no recipient; its data is the creation bytecode followed by the ABI-encoded
/// constructor arguments (no selector). The new address is keccak256(rlp([sender, nonce]))[12..] (CREATE).</para>
/// <para>eth_call runs a call on the node's copy of the state and throws the result away: free, instant, and it changes
/// nothing. A state change needs a signed transaction and costs gas.</para>
/// </remarks>
public sealed class ContractClient(TransactionSender sender)
{
    public TransactionSender Sender { get; } = sender ?? throw new ArgumentNullException(nameof(sender));

    /// <summary>The address the next contract created by <paramref name="deployer"/> gets: CREATE with its pending nonce, 0x lowercase.</summary>
    public Task<string> PredictNextContractAddressAsync(string deployer, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Deploys <paramref name="bytecode"/> with the constructor arguments (<paramref name="constructorTypes"/> such as
    /// ["string", "uint256"], and their values) and returns the new contract once mined.
    /// </summary>
    /// <exception cref="ArgumentException">The values do not match the types (checked before anything is sent).</exception>
    /// <exception cref="InvalidOperationException">The creation transaction was mined but failed (status 0).</exception>
    public Task<DeployedContract> DeployAsync(string privateKeyHex, byte[] bytecode, string[] constructorTypes, object[] constructorArgs, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// eth_call of <paramref name="functionSignature"/> (such as "balanceOf(address)") on <paramref name="contract"/> at
    /// the latest block, as if sent by <paramref name="from"/> (the zero address when null); returns the outputs decoded
    /// as <paramref name="returnTypes"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The call returned no data although outputs were expected (no contract at that address).</exception>
    public Task<object[]> CallAsync(string contract, string functionSignature, string[] returnTypes, object[] args, string? from = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Sends a transaction calling <paramref name="functionSignature"/> with <paramref name="args"/> and <paramref name="value"/> wei; returns the receipt.</summary>
    /// <exception cref="Koans.Ethereum.JsonRpc.JsonRpcException">The node's gas estimate hit a revert (the call would fail).</exception>
    public Task<TransactionReceipt> TransactAsync(string privateKeyHex, string contract, string functionSignature, object[] args, BigInteger value, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
