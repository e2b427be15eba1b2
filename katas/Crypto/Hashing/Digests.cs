namespace Koans.Crypto.Hashing;

/// <summary>
/// Kata crypto.hashing: compute message digests with vetted libraries, never by hand.
/// </summary>
/// <remarks>
/// <para>A hash maps any input to a fixed-size digest. Each method below returns the raw digest bytes.</para>
/// <list type="bullet">
/// <item><description>SHA-256 (FIPS 180-4) and SHA3-256 (FIPS 202).</description></item>
/// <item><description>BLAKE2b (RFC 7693), with 256- and 512-bit outputs.</description></item>
/// <item><description>Keccak-256: Ethereum's hash. It is the Keccak submission <em>before</em> NIST changed the padding
/// to make SHA-3, so its digests differ from SHA3-256.</description></item>
/// <item><description>Every one of these exists in the base library or in the cryptography packages the project
/// references: find it, do not write it.</description></item>
/// <item><description>Large inputs arrive as streams: hash them without reading the whole stream into memory.</description></item>
/// </list>
/// </remarks>
public static class Digests
{
    /// <summary>SHA-256 (FIPS 180-4) of <paramref name="data"/>: 32 bytes.</summary>
    public static byte[] Sha256(ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <summary>SHA3-256 (FIPS 202) of <paramref name="data"/>: 32 bytes.</summary>
    public static byte[] Sha3_256(ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <summary>Keccak-256 (Ethereum's hash, the original Keccak padding) of <paramref name="data"/>: 32 bytes.</summary>
    public static byte[] Keccak256(ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <summary>BLAKE2b (RFC 7693), unkeyed, with a 32-byte digest.</summary>
    public static byte[] Blake2b256(ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <summary>BLAKE2b (RFC 7693), unkeyed, with a 64-byte digest.</summary>
    public static byte[] Blake2b512(ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <summary>
    /// SHA-256 of everything left in <paramref name="stream"/>, read in chunks (the stream may be larger than memory).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public static Task<byte[]> Sha256Async(Stream stream, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
