using System.Numerics;
using Nethereum.RPC.Eth.DTOs;

namespace Koans.Ethereum.PermitReplay;

/// <summary>
/// What <c>VoucherVault</c> (infra/chain/contracts/PaymentVouchers.sol) pays against: its issuer's EIP-712 signature over
/// <c>Payment(address payee,uint256 amount)</c>, in the domain <c>EIP712Domain(string name,string version)</c> with
/// name <see cref="VaultDomains.VoucherName"/> and version <see cref="VaultDomains.Version"/>. Nothing else is signed.
/// </summary>
/// <param name="Payee">The address paid, 0x hex.</param>
/// <param name="Amount">The wei paid.</param>
public sealed record Voucher(string Payee, BigInteger Amount);

/// <summary>
/// What <c>PermitVault</c> pays against: its issuer's EIP-712 signature over
/// <c>Payment(address payee,uint256 amount,uint256 nonce,uint256 deadline)</c>, in the domain
/// <c>EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)</c> with name
/// <see cref="VaultDomains.PermitName"/>, version <see cref="VaultDomains.Version"/>, the chain's id and the vault's
/// address.
/// </summary>
/// <param name="Payee">The address paid, 0x hex.</param>
/// <param name="Amount">The wei paid.</param>
/// <param name="Nonce">The issuer's next nonce at the vault (<c>nonces(issuer)</c>): each is spent once, in order.</param>
/// <param name="Deadline">The last unix time (seconds, inclusive) at which the vault pays it.</param>
public sealed record Permit(string Payee, BigInteger Amount, BigInteger Nonce, BigInteger Deadline);

/// <summary>The EIP-712 domain names and version the two vaults were deployed with.</summary>
public static class VaultDomains
{
    /// <summary>VoucherVault's domain name.</summary>
    public const string VoucherName = "Koans Voucher Vault";

    /// <summary>PermitVault's domain name.</summary>
    public const string PermitName = "Koans Permit Vault";

    /// <summary>Both vaults' domain version.</summary>
    public const string Version = "1";
}

/// <summary>A redemption read back from a mined transaction: where it was sent, whom it pays, how much, and its calldata.</summary>
/// <param name="Vault">The address the transaction called, 0x hex.</param>
/// <param name="Payee">The payee in the calldata.</param>
/// <param name="Amount">The wei the calldata asks for.</param>
/// <param name="Calldata">The transaction's input, byte for byte (selector, arguments, signature).</param>
public sealed record CapturedRedemption(string Vault, string Payee, BigInteger Amount, byte[] Calldata);

/// <summary>What a replay took: the redemptions that were paid, the wei they paid, and every transaction sent, in order.</summary>
public sealed record ReplayReport(int Redemptions, BigInteger Paid, IReadOnlyList<TransactionReceipt> Transactions);

/// <summary>A replayed redemption the node refused: at its gas estimate, or mined with status 0.</summary>
public sealed class ReplayRefusedException(string message, Exception? innerException = null)
    : InvalidOperationException(message, innerException);
