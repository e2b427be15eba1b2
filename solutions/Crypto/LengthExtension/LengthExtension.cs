using System.Buffers.Binary;

namespace Koans.Crypto.LengthExtension;

/// <summary>A forged message and the tag that goes with it.</summary>
public sealed record ForgedMessage(byte[] Message, byte[] Tag);

/// <summary>Reference solution for crypto.length-extension, part 1.</summary>
public static class Sha256Padding
{
    private const long MaxMessageLength = (1L << 61) - 1; // the length in bits must fit in 64 bits

    public static byte[] For(long messageLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(messageLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(messageLength, MaxMessageLength);

        // FIPS 180-4 5.1.1: a 1 bit, then k zero bits with (l + 1 + k) = 448 mod 512, then l as a 64-bit big-endian
        // integer. In bytes: 0x80, then z zero bytes with (L + 1 + z) = 56 mod 64, then 8 bytes of length in BITS.
        var zeroBytes = (int)((55 - messageLength % 64 + 64) % 64);
        var padding = new byte[1 + zeroBytes + 8];
        padding[0] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(padding.AsSpan(^8), (ulong)messageLength * 8);
        return padding;
    }
}

/// <summary>Reference solution for crypto.length-extension, part 2.</summary>
public static class LengthExtensionAttack
{
    private const int DigestSize = 32;

    public static ForgedMessage Forge(byte[] originalMessage, byte[] originalTag, int secretLength, byte[] extension)
    {
        if (originalTag.Length != DigestSize)
        {
            throw new ArgumentException("A SHA-256 tag is 32 bytes.", nameof(originalTag));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(secretLength);

        // What the server hashed: secret || message || glue, where glue is the padding SHA-256 appended. The forged
        // message repeats that glue, so the server's hash passes through exactly the state the tag reveals.
        long signedLength = (long)secretLength + originalMessage.Length;
        var glue = Sha256Padding.For(signedLength);
        byte[] forgedMessage = [.. originalMessage, .. glue, .. extension];

        // The digest IS the chaining value H0..H7 (big-endian words) after signedLength + glue bytes.
        Span<uint> state = stackalloc uint[8];
        for (var i = 0; i < state.Length; i++)
        {
            state[i] = BinaryPrimitives.ReadUInt32BigEndian(originalTag.AsSpan(i * 4));
        }

        // Carry on hashing: the extension, then the padding for the TOTAL length the server will hash
        // (secret || forged message), not for the extension alone.
        var alreadyHashed = signedLength + glue.Length;
        byte[] tail = [.. extension, .. Sha256Padding.For(alreadyHashed + extension.Length)];
        for (var offset = 0; offset < tail.Length; offset += Sha256Compression.BlockSize)
        {
            Sha256Compression.Compress(state, tail.AsSpan(offset, Sha256Compression.BlockSize));
        }

        var tag = new byte[DigestSize];
        for (var i = 0; i < state.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(i * 4), state[i]);
        }

        return new ForgedMessage(forgedMessage, tag);
    }
}
