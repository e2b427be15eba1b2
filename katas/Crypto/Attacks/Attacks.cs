using System.Security.Cryptography;

namespace Koans.Crypto.Attacks;

/// <summary>
/// Kata crypto.attacks, part 1: the CBC padding-oracle attack (Vaudenay, EUROCRYPT 2002). Decrypt an AES-CBC ciphertext
/// without the key, knowing only whether a chosen (IV, ciphertext) pair decrypts to valid PKCS#7 padding.
/// </summary>
/// <remarks>
/// <para>The oracle is the server's one bit: "padding valid" or "padding invalid" (a status code, an error text, a
/// timing difference). You may call it with any IV and any ciphertext you build. Find out how that bit, asked often
/// enough, reveals every plaintext byte.</para>
/// <para>The standard to meet: the whole plaintext, PKCS#7 padding removed, for a message of any number of blocks; at
/// most 256 oracle calls per byte plus at most two extra calls per block, and no more guesses for a byte once it is
/// confirmed (the tests count); and a correct answer for plaintexts chosen so that a wrong guess can also look like valid
/// padding (the tests include such messages).</para>
/// <para>Why it matters: this is why a padding check must never be observable, and, since it cannot be hidden
/// perfectly (Lucky13 read it from timing), why ciphertexts must be authenticated <em>before</em> they are decrypted
/// (part 3, <see cref="AuthenticatedEncryption"/>).</para>
/// </remarks>
public static class PaddingOracleAttack
{
    /// <summary>Recovers the plaintext of AES-CBC <paramref name="ciphertext"/> (PKCS#7-padded, 16-byte blocks) using only
    /// <paramref name="oracle"/>(iv, ciphertext) → "the padding is valid".</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="iv"/> is not 16 bytes, or <paramref name="ciphertext"/> is
    /// empty or not a multiple of 16 bytes.</exception>
    /// <exception cref="CryptographicException">The recovered plaintext does not end in valid
    /// PKCS#7 padding, or the oracle never answers "valid" for any guess (it is not a padding oracle).</exception>
    public static byte[] Decrypt(byte[] iv, byte[] ciphertext, Func<byte[], byte[], bool> oracle) =>
        throw new NotImplementedException();
}

/// <summary>
/// Kata crypto.attacks, part 2: keystream reuse. A stream cipher (AES-CTR, ChaCha20) encrypts by XOR with a keystream
/// determined by (key, nonce) alone. Two messages encrypted under the same key and nonce: what can someone who knows
/// one of the plaintexts learn about the other, without the key?
/// </summary>
public static class KeystreamReuse
{
    /// <summary>
    /// Given a known plaintext and its ciphertext, and another ciphertext under the same key and nonce, returns the other
    /// plaintext — as many bytes as the known pair covers (the rest of a longer target stays secret).
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="knownPlaintext"/> and <paramref name="knownCiphertext"/>
    /// differ in length.</exception>
    public static byte[] RecoverPlaintext(byte[] knownPlaintext, byte[] knownCiphertext, byte[] targetCiphertext) =>
        throw new NotImplementedException();
}

/// <summary>
/// Kata crypto.attacks, part 3: the fix. Authenticated encryption (AEAD, AES-256-GCM) checks integrity before anything
/// is decrypted, so a tampered ciphertext is rejected as a whole: there is no padding to probe and no partial answer to
/// observe. Every message gets a fresh, unpredictable 12-byte nonce, so no keystream is ever reused.
/// </summary>
/// <remarks>Format: nonce (12 bytes) || ciphertext || tag (16 bytes). Use the platform's vetted implementation, never a
/// hand-rolled mode.</remarks>
public static class AuthenticatedEncryption
{
    /// <summary>Encrypts with AES-256-GCM under a fresh random nonce.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not 32 bytes.</exception>
    public static byte[] Seal(byte[] key, byte[] plaintext) => throw new NotImplementedException();

    /// <summary>Checks the tag and decrypts.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="AuthenticationTagMismatchException">Any byte of the sealed message was changed, or the key is wrong.</exception>
    /// <exception cref="CryptographicException">The input is shorter than a nonce and a tag.</exception>
    public static byte[] Open(byte[] key, byte[] sealedMessage) => throw new NotImplementedException();
}
