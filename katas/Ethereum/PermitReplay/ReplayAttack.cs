using System.Numerics;
using Nethereum.Web3;

namespace Koans.Ethereum.PermitReplay;

/// <summary>
/// Kata ethereum.permit-replay, the issuer's side: sign payments off-chain with EIP-712, for the vault that pays any
/// voucher again and again and for the one that pays each permit once.
/// </summary>
/// <remarks>
/// <para>Both vaults are in infra/chain/contracts/PaymentVouchers.sol. Each pays whoever submits a payment its issuer
/// (the deployer) signed, so the issuer can hand out payments without sending a transaction for each: the shape of
/// ERC-2612 permits, meta-transactions and NFT vouchers. What goes into the signed digest decides how often, where and
/// until when a signature pays. <see cref="Voucher"/> and <see cref="Permit"/> give each vault's typed struct and
/// domain; the vault's <c>digestOf</c> view returns the digest it recovers the signer from.</para>
/// <para>Signatures are 65 bytes: r (32), s (32), v (1, 27 or 28), the layout both vaults read. Sign with the
/// library your team would ship (Nethereum.Signer.EIP712), never with a hand-rolled encoder.</para>
/// </remarks>
public static class PaymentSigner
{
    /// <summary>
    /// The issuer's signature over <paramref name="voucher"/> as <c>VoucherVault</c> verifies it: EIP-712 typed data
    /// with the voucher's struct and domain (<see cref="Voucher"/>), deterministic (RFC 6979), low s.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="voucher"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The amount is negative (a uint256 cannot be).</exception>
    public static byte[] SignVoucher(Voucher voucher, string issuerPrivateKey) =>
        throw new NotImplementedException();

    /// <summary>
    /// The issuer's signature over <paramref name="permit"/> as the <c>PermitVault</c> at <paramref name="vault"/> on
    /// chain <paramref name="chainId"/> verifies it: EIP-712 typed data with the permit's struct and the full domain
    /// (<see cref="Permit"/>), deterministic (RFC 6979), low s. A permit signed for one chain or one vault is worthless
    /// on any other.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="permit"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The amount is negative.</exception>
    public static byte[] SignPermit(Permit permit, BigInteger chainId, string vault, string issuerPrivateKey) =>
        throw new NotImplementedException();

    /// <summary>
    /// The other valid signature of the same digest by the same key: every secp256k1 signature has a twin that
    /// verifies just as well (bytes 0-31, r, unchanged). Applied twice it gives back the original. A contract that
    /// remembers which signature <em>bytes</em> it has seen, and verifies with the bare <c>ecrecover</c>, pays the twin
    /// as a new signature; one that takes only the canonical (low-s) form, as EIP-2 requires of transactions, refuses it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="signature"/> is null.</exception>
    /// <exception cref="ArgumentException">Not 65 bytes, v not 27 or 28, or s outside [1, n - 1] (n: the secp256k1
    /// group order, SEC 2 section 2.4.1).</exception>
    public static byte[] Malleate(byte[] signature) =>
        throw new NotImplementedException();
}

/// <summary>
/// Kata ethereum.permit-replay, the attacker's side: read a redemption anyone can see on chain, and submit it again.
/// </summary>
/// <remarks>
/// <para><c>VoucherVault</c>'s <c>redeem(address payee, uint256 amount, bytes signature)</c> pays <c>amount</c> to
/// <c>payee</c> when the issuer signed the voucher; <c>PermitVault</c>'s
/// <c>redeem(address payee, uint256 amount, uint256 nonce, uint256 deadline, bytes signature)</c> does the same for a
/// permit. A refusal is a revert with a custom error (<c>BadSignature</c>, <c>WrongSigner</c>,
/// <c>InvalidAccountNonce</c>, <c>ExpiredPayment</c>, <c>ECDSAInvalidSignatureS</c>, <c>TransferFailed</c>).</para>
/// <para>Every transaction is sent from the account of <see cref="Web3"/>, which pays the gas. The plumbing (signing
/// transactions, nonces, gas, receipts, ABI decoding) is Nethereum's.</para>
/// </remarks>
public sealed class ReplayAttack(IWeb3 web3)
{
    /// <summary>The attacker's connection: its account signs and pays for every transaction sent.</summary>
    public IWeb3 Web3 { get; } = web3;

    /// <summary>
    /// Reads the mined transaction <paramref name="transactionHash"/> and decodes the redemption it made, whichever vault
    /// kind it called: the address called, the payee and amount in the calldata, and the calldata itself.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="transactionHash"/> is null or blank.</exception>
    /// <exception cref="InvalidOperationException">The node knows no such transaction, or it calls neither vault's
    /// <c>redeem</c>.</exception>
    public Task<CapturedRedemption> CaptureAsync(string transactionHash, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Submits <paramref name="captured"/>'s calldata, unchanged, to <paramref name="vault"/> (the vault it was made for,
    /// or another), once for every whole <see cref="CapturedRedemption.Amount"/> the vault's balance holds when called:
    /// each payment that would succeed, and not one more. Sends one transaction at a time, each mined before the next.
    /// </summary>
    /// <returns>The redemptions paid, the wei they paid, and the receipt of every transaction sent, in order.</returns>
    /// <exception cref="ArgumentException"><paramref name="vault"/> is null or blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="captured"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The captured amount is zero or negative: refused before any
    /// transaction is sent.</exception>
    /// <exception cref="ReplayRefusedException">The vault refused a replay (at its gas estimate, or mined with status 0):
    /// stop at the first refusal.</exception>
    public Task<ReplayReport> ReplayAsync(string vault, CapturedRedemption captured, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
