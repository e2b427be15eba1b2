using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using NSecHash = NSec.Cryptography.HashAlgorithm;

namespace Koans.Crypto.Hashing;

/// <summary>Reference solution for crypto.hashing.</summary>
public static class Digests
{
    public static byte[] Sha256(ReadOnlySpan<byte> data) => SHA256.HashData(data);

    // Where the platform has no SHA3 (OpenSSL before 1.1.1, Windows before build 25324), HashData itself throws
    // PlatformNotSupportedException, which is what the stub documents: no guard of our own is needed.
    public static byte[] Sha3_256(ReadOnlySpan<byte> data) => SHA3_256.HashData(data);

    public static byte[] Keccak256(ReadOnlySpan<byte> data)
    {
        var keccak = new KeccakDigest(256);
        keccak.BlockUpdate(data);
        var digest = new byte[keccak.GetDigestSize()];
        keccak.DoFinal(digest);
        return digest;
    }

    public static byte[] Blake2b256(ReadOnlySpan<byte> data) => NSecHash.Blake2b_256.Hash(data);

    public static byte[] Blake2b512(ReadOnlySpan<byte> data) => NSecHash.Blake2b_512.Hash(data);

    // HashDataAsync reads the stream in pooled chunks and checks its arguments (null is an ArgumentNullException).
    public static Task<byte[]> Sha256Async(Stream stream, CancellationToken cancellationToken = default) =>
        SHA256.HashDataAsync(stream, cancellationToken).AsTask();
}
