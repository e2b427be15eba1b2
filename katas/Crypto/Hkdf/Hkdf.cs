namespace Koans.Crypto.Hkdf;

/// <summary>
/// Kata crypto.hkdf: HKDF-SHA256 (RFC 5869), built from HMAC-SHA256 so you see both halves.
/// </summary>
/// <remarks>
/// <para>HKDF turns input keying material (a Diffie-Hellman shared secret, a master key) into as many independent
/// keys as you need. It has two steps:</para>
/// <list type="number">
/// <item><description><b>Extract</b>: <c>PRK = HMAC-SHA256(key: salt, message: IKM)</c>. An empty salt means a salt of
/// 32 zero bytes (RFC 5869 section 2.2), which HMAC gives you for free because it zero-pads short keys.</description></item>
/// <item><description><b>Expand</b>: <c>T(1) = HMAC(PRK, info || 0x01)</c>, <c>T(i) = HMAC(PRK, T(i-1) || info || i)</c>,
/// output = the first L bytes of T(1) || T(2) || ... (RFC 5869 section 2.3). The counter is one byte, so
/// L is at most 255 * 32 = 8160 bytes.</description></item>
/// </list>
/// <para>Build both steps yourself from HMAC-SHA256 (the construction is the lesson). In production code the base
/// library's one-call HKDF does the same; the tests use it as a cross-check, next to RFC 5869 appendix A's vectors.</para>
/// <para><c>info</c> is the context: derive the encryption key and the MAC key from the same secret with different
/// <c>info</c> strings and they are independent.</para>
/// </remarks>
public static class Hkdf
{
    /// <summary>SHA-256's output length, 32 bytes: the size of the PRK and of each T(i) block.</summary>
    public const int HashLength = 32;

    /// <summary>The longest output HKDF-SHA256 can give: 255 blocks of 32 bytes.</summary>
    public const int MaxOutputLength = 255 * HashLength;

    /// <summary>HKDF-Extract: the 32-byte pseudorandom key <c>HMAC-SHA256(salt, inputKeyMaterial)</c>.</summary>
    public static byte[] Extract(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> inputKeyMaterial) =>
        throw new NotImplementedException();

    /// <summary>HKDF-Expand: <paramref name="outputLength"/> bytes of output keying material from a PRK.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputLength"/> is below 1 or above
    /// <see cref="MaxOutputLength"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pseudoRandomKey"/> is shorter than <see cref="HashLength"/>
    /// (RFC 5869 section 2.3: "a pseudorandom key of at least HashLen octets").</exception>
    public static byte[] Expand(ReadOnlySpan<byte> pseudoRandomKey, ReadOnlySpan<byte> info, int outputLength) =>
        throw new NotImplementedException();

    /// <summary>Extract then Expand, in one call.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputLength"/> is below 1 or above
    /// <see cref="MaxOutputLength"/>.</exception>
    public static byte[] DeriveKey(ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info,
        int outputLength) => throw new NotImplementedException();
}
