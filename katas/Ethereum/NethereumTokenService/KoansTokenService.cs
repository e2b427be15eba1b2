using System.Numerics;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Koans.Ethereum.NethereumTokenService;

/// <summary>
/// Kata ethereum.nethereum-token-service, part 1: a typed service over KoansToken in the shape Nethereum's code
/// generator writes (<c>Nethereum.Generator.Console</c>, the Solidity VS Code extension): a class per contract, bound
/// to one <see cref="IWeb3"/> (so to one sending account) and one address, with one method per function:
/// <c>*QueryAsync</c> for views, <c>*RequestAndWaitForReceiptAsync</c> for transactions. web3.py's equivalent is the
/// object <c>w3.eth.contract(address=..., abi=...)</c>; here the ABI is compiled into the types
/// (KoansTokenDefinition.Provided.cs).
/// </summary>
/// <remarks>This is library code: started on the caller's <see cref="SynchronizationContext"/> (a UI thread), no method
/// may resume on that context after an await.</remarks>
public partial class KoansTokenService : ContractWeb3ServiceBase
{
    /// <summary>The service for the KoansToken at <paramref name="contractAddress"/>, sending as the account of <paramref name="web3"/>.</summary>
    public KoansTokenService(IWeb3 web3, string contractAddress)
        : base(web3, contractAddress)
    {
    }

    /// <summary>Deploys KoansToken with <paramref name="deployment"/> (bytecode and constructor arguments), waits for the
    /// receipt, and returns the service for the new contract.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="web3"/> is null.</exception>
    /// <exception cref="Nethereum.RPC.Eth.Exceptions.ContractDeploymentException">The deployment was mined but failed
    /// (status 0, no code at the new address: with a fixed gas limit nothing refuses it before it is mined). There is no
    /// contract to serve.</exception>
    public static Task<KoansTokenService> DeployContractAndGetServiceAsync(IWeb3 web3, KoansTokenDeployment deployment, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary><c>balanceOf(owner)</c>, a query.</summary>
    public Task<BigInteger> BalanceOfQueryAsync(string owner, BlockParameter? blockParameter = null) => throw new NotImplementedException();

    /// <summary><c>allowance(owner, spender)</c>, a query: what <paramref name="spender"/> may still move out of <paramref name="owner"/>'s balance.</summary>
    public Task<BigInteger> AllowanceQueryAsync(string owner, string spender, BlockParameter? blockParameter = null) => throw new NotImplementedException();

    /// <summary><c>transfer(to, value)</c> from this service's account; the receipt once mined.</summary>
    public Task<TransactionReceipt> TransferRequestAndWaitForReceiptAsync(string to, BigInteger value, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary><c>approve(spender, value)</c> from this service's account: sets (does not add to) the allowance.</summary>
    public Task<TransactionReceipt> ApproveRequestAndWaitForReceiptAsync(string spender, BigInteger value, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary><c>transferFrom(from, to, value)</c> sent by this service's account, which must be the approved spender.</summary>
    public Task<TransactionReceipt> TransferFromRequestAndWaitForReceiptAsync(string from, string to, BigInteger value, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>The contract's function message types (the five in KoansTokenDefinition.Provided.cs).</summary>
    public override List<Type> GetAllFunctionTypes() => throw new NotImplementedException();

    /// <summary>The contract's event types (Transfer and Approval).</summary>
    public override List<Type> GetAllEventTypes() => throw new NotImplementedException();

    /// <summary>The contract's custom error types (its three ERC-6093 errors): with them the base class can decode any
    /// revert of this contract (<c>FindCustomErrorException</c>).</summary>
    public override List<Type> GetAllErrorTypes() => throw new NotImplementedException();
}
