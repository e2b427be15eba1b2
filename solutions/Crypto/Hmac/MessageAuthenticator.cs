using System.Security.Cryptography;

namespace Koans.Crypto.Hmac;

/// <summary>Reference solution for crypto.hmac.</summary>
public static class MessageAuthenticator
{
    public const int MinimumTagLength = 16;

    public const int FullTagLength = 32;

    public static byte[] ComputeTag(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message) => HMACSHA256.HashData(key, message);

    public static byte[] ComputeTruncatedTag(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, int tagLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tagLength, MinimumTagLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tagLength, FullTagLength);
        return HMACSHA256.HashData(key, message).AsSpan(0, tagLength).ToArray();
    }

    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> tag)
    {
        // The length is public (it is on the wire), so checking it first leaks nothing.
        if (tag.Length < MinimumTagLength || tag.Length > FullTagLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[FullTagLength];
        HMACSHA256.HashData(key, message, expected);
        // Constant time in the contents: the running time does not depend on where the first difference is.
        return CryptographicOperations.FixedTimeEquals(expected[..tag.Length], tag);
    }
}
