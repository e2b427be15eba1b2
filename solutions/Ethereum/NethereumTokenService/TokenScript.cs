using System.Numerics;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;

namespace Koans.Ethereum.NethereumTokenService;

/// <summary>Reference solution for ethereum.nethereum-token-service: the script.</summary>
public static class TokenScript
{
    public static async Task<TransactionReceipt> CollectAsync(KoansTokenService spender, string from, string to, BigInteger amount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spender);
        try
        {
            // The handler estimates gas first: a transferFrom the token would refuse throws here, before mining.
            return await spender.TransferFromRequestAndWaitForReceiptAsync(from, to, amount, cancellationToken).ConfigureAwait(false);
        }
        catch (SmartContractCustomErrorRevertException e) when (e.IsCustomErrorFor<Erc20InsufficientAllowanceError>())
        {
            var error = e.DecodeError<Erc20InsufficientAllowanceError>();
            throw new AllowanceExceededException(error.Spender, error.Allowance, error.Needed, e);
        }
    }

    public static async Task<IReadOnlyList<TransactionReceipt>> ChangeAllowanceAsync(KoansTokenService owner, string spender, BigInteger newAllowance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentOutOfRangeException.ThrowIfNegative(newAllowance);
        var ownerAddress = owner.Web3.TransactionManager.Account.Address;
        var current = await owner.AllowanceQueryAsync(ownerAddress, spender).ConfigureAwait(false);
        if (current == newAllowance)
        {
            return [];
        }

        var receipts = new List<TransactionReceipt>(2);
        // EIP-20, approve: "clients SHOULD make sure to create user interfaces in such a way that they set the allowance
        // first to 0 before setting it to another value for the same spender". Sequential: the second approval is sent
        // only after the first is mined.
        if (!current.IsZero && !newAllowance.IsZero)
        {
            receipts.Add(await owner.ApproveRequestAndWaitForReceiptAsync(spender, BigInteger.Zero, cancellationToken).ConfigureAwait(false));
        }

        receipts.Add(await owner.ApproveRequestAndWaitForReceiptAsync(spender, newAllowance, cancellationToken).ConfigureAwait(false));
        return receipts;
    }
}
