using System.Security.Cryptography;

namespace Koans.Crypto.Hkdf;

/// <summary>Reference solution for crypto.hkdf: HKDF built from HMAC-SHA256, as RFC 5869 section 2 writes it.</summary>
public static class Hkdf
{
    public const int HashLength = 32;

    public const int MaxOutputLength = 255 * HashLength;

    // An empty salt is an HMAC key of length zero, which HMAC zero-pads to the block: exactly the
    // "HashLen zeros" RFC 5869 section 2.2 asks for.
    public static byte[] Extract(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> inputKeyMaterial) =>
        HMACSHA256.HashData(salt, inputKeyMaterial);

    public static byte[] Expand(ReadOnlySpan<byte> pseudoRandomKey, ReadOnlySpan<byte> info, int outputLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(outputLength, MaxOutputLength);
        if (pseudoRandomKey.Length < HashLength)
        {
            throw new ArgumentException($"The PRK must be at least {HashLength} bytes (RFC 5869 section 2.3).",
                nameof(pseudoRandomKey));
        }

        var output = new byte[outputLength];
        // message = T(i-1) || info || i; T(0) is empty.
        var message = new byte[HashLength + info.Length + 1];
        Span<byte> block = stackalloc byte[HashLength];
        var previousLength = 0;
        var written = 0;
        for (var counter = 1; written < outputLength; counter++)
        {
            block[..previousLength].CopyTo(message);
            info.CopyTo(message.AsSpan(previousLength));
            message[previousLength + info.Length] = (byte)counter;
            HMACSHA256.HashData(pseudoRandomKey, message.AsSpan(0, previousLength + info.Length + 1), block);

            var take = Math.Min(HashLength, outputLength - written);
            block[..take].CopyTo(output.AsSpan(written));
            written += take;
            previousLength = HashLength;
        }

        CryptographicOperations.ZeroMemory(block);
        CryptographicOperations.ZeroMemory(message);
        return output;
    }

    public static byte[] DeriveKey(ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info,
        int outputLength)
    {
        // Expand checks the length; the PRK it would be wasted on is zeroed either way.
        var prk = Extract(salt, inputKeyMaterial);
        try
        {
            return Expand(prk, info, outputLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prk);
        }
    }
}
