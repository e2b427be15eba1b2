namespace Koans.Ethereum.SignRecover;

/// <summary>
/// Kata ethereum.sign-recover: EIP-191 personal messages, deterministic low-s ECDSA on secp256k1, and recovering the
/// signer's address from a signature.
/// </summary>
/// <remarks>
/// <para><b>The hash</b> is EIP-191 version 0x45 ("personal_sign", https://eips.ethereum.org/EIPS/eip-191), as the EIP
/// writes it: <c>keccak256("\x19Ethereum Signed Message:\n" + len(message) + message)</c>, where len is the decimal
/// number of <em>bytes</em> of the UTF-8 message. The prefix makes a signed message unusable as a signed transaction.
/// The tests compare your hash with the hashes web3.js and ethers publish.</para>
/// <para><b>Signing</b> (secp256k1) must be deterministic: the same key and hash give the same signature every time,
/// with k derived as RFC 6979 specifies (HMAC-SHA256), so no random number generator can fail you. The signature is
/// low-s (EIP-2, https://eips.ethereum.org/EIPS/eip-2): of the two valid values s and n - s, the one not above n/2.
/// The output is the 65 bytes <c>r (32) || s (32) || v (1)</c>, with v = 27 + the recovery id (0 or 1): the extra
/// bit a verifier needs to rebuild your public key from (hash, r, s) alone. The tests check your output byte for byte
/// against the web3.js documentation's example and <c>cast wallet sign</c>.</para>
/// <para><b>Recovery</b> is SEC 1 v2 section 4.1.6 (https://www.secg.org/sec1-v2.pdf) with v choosing the candidate.
/// Reject, with <see cref="ArgumentException"/>, r or s outside [1, n - 1], s above n/2 (the high-s twin is a second
/// valid signature of the same message, so accepting it makes signatures malleable), and v other than 27 or 28. A
/// well-formed signature of another message is not an error: it recovers another address.</para>
/// </remarks>
public static class MessageSigner
{
    /// <summary>The EIP-191 (version 0x45) personal-message hash of <paramref name="message"/>: 32 bytes.</summary>
    public static byte[] HashPersonalMessage(ReadOnlySpan<byte> message) => throw new NotImplementedException();

    /// <summary>Signs a 32-byte hash: 65 bytes <c>r || s || v</c>, deterministic (RFC 6979), low s, v = 27 or 28.</summary>
    /// <exception cref="ArgumentException">The hash is not 32 bytes (naming <c>hash</c>) or the key is not 32 bytes
    /// (naming <c>privateKey</c>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The key is 0 or not below the curve order (naming
    /// <c>privateKey</c>).</exception>
    public static byte[] SignHash(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> privateKey) => throw new NotImplementedException();

    /// <summary>
    /// <c>personal_sign</c>: signs the EIP-191 hash of the UTF-8 <paramref name="message"/> with a <c>0x</c> + 64 hex
    /// private key; returns <c>0x</c> + 130 hex digits (r, s, v).
    /// </summary>
    /// <exception cref="ArgumentNullException">A null argument, named.</exception>
    /// <exception cref="FormatException"><paramref name="privateKeyHex"/> is not <c>0x</c> + hex.</exception>
    /// <exception cref="ArgumentException">As <see cref="SignHash"/> for the key.</exception>
    public static string SignPersonalMessage(string message, string privateKeyHex) => throw new NotImplementedException();

    /// <summary>The EIP-55 address whose key produced the 65-byte <paramref name="signature"/> over <paramref name="hash"/>.</summary>
    /// <exception cref="ArgumentException">The hash is not 32 bytes; the signature is not 65 bytes; v is not 27 or 28;
    /// r or s is 0 or not below n; s is in the upper half (EIP-2); no point has x = r; or the recovered key would be
    /// the point at infinity (which has no address). Each names the parameter at fault: <c>hash</c> or
    /// <c>signature</c>.</exception>
    public static string RecoverAddress(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature) => throw new NotImplementedException();

    /// <summary>The EIP-55 address that signed the UTF-8 <paramref name="message"/> with <c>personal_sign</c>.</summary>
    /// <exception cref="ArgumentNullException">A null argument, named.</exception>
    /// <exception cref="FormatException"><paramref name="signatureHex"/> is not <c>0x</c> + hex.</exception>
    /// <exception cref="ArgumentException">As <see cref="RecoverAddress"/>.</exception>
    public static string RecoverPersonalMessageSigner(string message, string signatureHex) => throw new NotImplementedException();
}
