using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using NSecHash = NSec.Cryptography.HashAlgorithm;

namespace Koans.Crypto.Hashing;

/// <summary>Reference solution for crypto.hashing.</summary>
public static class Digests
{
    public static byte[] Sha256(ReadOnlySpan<byte> data) => SHA256.HashData(data);

    public static byte[] Sha3_256(ReadOnlySpan<byte> data)
    {
        if (!SHA3_256.IsSupported)
        {
            throw new PlatformNotSupportedException("SHA3-256 needs OpenSSL 1.1.1 or later (Linux) or Windows 11 build 25324 or later.");
        }

        return SHA3_256.HashData(data);
    }

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

    public static async Task<byte[]> Sha256Async(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
    }
}
