using System.Numerics;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Koans.Ethereum.NethereumTokenService;

/// <summary>Reference solution for ethereum.nethereum-token-service: the service, as the code generator writes it.</summary>
public partial class KoansTokenService : ContractWeb3ServiceBase
{
    public KoansTokenService(IWeb3 web3, string contractAddress)
        : base(web3, contractAddress)
    {
    }

    public static async Task<KoansTokenService> DeployContractAndGetServiceAsync(IWeb3 web3, KoansTokenDeployment deployment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web3);
        // The helper checks the creation itself: a creation mined without code at the new address (status 0) throws
        // ContractDeploymentException, so a failed deployment never gets this far.
        var receipt = await DeployContractAndWaitForReceiptAsync(web3, deployment, cancellationToken).ConfigureAwait(false);
        return new KoansTokenService(web3, receipt.ContractAddress);
    }

    public Task<BigInteger> BalanceOfQueryAsync(string owner, BlockParameter? blockParameter = null) =>
        ContractHandler.QueryAsync<BalanceOfFunction, BigInteger>(new BalanceOfFunction { Owner = owner }, blockParameter);

    // allowance(owner, spender): the mapping is allowance[owner][spender]. Swapping them reads the reverse approval.
    public Task<BigInteger> AllowanceQueryAsync(string owner, string spender, BlockParameter? blockParameter = null) =>
        ContractHandler.QueryAsync<AllowanceFunction, BigInteger>(new AllowanceFunction { Owner = owner, Spender = spender }, blockParameter);

    public Task<TransactionReceipt> TransferRequestAndWaitForReceiptAsync(string to, BigInteger value, CancellationToken cancellationToken = default) =>
        ContractHandler.SendRequestAndWaitForReceiptAsync(new TransferFunction { To = to, Value = value }, cancellationToken);

    public Task<TransactionReceipt> ApproveRequestAndWaitForReceiptAsync(string spender, BigInteger value, CancellationToken cancellationToken = default) =>
        ContractHandler.SendRequestAndWaitForReceiptAsync(new ApproveFunction { Spender = spender, Value = value }, cancellationToken);

    public Task<TransactionReceipt> TransferFromRequestAndWaitForReceiptAsync(string from, string to, BigInteger value, CancellationToken cancellationToken = default) =>
        ContractHandler.SendRequestAndWaitForReceiptAsync(new TransferFromFunction { From = from, To = to, Value = value }, cancellationToken);

    public override List<Type> GetAllFunctionTypes() =>
        [typeof(BalanceOfFunction), typeof(AllowanceFunction), typeof(TransferFunction), typeof(ApproveFunction), typeof(TransferFromFunction)];

    public override List<Type> GetAllEventTypes() => [typeof(TransferEventDto), typeof(ApprovalEventDto)];

    public override List<Type> GetAllErrorTypes() =>
        [typeof(Erc20InsufficientBalanceError), typeof(Erc20InsufficientAllowanceError), typeof(Erc20InvalidReceiverError)];
}
