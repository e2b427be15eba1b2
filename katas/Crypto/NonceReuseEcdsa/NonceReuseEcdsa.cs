using Org.BouncyCastle.Math;

namespace Koans.Crypto.NonceReuseEcdsa;

/// <summary>
/// Kata crypto.nonce-reuse-ecdsa, part 1: recover an ECDSA private key from two signatures that share a nonce.
/// </summary>
/// <remarks>
/// <para>ECDSA (SEC 1 v2, section 4.1.3) signs the hash e of a message with a fresh secret k per signature:
/// <c>r = x(kG) mod n</c> and <c>s = k^-1 (e + r d) mod n</c>, where d is the private key and n the order of the curve's
/// base point (<see cref="P256.Domain"/>). k must be secret, uniform and never repeated. Two signatures made with the
/// same k share the same r, and the two equations for s then have only two unknowns, k and d. Solve them.</para>
/// <para>Here e is the SHA-256 digest of the message read as a big-endian unsigned integer (for P-256 the digest
/// length equals the order's bit length, so no truncation applies).</para>
/// </remarks>
public static class NonceReuseAttack
{
    /// <summary>Returns the private key d in [1, n - 1] that produced both signatures (P-256, SHA-256).</summary>
    /// <exception cref="ArgumentException">The signatures do not share a nonce (their r differ), or they cannot be
    /// solved for the key (their s are equal, as for one message signed twice).</exception>
    public static BigInteger RecoverPrivateKey(byte[] message1, EcdsaSignature signature1, byte[] message2,
        EcdsaSignature signature2) =>
        throw new NotImplementedException();
}

/// <summary>
/// Kata crypto.nonce-reuse-ecdsa, part 2: the fix. Deterministic ECDSA (RFC 6979) derives k from the private key and
/// the message hash with HMAC-DRBG, so k never depends on a random number generator that may be broken, and two
/// different messages never share a k. Use a vetted implementation of RFC 6979: do not derive k yourself.
/// </summary>
public static class DeterministicEcdsa
{
    /// <summary>Signs SHA-256(<paramref name="message"/>) with P-256 ECDSA and an RFC 6979 nonce (section 3.2, HMAC-SHA-256).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="privateKey"/> is not in [1, n - 1].</exception>
    public static EcdsaSignature Sign(BigInteger privateKey, byte[] message) => throw new NotImplementedException();
}
