namespace Koans.Crypto.Ed25519;

/// <summary>
/// Kata crypto.ed25519: sign and verify with Ed25519 (RFC 8032), and move keys in and out as raw bytes
/// and as PKIX/PKCS#8 PEM (RFC 8410).
/// </summary>
/// <remarks>
/// <para>An Ed25519 private key is a 32-byte seed; the public key (32 bytes) and every signature (64 bytes) follow from
/// it deterministically: signing the same message twice gives the same signature, and no per-signature randomness
/// can be botched (the flaw that leaked the PlayStation 3's ECDSA key).</para>
/// <list type="bullet">
/// <item><description>Use the vetted Ed25519 implementation the project references (libsodium underneath), never a
/// hand-rolled curve. Private keys there are not exportable unless you say so when you import them, on purpose, and
/// they live in guarded memory until disposed.</description></item>
/// <item><description>PEM: "-----BEGIN PUBLIC KEY-----" (SubjectPublicKeyInfo) and "-----BEGIN PRIVATE KEY-----"
/// (PKCS#8), both ASCII bytes, as RFC 8410 defines them for Ed25519; the tests use RFC 8410's and RFC 8032's
/// examples.</description></item>
/// <item><description>Verification answers yes or no: a wrong, tampered or wrong-length signature gives
/// <c>false</c>, never an exception. Malformed <em>keys</em> are a different matter: they are configuration errors and
/// throw.</description></item>
/// </list>
/// </remarks>
public static class Ed25519Signer
{
    /// <summary>A new 32-byte private key (seed) from a cryptographically secure generator.</summary>
    public static byte[] GeneratePrivateKey() => throw new NotImplementedException();

    /// <summary>The 32-byte public key of a 32-byte private key (seed).</summary>
    /// <exception cref="ArgumentException"><paramref name="privateKey"/> is not 32 bytes.</exception>
    public static byte[] PublicKeyFromPrivate(ReadOnlySpan<byte> privateKey) => throw new NotImplementedException();

    /// <summary>The 64-byte Ed25519 signature of <paramref name="message"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="privateKey"/> is not 32 bytes.</exception>
    public static byte[] Sign(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> message) => throw new NotImplementedException();

    /// <summary>True when <paramref name="signature"/> is a valid signature of <paramref name="message"/> by
    /// <paramref name="publicKey"/>; false for any other signature, including one of the wrong length.</summary>
    /// <exception cref="ArgumentException"><paramref name="publicKey"/> is not a valid 32-byte Ed25519 public key.</exception>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        throw new NotImplementedException();

    /// <summary>The public key as PEM SubjectPublicKeyInfo ("-----BEGIN PUBLIC KEY-----", RFC 8410 section 4).</summary>
    public static string ExportPublicKeyPem(ReadOnlySpan<byte> publicKey) => throw new NotImplementedException();

    /// <summary>The raw 32-byte public key from PEM SubjectPublicKeyInfo.</summary>
    /// <exception cref="FormatException"><paramref name="pem"/> is not an Ed25519 public key in PEM.</exception>
    public static byte[] ImportPublicKeyPem(string pem) => throw new NotImplementedException();

    /// <summary>The private key as PEM PKCS#8 ("-----BEGIN PRIVATE KEY-----", RFC 8410 section 7).</summary>
    public static string ExportPrivateKeyPem(ReadOnlySpan<byte> privateKey) => throw new NotImplementedException();

    /// <summary>The raw 32-byte private key (seed) from PEM PKCS#8.</summary>
    /// <exception cref="FormatException"><paramref name="pem"/> is not an unencrypted Ed25519 private key in PEM.</exception>
    public static byte[] ImportPrivateKeyPem(string pem) => throw new NotImplementedException();
}
