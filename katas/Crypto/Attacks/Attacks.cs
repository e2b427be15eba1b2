using System.Security.Cryptography;

namespace Koans.Crypto.Attacks;

/// <summary>
/// Kata crypto.attacks, part 1: the CBC padding-oracle attack (Vaudenay, 2002). Decrypt a ciphertext knowing nothing
/// but whether a chosen (IV, ciphertext) pair has valid PKCS#7 padding.
/// </summary>
/// <remarks>
/// <para>In CBC, <c>P[i] = D(C[i]) XOR C[i-1]</c> (with <c>C[-1]</c> = IV). Call <c>I = D(C[i])</c>, the intermediate block.
/// Send the oracle a forged previous block <c>X</c> followed by <c>C[i]</c>: the decryption is <c>I XOR X</c>.
/// Choose <c>X</c>'s last byte until the padding is valid: then (almost always) <c>I[15] XOR X[15] = 0x01</c>, so
/// <c>I[15] = X[15] XOR 0x01</c>. Set the last byte to give 0x02, find byte 14 the same way, and so on. Once you know
/// <c>I</c>, <c>P[i] = I XOR C[i-1]</c> with the <em>real</em> previous block.</para>
/// <para>The false positive: for the last byte, a guess can also be valid because the plaintext ends in
/// <c>02 02</c> (or <c>03 03 03</c>...). Confirm a hit on byte 15 by changing byte 14 and asking again.</para>
/// <para>At most 256 guesses per byte (plus at most two confirmations per block: the real hit and one possible false
/// positive): the test counts calls. Remove the PKCS#7
/// padding from the result. This is why the padding check must never be observable — and why, since you cannot hide it
/// perfectly (Lucky13 read it from timing), ciphertexts must be authenticated <em>before</em> they are decrypted
/// (see <see cref="AuthenticatedEncryption"/>).</para>
/// </remarks>
public static class PaddingOracleAttack
{
    /// <summary>Recovers the plaintext of AES-CBC <paramref name="ciphertext"/> (PKCS#7-padded, 16-byte blocks) using only
    /// <paramref name="oracle"/>(iv, ciphertext) → "the padding is valid".</summary>
    /// <exception cref="ArgumentException"><paramref name="iv"/> is not 16 bytes, or <paramref name="ciphertext"/> is
    /// empty or not a multiple of 16 bytes.</exception>
    public static byte[] Decrypt(byte[] iv, byte[] ciphertext, Func<byte[], byte[], bool> oracle) =>
        throw new NotImplementedException();
}

/// <summary>
/// Kata crypto.attacks, part 2: keystream reuse. A stream cipher (AES-CTR, ChaCha20) encrypts by XOR with a keystream
/// determined by (key, nonce). Encrypt two messages under the same key and nonce and
/// <c>C1 XOR C2 = P1 XOR P2</c>: the key is no longer needed. Knowing one plaintext reveals the other.
/// </summary>
public static class KeystreamReuse
{
    /// <summary>
    /// Given a known plaintext and its ciphertext, and another ciphertext under the same key and nonce, returns the other
    /// plaintext — as many bytes as the known pair covers (the rest of a longer target stays secret).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="knownPlaintext"/> and <paramref name="knownCiphertext"/>
    /// differ in length.</exception>
    public static byte[] RecoverPlaintext(byte[] knownPlaintext, byte[] knownCiphertext, byte[] targetCiphertext) =>
        throw new NotImplementedException();
}

/// <summary>
/// Kata crypto.attacks, part 3: the fix. AEAD (AES-256-GCM, <see cref="AesGcm"/>) authenticates before anything is
/// decrypted, so a tampered ciphertext is rejected as a whole: there is no padding to probe and no partial answer to
/// observe. A fresh random 12-byte nonce (<see cref="RandomNumberGenerator"/>) per message avoids keystream reuse.
/// </summary>
/// <remarks>Format: nonce (12) || ciphertext || tag (16).</remarks>
public static class AuthenticatedEncryption
{
    /// <summary>Encrypts with AES-256-GCM under a fresh random nonce.</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not 32 bytes.</exception>
    public static byte[] Seal(byte[] key, byte[] plaintext) => throw new NotImplementedException();

    /// <summary>Checks the tag and decrypts.</summary>
    /// <exception cref="AuthenticationTagMismatchException">Any byte of the sealed message was changed, or the key is wrong.</exception>
    /// <exception cref="CryptographicException">The input is shorter than a nonce and a tag.</exception>
    public static byte[] Open(byte[] key, byte[] sealedMessage) => throw new NotImplementedException();
}
