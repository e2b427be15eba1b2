using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Koans.Ethereum.NethereumContracts;

// Typed messages for infra/chain/contracts/KoansToken.sol and TokenSale.sol, in the style Nethereum's code generator
// writes them. Part of the kata: give each class and property the attributes that tell Nethereum the Solidity name,
// type and position (see the contracts' sources; the property names here need not match Solidity's).

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

    public string Name { get; set; } = "";

    public string Symbol { get; set; } = "";

    public BigInteger InitialSupply { get; set; }
}

/// <summary><c>function balanceOf(address) view returns (uint256)</c> (the public mapping's getter).</summary>
public class BalanceOfFunction : FunctionMessage
{
    public string Owner { get; set; } = "";
}

/// <summary>The output of <see cref="BalanceOfFunction"/>, decoded into an object.</summary>
public class BalanceOfOutput : IFunctionOutputDTO
{
    public BigInteger Balance { get; set; }
}

/// <summary><c>function transfer(address to, uint256 value) returns (bool)</c>.</summary>
public class TransferFunction : FunctionMessage
{
    public string To { get; set; } = "";

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

    public string Token { get; set; } = "";

    public BigInteger TokensPerEth { get; set; }
}

/// <summary>TokenSale's <c>function buy() payable returns (uint256 tokenAmount)</c>.</summary>
public class BuyFunction : FunctionMessage
{
}

/// <summary>
/// Kata ethereum.nethereum-contracts: deploy and use contracts through typed messages, the way a .NET team does with
/// Nethereum where a web3.py team writes <c>w3.eth.contract(abi=...)</c>. ethereum.deploy-and-call did this by hand
/// (CREATE address, ABI encoding, eth_call versus a transaction); here the attributes carry the ABI and the library
/// encodes, estimates, signs and decodes.
/// </summary>
/// <remarks>
/// A <b>query</b> (a <c>view</c> function) is an <c>eth_call</c>: free, instant, no transaction, no block. A
/// <b>transaction</b> changes state, costs gas and is mined. Sending a query as a transaction wastes gas and gives
/// you a receipt instead of the value. Every method that sends waits for the receipt and throws
/// <see cref="InvalidOperationException"/> when it says the transaction failed.
/// <para>
/// Every method refuses a null <c>web3</c> with <see cref="ArgumentNullException"/> naming it, and a token that is
/// already canceled with <see cref="OperationCanceledException"/> before it asks the node anything or sends anything.
/// This is library code: started from a caller's <see cref="SynchronizationContext"/> (a UI thread, a classic ASP.NET
/// request), it never resumes on that context after waiting for the node.
/// </para>
/// </remarks>
public static class TokenContracts
{
    /// <summary>Deploys KoansToken (<paramref name="bytecode"/>: its creation code, 0x hex) with the constructor arguments; returns the new contract's address.</summary>
    public static Task<string> DeployTokenAsync(Web3 web3, string bytecode, string name, string symbol, BigInteger initialSupply, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>The token balance of <paramref name="owner"/>, read with a query (no transaction) and decoded into a <see cref="BalanceOfOutput"/>.</summary>
    public static Task<BigInteger> BalanceOfAsync(Web3 web3, string token, string owner, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>The gas a <c>transfer(to, value)</c> from the account of <paramref name="web3"/> would use, as the node estimates it. Sends nothing.</summary>
    /// <remarks>A transfer that would revert cannot be estimated: the node's revert comes back as the library's exception.</remarks>
    public static Task<BigInteger> EstimateTransferGasAsync(Web3 web3, string token, string to, BigInteger value, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Sends <c>transfer(to, value)</c> and returns the successful receipt.</summary>
    /// <remarks>A transfer that would revert (for example more than the balance) is refused while estimating its gas: the
    /// library's exception propagates and nothing is mined.</remarks>
    public static Task<TransactionReceipt> TransferAsync(Web3 web3, string token, string to, BigInteger value, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Deploys TokenSale for <paramref name="token"/> at <paramref name="tokensPerEth"/>; returns its address.</summary>
    public static Task<string> DeploySaleAsync(Web3 web3, string bytecode, string token, BigInteger tokensPerEth, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Calls the payable <c>buy()</c> of <paramref name="sale"/>, paying <paramref name="wei"/> with the call; returns the successful receipt.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="wei"/> is zero or negative (checked before anything is sent).</exception>
    public static Task<TransactionReceipt> BuyAsync(Web3 web3, string sale, BigInteger wei, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
