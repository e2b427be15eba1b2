using System.Text;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Math;

namespace Koans.Ethereum.KeysToAddress;

/// <summary>Reference solution for ethereum.keys-to-address.</summary>
public static class EthKeys
{
    private static readonly X9ECParameters Secp256k1 = SecNamedCurves.GetByName("secp256k1");

    public static byte[] PublicKeyFromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32)
        {
            throw new ArgumentException($"A private key is 32 bytes, not {privateKey.Length}.", nameof(privateKey));
        }

        var d = new BigInteger(1, privateKey.ToArray());
        if (d.SignValue == 0 || d.CompareTo(Secp256k1.N) >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(privateKey), "A private key must be in [1, n - 1].");
        }

        return Secp256k1.G.Multiply(d).Normalize().GetEncoded(compressed: false);
    }

    public static byte[] AddressFromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        var xy = publicKey.Length switch
        {
            65 when publicKey[0] == 0x04 => publicKey[1..],
            64 => publicKey,
            _ => throw new ArgumentException(
                "Expected an uncompressed public key: 65 bytes starting 0x04, or the 64 bytes X || Y.", nameof(publicKey)),
        };

        try
        {
            // DecodePoint validates that (X, Y) satisfies y^2 = x^3 + 7 over the field.
            Secp256k1.Curve.DecodePoint([0x04, .. xy]);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException("The public key is not a point on secp256k1.", nameof(publicKey), e);
        }

        return Keccak256(xy)[12..];
    }

    public static string AddressFromPrivateKey(string privateKeyHex)
    {
        ArgumentNullException.ThrowIfNull(privateKeyHex);
        if (privateKeyHex.Length != 66 || !privateKeyHex.StartsWith("0x", StringComparison.Ordinal))
        {
            throw new FormatException("A private key is 0x followed by 64 hex digits.");
        }

        // A character that is not a hex digit is a FormatException from the parser itself.
        var address = AddressFromPublicKey(PublicKeyFromPrivateKey(Convert.FromHexString(privateKeyHex.AsSpan(2))));
        return ToChecksum(address);
    }

    // EIP-55: uppercase a hex letter when the matching nibble of keccak256(lowercase hex text) is >= 8.
    private static string ToChecksum(byte[] address)
    {
        var hex = Convert.ToHexStringLower(address);
        var hash = Keccak256(Encoding.ASCII.GetBytes(hex));
        var chars = hex.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (((hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xF) >= 8)
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }
        }

        return "0x" + new string(chars);
    }

    private static byte[] Keccak256(ReadOnlySpan<byte> data)
    {
        var keccak = new KeccakDigest(256);
        keccak.BlockUpdate(data);
        var digest = new byte[32];
        keccak.DoFinal(digest);
        return digest;
    }
}
