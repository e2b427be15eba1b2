using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace Koans.Crypto.LengthExtension;

/// <summary>A server's message authentication: it signs messages it issues and verifies messages it receives, under a
/// secret the caller never sees.</summary>
public interface IMessageMac
{
    byte[] Sign(byte[] message);

    bool Verify(byte[] message, byte[] tag);
}

/// <summary>The vulnerable MAC: <c>SHA256(secret || message)</c>. It looks reasonable (nobody can compute the hash
/// without the secret), and it is the construction Flickr's API signatures used, with MD5, until 2009.</summary>
public sealed class SecretPrefixMac(byte[] secret) : IMessageMac
{
    private readonly byte[] _secret = secret.ToArray();

    public byte[] Sign(byte[] message) => SHA256.HashData([.. _secret, .. message]);

    public bool Verify(byte[] message, byte[] tag) => CryptographicOperations.FixedTimeEquals(Sign(message), tag);
}

/// <summary>The fix: HMAC-SHA256 (RFC 2104). The outer hash over the inner hash hides the inner state, so it cannot
/// be continued.</summary>
public sealed class HmacSha256Mac(byte[] secret) : IMessageMac
{
    private readonly byte[] _secret = secret.ToArray();

    public byte[] Sign(byte[] message) => HMACSHA256.HashData(_secret, message);

    public bool Verify(byte[] message, byte[] tag) => CryptographicOperations.FixedTimeEquals(Sign(message), tag);
}

/// <summary>
/// The SHA-256 compression function (FIPS 180-4 section 6.2.2, steps 1 to 4) for one 64-byte block. No library
/// exposes it: a library's SHA-256 always starts from the initial hash value and always pads. The attack needs
/// neither, so the kata gives it to you. It is a tool for the attack, not for production hashing.
/// </summary>
public static class Sha256Compression
{
    /// <summary>The size of a SHA-256 message block in bytes (512 bits).</summary>
    public const int BlockSize = 64;

    // FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static readonly uint[] K =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    /// <summary>Updates the eight-word hash state <paramref name="state"/> (H0..H7) with one 64-byte block.</summary>
    /// <exception cref="ArgumentException">The state is not 8 words or the block is not 64 bytes.</exception>
    public static void Compress(Span<uint> state, ReadOnlySpan<byte> block)
    {
        if (state.Length != 8 || block.Length != BlockSize)
        {
            throw new ArgumentException("SHA-256 compresses one 64-byte block into an 8-word state.");
        }

        Span<uint> w = stackalloc uint[64];
        for (var t = 0; t < 16; t++)
        {
            w[t] = BinaryPrimitives.ReadUInt32BigEndian(block[(t * 4)..]);
        }

        for (var t = 16; t < 64; t++)
        {
            var s0 = BitOperations.RotateRight(w[t - 15], 7) ^ BitOperations.RotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3);
            var s1 = BitOperations.RotateRight(w[t - 2], 17) ^ BitOperations.RotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = s1 + w[t - 7] + s0 + w[t - 16];
        }

        uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        for (var t = 0; t < 64; t++)
        {
            var bigSigma1 = BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
            var choose = (e & f) ^ (~e & g);
            var t1 = h + bigSigma1 + choose + K[t] + w[t];
            var bigSigma0 = BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
            var majority = (a & b) ^ (a & c) ^ (b & c);
            var t2 = bigSigma0 + majority;
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }

        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }
}
