using System.Numerics;
using Nethereum.ABI;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;

namespace Koans.Ethereum.DeployAndCall;

/// <summary>A contract deployed by <see cref="ContractClient.DeployAsync"/>: its address and the creation receipt.</summary>
public sealed record DeployedContract(string Address, TransactionReceipt Receipt);

/// <summary>Reference solution for ethereum.deploy-and-call.</summary>
public sealed class ContractClient(IWeb3 web3)
{
    public IWeb3 Web3 { get; } = web3 ?? throw new ArgumentNullException(nameof(web3));

    public async Task<string> PredictNextContractAddressAsync(string deployer, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deployer);
        // Nethereum's request takes no token: this is the only place a cancelled caller is heard.
        cancellationToken.ThrowIfCancellationRequested();
        // Pending, not latest: a creation still in the pool has already taken the latest nonce.
        var nonce = await Web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(deployer, BlockParameter.CreatePending());
        // keccak256(rlp([sender, nonce]))[12..]
        return ContractUtils.CalculateContractAddress(deployer, nonce.Value).ToLowerInvariant();
    }

    public async Task<DeployedContract> DeployAsync(byte[] bytecode, string[] constructorTypes, object[] constructorArgs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bytecode);
        ArgumentNullException.ThrowIfNull(constructorTypes);
        ArgumentNullException.ThrowIfNull(constructorArgs);
        // Encode first: a type mismatch is an ArgumentException before any request.
        byte[] initCode = [.. bytecode, .. Encode(constructorTypes, constructorArgs, nameof(constructorArgs))];
        var creation = new TransactionInput
        {
            From = Web3.TransactionManager.Account.Address,
            To = null,
            Data = "0x" + Convert.ToHexStringLower(initCode),
            Value = new HexBigInteger(BigInteger.Zero),
        };
        // Estimate explicitly: the transaction manager did not estimate this creation by itself (Nethereum 6.1 against
        // Anvil 1.7.1: no eth_estimateGas in the node's log), signed it with its default gas limit, too low for KoansToken,
        // and the node kept it pending: the receipt never came.
        creation.Gas = await Web3.TransactionManager.EstimateGasAsync(creation);
        var receipt = await Web3.TransactionManager.SendTransactionAndWaitForReceiptAsync(creation, cancellationToken);
        // The estimate refuses a constructor that reverts; this catches one that fails anyway once mined (the state moved
        // between the estimate and the block).
        if (receipt.Status?.Value != BigInteger.One)
        {
            throw new InvalidOperationException($"The creation transaction {receipt.TransactionHash} failed (status 0): the constructor reverted.");
        }

        return new DeployedContract(receipt.ContractAddress, receipt);
    }

    public async Task<object[]> CallAsync(string contract, string functionSignature, string[] returnTypes, object[] args, string? from = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contract);
        ArgumentNullException.ThrowIfNull(returnTypes);
        // Nethereum's eth_call takes no token: this is the only place a cancelled caller is heard.
        cancellationToken.ThrowIfCancellationRequested();
        var call = new CallInput { To = contract, Data = "0x" + Convert.ToHexStringLower(EncodeCall(functionSignature, args)) };
        if (from is not null)
        {
            // msg.sender of the simulated call; without it nodes use the zero address.
            call.From = from;
        }

        var result = await Web3.Eth.Transactions.Call.SendRequestAsync(call, BlockParameter.CreateLatest());
        if (string.IsNullOrEmpty(result) || result == "0x")
        {
            if (returnTypes.Length > 0)
            {
                // A call to an address without code "succeeds" with empty output: decoding zeros from it would lie.
                throw new InvalidOperationException($"{functionSignature} on {contract} returned no data: is there a contract at that address?");
            }

            return [];
        }

        var outputs = new ParameterDecoder().DecodeDefaultData(result, [.. returnTypes.Select((type, i) => new Parameter(type, i + 1))]);
        return [.. outputs.OrderBy(o => o.Parameter.Order).Select(o => o.Result)];
    }

    public async Task<TransactionReceipt> TransactAsync(string contract, string functionSignature, object[] args, BigInteger value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contract);
        var transaction = new TransactionInput
        {
            From = Web3.TransactionManager.Account.Address,
            To = contract,
            Data = "0x" + Convert.ToHexStringLower(EncodeCall(functionSignature, args)),
            Value = new HexBigInteger(value),
        };
        // eth_estimateGas runs the call first: one that would revert throws here, before anything is signed.
        transaction.Gas = await Web3.TransactionManager.EstimateGasAsync(transaction);
        return await Web3.TransactionManager.SendTransactionAndWaitForReceiptAsync(transaction, cancellationToken);
    }

    // Flat signatures only (the kata's calls have no tuples): "name(type,type)".
    private static byte[] EncodeCall(string functionSignature, object[] args)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(functionSignature);
        ArgumentNullException.ThrowIfNull(args);
        var open = functionSignature.IndexOf('(', StringComparison.Ordinal);
        if (open <= 0 || !functionSignature.EndsWith(')'))
        {
            throw new ArgumentException($"'{functionSignature}' is not a canonical signature such as transfer(address,uint256).", nameof(functionSignature));
        }

        var inner = functionSignature[(open + 1)..^1];
        string[] types = inner.Length == 0 ? [] : inner.Split(',');
        var selector = Sha3Keccack.Current.CalculateHash(System.Text.Encoding.ASCII.GetBytes(functionSignature))[..4];
        return [.. selector, .. Encode(types, args, nameof(args))];
    }

    private static byte[] Encode(string[] types, object[] values, string valuesName)
    {
        // Zip would silently drop the extra types or values: a short argument list must not encode as a shorter call.
        if (types.Length != values.Length)
        {
            throw new ArgumentException($"{types.Length} types but {values.Length} values.", valuesName);
        }

        try
        {
            return new ABIEncode().GetABIEncoded([.. types.Zip(values, (type, value) => new ABIValue(type, value))]);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The encoder reports a value of the wrong type in several ways (cast, format, its own Exception): one contract here.
            throw new ArgumentException($"The values do not match the types ({string.Join(",", types)}): {e.Message}", valuesName, e);
        }
    }
}
