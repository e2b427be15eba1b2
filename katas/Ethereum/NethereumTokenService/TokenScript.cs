using System.Numerics;
using Nethereum.RPC.Eth.DTOs;

namespace Koans.Ethereum.NethereumTokenService;

/// <summary>
/// Kata ethereum.nethereum-token-service, part 2: the small script a back office writes over the service, with the
/// allowance rules of ERC-20 (EIP-20) and its errors (ERC-6093).
/// </summary>
/// <remarks>Like the service, this is library code (the back office calls it from a UI thread): no method may resume on
/// the caller's <see cref="SynchronizationContext"/> after an await.</remarks>
public static class TokenScript
{
    /// <summary>
    /// Pulls <paramref name="amount"/> from <paramref name="from"/> to <paramref name="to"/> with <c>transferFrom</c>,
    /// sent by the spender's service. Nothing is checked locally first (a local check races the chain); the token decides.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="spender"/> is null.</exception>
    /// <exception cref="AllowanceExceededException">The token reverted with ERC20InsufficientAllowance: carries the
    /// spender, the allowance and the amount, decoded from the revert data. Nothing was mined.</exception>
    /// <remarks>Any other revert (an insufficient <b>balance</b>, an invalid receiver) is a different problem with a
    /// different fix: it propagates as the library threw it.</remarks>
    public static Task<TransactionReceipt> CollectAsync(KoansTokenService spender, string from, string to, BigInteger amount, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Changes <paramref name="spender"/>'s allowance on the owner's account (the account of <paramref name="owner"/>)
    /// to <paramref name="newAllowance"/> the way EIP-20 asks user interfaces to: when both the current and the new
    /// allowance are non-zero, first set it to 0, then to the new value (otherwise the spender can front-run the change
    /// and spend the old allowance and then the new one). Returns the receipts of the approvals sent, in order (none
    /// when the allowance already has that value).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="newAllowance"/> is negative: an allowance is a
    /// uint256. Refused before anything is read or sent.</exception>
    public static Task<IReadOnlyList<TransactionReceipt>> ChangeAllowanceAsync(KoansTokenService owner, string spender, BigInteger newAllowance, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
