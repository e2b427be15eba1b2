namespace Koans.Ethereum.SignRecover;

/// <summary>
/// Kata ethereum.sign-recover: EIP-191 personal messages, deterministic low-s ECDSA on secp256k1, and recovering the
/// signer's address from a signature.
/// </summary>
/// <remarks>
/// <para><b>EIP-191 version 0x45</b> ("personal_sign"): hash
/// <c>keccak256("\x19Ethereum Signed Message:\n" + len(message) + message)</c>, where len is the decimal number of
/// <em>bytes</em> of the UTF-8 message. The prefix makes a signed message unusable as a signed transaction.
/// C# trap: <c>"\x19Ethereum"</c> does NOT start with byte 0x19. C#'s <c>\x</c> takes up to four hex digits, and E is
/// one, so it is the single character U+019E followed by "thereum". Write <c>"\u0019Ethereum..."</c> or build the
/// prefix from bytes.</para>
/// <para><b>Signing</b>: BouncyCastle's <c>ECDsaSigner</c> with <c>new HMacDsaKCalculator(new Sha256Digest())</c>
/// picks k deterministically (RFC 6979): no RNG to fail, same signature every time. Then enforce <b>low s</b>
/// (EIP-2): if s &gt; n/2, use n - s. The <b>recovery id</b> (0 or 1: the parity of the ephemeral point's y) lets a
/// verifier rebuild the public key from (hash, r, s); Ethereum writes it as v = 27 + recId. The signature is the 65
/// bytes <c>r (32) || s (32) || v (1)</c>. Find the recovery id by recovering with 0 and 1 and keeping the one that
/// gives your public key.</para>
/// <para><b>Recovery</b> (SEC 1 v2 section 4.1.6): R is the curve point with x = r and y parity = recId; then
/// Q = r⁻¹(s·R − e·G) with e the hash as an integer. <c>ECAlgorithms.SumOfTwoMultiplies</c> does the arithmetic.
/// Reject r or s outside [1, n−1], s &gt; n/2 (EIP-2: the high-s twin is a second valid signature of the same message,
/// so accepting it makes signatures malleable), and v other than 27 or 28.</para>
/// </remarks>
public static class MessageSigner
{
    /// <summary>The EIP-191 (version 0x45) personal-message hash of <paramref name="message"/>: 32 bytes.</summary>
    public static byte[] HashPersonalMessage(ReadOnlySpan<byte> message) => throw new NotImplementedException();

    /// <summary>Signs a 32-byte hash: 65 bytes <c>r || s || v</c>, RFC 6979 k, low s, v = 27 or 28.</summary>
    /// <exception cref="ArgumentException">The hash is not 32 bytes or the key is not 32 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The key is 0 or not below the curve order.</exception>
    public static byte[] SignHash(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> privateKey) => throw new NotImplementedException();

    /// <summary>
    /// <c>personal_sign</c>: signs the EIP-191 hash of the UTF-8 <paramref name="message"/> with a <c>0x</c> + 64 hex
    /// private key; returns <c>0x</c> + 130 hex digits (r, s, v).
    /// </summary>
    public static string SignPersonalMessage(string message, string privateKeyHex) => throw new NotImplementedException();

    /// <summary>The EIP-55 address whose key produced the 65-byte <paramref name="signature"/> over <paramref name="hash"/>.</summary>
    /// <exception cref="ArgumentException">The hash is not 32 bytes; the signature is not 65 bytes; v is not 27 or 28;
    /// r or s is 0 or not below n; s is in the upper half (EIP-2); or no point has x = r.</exception>
    public static string RecoverAddress(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature) => throw new NotImplementedException();

    /// <summary>The EIP-55 address that signed the UTF-8 <paramref name="message"/> with <c>personal_sign</c>.</summary>
    /// <exception cref="FormatException"><paramref name="signatureHex"/> is not <c>0x</c> + hex.</exception>
    /// <exception cref="ArgumentException">As <see cref="RecoverAddress"/>.</exception>
    public static string RecoverPersonalMessageSigner(string message, string signatureHex) => throw new NotImplementedException();
}
