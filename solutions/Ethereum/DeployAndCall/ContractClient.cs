using System.Numerics;
using Koans.Ethereum.Abi;
using Koans.Ethereum.Rlp;
using Koans.Ethereum.Transfer;

namespace Koans.Ethereum.DeployAndCall;

/// <summary>A contract deployed by <see cref="ContractClient.DeployAsync"/>: its address and the creation receipt.</summary>
public sealed record DeployedContract(string Address, TransactionReceipt Receipt);

/// <summary>Reference solution for ethereum.deploy-and-call.</summary>
public sealed class ContractClient(TransactionSender sender)
{
    public TransactionSender Sender { get; } = sender ?? throw new ArgumentNullException(nameof(sender));

    public async Task<string> PredictNextContractAddressAsync(string deployer, CancellationToken cancellationToken = default)
    {
        var nonce = await Sender.Rpc.GetTransactionCountAsync(deployer, "pending", cancellationToken).ConfigureAwait(false);
        return "0x" + Convert.ToHexStringLower(RlpCodec.ContractAddress(Convert.FromHexString(deployer.AsSpan(2)), nonce));
    }

    public async Task<DeployedContract> DeployAsync(string privateKeyHex, byte[] bytecode, string[] constructorTypes, object[] constructorArgs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bytecode);
        // Encode first: a type mismatch is an ArgumentException before any request.
        byte[] initCode = [.. bytecode, .. AbiCodec.Encode(constructorTypes, constructorArgs)];
        var hash = await Sender.SendAsync(privateKeyHex, to: null, BigInteger.Zero, initCode, cancellationToken).ConfigureAwait(false);
        var receipt = await Sender.WaitForReceiptAsync(hash, cancellationToken).ConfigureAwait(false);
        if (!receipt.Succeeded || receipt.ContractAddress is null)
        {
            throw new InvalidOperationException($"The creation transaction {hash} failed (status 0): the constructor reverted.");
        }

        return new DeployedContract(receipt.ContractAddress, receipt);
    }

    public async Task<object[]> CallAsync(string contract, string functionSignature, string[] returnTypes, object[] args, string? from = null, CancellationToken cancellationToken = default)
    {
        var data = AbiCodec.EncodeCall(functionSignature, args);
        var call = new Dictionary<string, string> { ["to"] = contract, ["data"] = "0x" + Convert.ToHexStringLower(data) };
        if (from is not null)
        {
            // msg.sender of the simulated call; without it nodes use the zero address.
            call["from"] = from;
        }
        var result = (await Sender.Rpc.CallAsync("eth_call", [call, "latest"], cancellationToken).ConfigureAwait(false)).GetString()!;
        var output = Convert.FromHexString(result.AsSpan(2));
        if (output.Length == 0 && returnTypes.Length > 0)
        {
            // A call to an address without code "succeeds" with empty output: decoding zeros from it would lie.
            throw new InvalidOperationException($"{functionSignature} on {contract} returned no data: is there a contract at that address?");
        }

        return AbiCodec.Decode(returnTypes, output);
    }

    public async Task<TransactionReceipt> TransactAsync(string privateKeyHex, string contract, string functionSignature, object[] args, BigInteger value, CancellationToken cancellationToken = default)
    {
        var data = AbiCodec.EncodeCall(functionSignature, args);
        var hash = await Sender.SendAsync(privateKeyHex, contract, value, data, cancellationToken).ConfigureAwait(false);
        return await Sender.WaitForReceiptAsync(hash, cancellationToken).ConfigureAwait(false);
    }
}
