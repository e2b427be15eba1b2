using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Koans.Ethereum.NethereumContracts;

// The attributes are the ABI: the Solidity type and the position (1-based, declaration order) of each parameter, and
// the function's name and output types. The selector is keccak256 of "name(type,...)", so a wrong type or name gives a
// call the contract does not have.


/// <summary>KoansToken's constructor: <c>constructor(string name_, string symbol_, uint256 initialSupply)</c>.</summary>
public class KoansTokenDeployment : ContractDeploymentMessage
{
    /// <summary>The handler creates messages with this constructor; set <see cref="ContractDeploymentMessage.ByteCode"/> then.</summary>
    public KoansTokenDeployment()
        : base(string.Empty)
    {
    }

    /// <summary>With the contract's creation code (0x hex).</summary>
    public KoansTokenDeployment(string byteCode)
        : base(byteCode)
    {
    }

    [Parameter("string", "name_", 1)]
    public string Name { get; set; } = "";

    [Parameter("string", "symbol_", 2)]
    public string Symbol { get; set; } = "";

    [Parameter("uint256", "initialSupply", 3)]
    public BigInteger InitialSupply { get; set; }
}

/// <summary><c>function balanceOf(address) view returns (uint256)</c> (the public mapping's getter).</summary>
[Function("balanceOf", "uint256")]
public class BalanceOfFunction : FunctionMessage
{
    [Parameter("address", "", 1)]
    public string Owner { get; set; } = "";
}

/// <summary>The output of <see cref="BalanceOfFunction"/>, decoded into an object.</summary>
[FunctionOutput]
public class BalanceOfOutput : IFunctionOutputDTO
{
    [Parameter("uint256", "", 1)]
    public BigInteger Balance { get; set; }
}

/// <summary><c>function transfer(address to, uint256 value) returns (bool)</c>.</summary>
[Function("transfer", "bool")]
public class TransferFunction : FunctionMessage
{
    [Parameter("address", "to", 1)]
    public string To { get; set; } = "";

    [Parameter("uint256", "value", 2)]
    public BigInteger Value { get; set; }
}

/// <summary>TokenSale's constructor: <c>constructor(address token_, uint256 tokensPerEth_)</c>.</summary>
public class TokenSaleDeployment : ContractDeploymentMessage
{
    /// <summary>The handler creates messages with this constructor; set <see cref="ContractDeploymentMessage.ByteCode"/> then.</summary>
    public TokenSaleDeployment()
        : base(string.Empty)
    {
    }

    /// <summary>With the contract's creation code (0x hex).</summary>
    public TokenSaleDeployment(string byteCode)
        : base(byteCode)
    {
    }

    [Parameter("address", "token_", 1)]
    public string Token { get; set; } = "";

    [Parameter("uint256", "tokensPerEth_", 2)]
    public BigInteger TokensPerEth { get; set; }
}

/// <summary>TokenSale's <c>function buy() payable returns (uint256 tokenAmount)</c>.</summary>
[Function("buy", "uint256")]
public class BuyFunction : FunctionMessage
{
}

/// <summary>Reference solution for ethereum.nethereum-contracts.</summary>
public static class TokenContracts
{
    public static async Task<string> DeployTokenAsync(Web3 web3, string bytecode, string name, string symbol, BigInteger initialSupply, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web3);
        // SendRequestAndWaitForReceiptAsync signs and sends before it looks at the token (it only stops the polling for
        // the receipt), so a token canceled before the call must be checked here, or the transaction goes out anyway.
        cancellationToken.ThrowIfCancellationRequested();
        var deployment = new KoansTokenDeployment(bytecode) { Name = name, Symbol = symbol, InitialSupply = initialSupply };
        var receipt = await web3.Eth.GetContractDeploymentHandler<KoansTokenDeployment>()
            .SendRequestAndWaitForReceiptAsync(deployment, cancellationToken).ConfigureAwait(false);
        return Succeeded(receipt).ContractAddress;
    }

    public static async Task<BigInteger> BalanceOfAsync(Web3 web3, string token, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web3);
        cancellationToken.ThrowIfCancellationRequested();
        // QueryAsync is eth_call: the node runs the function on its latest state and throws the result away.
        var output = await web3.Eth.GetContractHandler(token)
            .QueryDeserializingToObjectAsync<BalanceOfFunction, BalanceOfOutput>(new BalanceOfFunction { Owner = owner })
            .ConfigureAwait(false);
        return output.Balance;
    }

    public static async Task<BigInteger> EstimateTransferGasAsync(Web3 web3, string token, string to, BigInteger value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web3);
        cancellationToken.ThrowIfCancellationRequested();
        var gas = await web3.Eth.GetContractHandler(token)
            .EstimateGasAsync(new TransferFunction { To = to, Value = value }).ConfigureAwait(false);
        return gas.Value;
    }

    public static async Task<TransactionReceipt> TransferAsync(Web3 web3, string token, string to, BigInteger value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web3);
        cancellationToken.ThrowIfCancellationRequested();
        // No Gas set: the handler estimates it first, so a transfer that would revert throws here instead of being
        // mined as a failure that costs gas.
        var receipt = await web3.Eth.GetContractHandler(token)
            .SendRequestAndWaitForReceiptAsync(new TransferFunction { To = to, Value = value }, cancellationToken)
            .ConfigureAwait(false);
        return Succeeded(receipt);
    }

    public static async Task<string> DeploySaleAsync(Web3 web3, string bytecode, string token, BigInteger tokensPerEth, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web3);
        cancellationToken.ThrowIfCancellationRequested();
        var receipt = await web3.Eth.GetContractDeploymentHandler<TokenSaleDeployment>()
            .SendRequestAndWaitForReceiptAsync(new TokenSaleDeployment(bytecode) { Token = token, TokensPerEth = tokensPerEth }, cancellationToken)
            .ConfigureAwait(false);
        return Succeeded(receipt).ContractAddress;
    }

    public static async Task<TransactionReceipt> BuyAsync(Web3 web3, string sale, BigInteger wei, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(wei);
        cancellationToken.ThrowIfCancellationRequested();
        // The ether travels as the transaction's value (AmountToSend), not as an argument: buy() takes none.
        var receipt = await web3.Eth.GetContractHandler(sale)
            .SendRequestAndWaitForReceiptAsync(new BuyFunction { AmountToSend = wei }, cancellationToken)
            .ConfigureAwait(false);
        return Succeeded(receipt);
    }

    private static TransactionReceipt Succeeded(TransactionReceipt receipt) =>
        receipt.Status?.Value == BigInteger.One
            ? receipt
            : throw new InvalidOperationException($"Transaction {receipt.TransactionHash} was mined but failed (status 0).");
}
