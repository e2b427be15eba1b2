using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace Koans.Ethereum.Eip55;

/// <summary>Reference solution for ethereum.eip55.</summary>
public static class ChecksumAddress
{
    private const int AddressLength = 20;

    public static string Encode(ReadOnlySpan<byte> address)
    {
        if (address.Length != AddressLength)
        {
            throw new ArgumentException($"An address is {AddressLength} bytes, not {address.Length}.", nameof(address));
        }

        var hex = Convert.ToHexStringLower(address);
        // EIP-55 hashes the lowercase hex *text*, not the raw bytes.
        var hash = Keccak256(Encoding.ASCII.GetBytes(hex));
        var result = new char[hex.Length];
        for (var i = 0; i < hex.Length; i++)
        {
            var nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xF;
            result[i] = nibble >= 8 ? char.ToUpperInvariant(hex[i]) : hex[i];
        }

        return "0x" + new string(result);
    }

    public static bool HasValidChecksum(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return IsWellFormed(address)
            && string.Equals(Encode(Convert.FromHexString(address.AsSpan(2))), address, StringComparison.Ordinal);
    }

    public static byte[] Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!IsWellFormed(address))
        {
            throw new FormatException($"'{address}' is not 0x followed by 40 hex digits.");
        }

        var digits = address[2..];
        var singleCase = digits == digits.ToLowerInvariant() || digits == digits.ToUpperInvariant();
        if (!singleCase && !HasValidChecksum(address))
        {
            throw new FormatException($"'{address}' has mixed case but an invalid EIP-55 checksum (a typo?).");
        }

        return Convert.FromHexString(digits);
    }

    private static bool IsWellFormed(string address) =>
        address.Length == 2 + 2 * AddressLength
        && address.StartsWith("0x", StringComparison.Ordinal)
        && address.AsSpan(2).ContainsAnyExcept(HexDigits) is false;

    private static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static byte[] Keccak256(byte[] data)
    {
        var keccak = new KeccakDigest(256);
        keccak.BlockUpdate(data, 0, data.Length);
        var digest = new byte[32];
        keccak.DoFinal(digest, 0);
        return digest;
    }
}
