using System.Security.Cryptography;

namespace Koans.Crypto.RsaEcdsa;

/// <summary>
/// Kata crypto.rsa-ecdsa: RSA-PSS signatures, RSA-OAEP encryption and ECDSA P-256 signatures in both wire formats,
/// all with <c>System.Security.Cryptography</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>RSA signatures use PSS padding with SHA-256, MGF1 with SHA-256,
/// and a salt as long as the hash: 32 bytes (RFC 8017 section 9.1's usual choice, and what a verifier on the other side
/// must expect: a signature with another salt length does not verify). PSS is randomised:
/// signing the same message twice gives two different, equally valid signatures. PKCS#1 v1.5 signatures are a
/// different scheme: a v1.5 signature must <em>not</em> verify as PSS.</description></item>
/// <item><description>RSA encryption uses OAEP with SHA-256, never PKCS#1 v1.5
/// encryption padding (Bleichenbacher's attack, 1998, and its returns: ROBOT, 2017). A ciphertext that does not decrypt
/// throws <see cref="CryptographicException"/>; do not catch it and return something "helpful" — telling an attacker
/// <em>why</em> decryption failed is exactly what a padding oracle is.</description></item>
/// <item><description>ECDSA over P-256 with SHA-256 has two signature encodings (<see cref="DSASignatureFormat"/>):
/// <c>IeeeP1363FixedFieldConcatenation</c>, r||s as two 32-byte big-endian numbers (JWS ES256, WebAuthn's COSE, PKCS#11),
/// and <c>Rfc3279DerSequence</c>, <c>SEQUENCE { INTEGER r, INTEGER s }</c> in DER (X.509, TLS, OpenSSL). .NET's default
/// is P1363. Passing the wrong format is the most common ECDSA interop bug.</description></item>
/// <item><description>Converting between the two is an exercise in the <em>format</em>, not the primitive: write it with
/// the base library's ASN.1 DER reader and writer, not by counting bytes by hand. Remember that a DER INTEGER is signed two's
/// complement and minimal (X.690 section 8.3): a number whose top bit is set gets a leading 0x00, and leading zero bytes are dropped.</description></item>
/// <item><description>Verification methods return <c>false</c> for any signature that does not verify (tampered message,
/// wrong key, wrong padding, wrong format); they never throw for a bad signature. A DER signature is strict DER, as
/// <see cref="DerToP1363"/> reads it: an r or s written as a negative or non-minimal INTEGER is not a signature, even
/// where a lenient parser would read the same number out of it (one signature, many encodings, is malleability).</description></item>
/// <item><description>Every method refuses a null key with <see cref="ArgumentNullException"/> naming the
/// parameter.</description></item>
/// </list>
/// </remarks>
public static class PublicKeySignatures
{
    /// <summary>Signs <paramref name="message"/> with RSASSA-PSS and SHA-256.</summary>
    public static byte[] SignPss(RSA privateKey, ReadOnlySpan<byte> message) => throw new NotImplementedException();

    /// <summary>True if <paramref name="signature"/> is an RSASSA-PSS (SHA-256) signature of <paramref name="message"/>
    /// under <paramref name="publicKey"/>; false otherwise, including for a PKCS#1 v1.5 signature.</summary>
    public static bool VerifyPss(RSA publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        throw new NotImplementedException();

    /// <summary>Encrypts <paramref name="plaintext"/> with RSAES-OAEP, SHA-256 (and MGF1-SHA-256).</summary>
    public static byte[] EncryptOaep(RSA publicKey, ReadOnlySpan<byte> plaintext) => throw new NotImplementedException();

    /// <summary>Decrypts an RSAES-OAEP (SHA-256) ciphertext.</summary>
    /// <exception cref="CryptographicException">The ciphertext was tampered with or made for another key.</exception>
    public static byte[] DecryptOaep(RSA privateKey, ReadOnlySpan<byte> ciphertext) => throw new NotImplementedException();

    /// <summary>Signs <paramref name="message"/> with ECDSA and SHA-256, in the given <paramref name="format"/>.</summary>
    public static byte[] SignEcdsa(ECDsa privateKey, ReadOnlySpan<byte> message, DSASignatureFormat format) =>
        throw new NotImplementedException();

    /// <summary>True if <paramref name="signature"/>, read in <paramref name="format"/>, is an ECDSA/SHA-256 signature
    /// of <paramref name="message"/> under <paramref name="publicKey"/>; false otherwise.</summary>
    public static bool VerifyEcdsa(ECDsa publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature,
        DSASignatureFormat format) => throw new NotImplementedException();

    /// <summary>
    /// Converts an IEEE P1363 signature (r||s, two equal halves) to DER <c>SEQUENCE { INTEGER r, INTEGER s }</c>
    /// (RFC 3279 section 2.2.3).
    /// </summary>
    /// <exception cref="ArgumentException">The input is empty or its length is odd.</exception>
    public static byte[] P1363ToDer(ReadOnlySpan<byte> p1363) => throw new NotImplementedException();

    /// <summary>
    /// Converts a DER ECDSA signature to IEEE P1363: r and s, each left-padded with zeros to
    /// <paramref name="fieldSizeBytes"/> (32 for P-256), concatenated. Uses <c>AsnReader</c> in DER mode.
    /// </summary>
    /// <exception cref="FormatException">Not a DER SEQUENCE of two INTEGERs (truncated, trailing bytes, not minimal),
    /// a negative or zero number, or a number longer than <paramref name="fieldSizeBytes"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fieldSizeBytes"/> is zero or negative.</exception>
    public static byte[] DerToP1363(ReadOnlySpan<byte> der, int fieldSizeBytes = 32) => throw new NotImplementedException();
}
