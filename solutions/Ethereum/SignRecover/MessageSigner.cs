using System.Globalization;
using System.Text;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Koans.Ethereum.SignRecover;

/// <summary>Reference solution for ethereum.sign-recover.</summary>
public static class MessageSigner
{
    private static readonly X9ECParameters Curve = SecNamedCurves.GetByName("secp256k1");
    private static readonly ECDomainParameters Domain = new(Curve);
    private static readonly BigInteger HalfN = Curve.N.ShiftRight(1);

    // "\u0019", not "\x19": C#'s \x escape takes up to four hex digits, so "\x19Ethereum" would start with U+019E.
    private const string PersonalMessagePrefix = "\u0019Ethereum Signed Message:\n";

    public static byte[] HashPersonalMessage(ReadOnlySpan<byte> message)
    {
        var prefix = Encoding.ASCII.GetBytes(PersonalMessagePrefix + message.Length.ToString(CultureInfo.InvariantCulture));
        return Keccak256([.. prefix, .. message]);
    }

    public static byte[] SignHash(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> privateKey)
    {
        RequireLength(hash, 32, nameof(hash));
        RequireLength(privateKey, 32, nameof(privateKey));
        var d = new BigInteger(1, privateKey.ToArray());
        if (d.SignValue == 0 || d.CompareTo(Curve.N) >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(privateKey), "A private key must be in [1, n - 1].");
        }

        // RFC 6979: k = HMAC-DRBG(key, hash). No randomness to get wrong (see NOTES: the PS3 and Android incidents).
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, new ECPrivateKeyParameters(d, Domain));
        var rs = signer.GenerateSignature(hash.ToArray());
        var r = rs[0];
        var s = rs[1].CompareTo(HalfN) > 0 ? Curve.N.Subtract(rs[1]) : rs[1]; // EIP-2 low s

        // The recovery id is the parity of R's y: if 0 does not give back our key, 1 does (R's x is r itself unless
        // r >= p - n, a chance of about 2^-128 that a signer does not need to handle).
        var publicKey = Curve.G.Multiply(d).Normalize();
        var recoveryId = Recover(hash, r, s, 0) is { } q && q.Equals(publicKey) ? 0 : 1;
        return [.. To32(r), .. To32(s), (byte)(27 + recoveryId)];
    }

    public static string SignPersonalMessage(string message, string privateKeyHex)
    {
        ArgumentNullException.ThrowIfNull(message);
        var key = FromHex(privateKeyHex, nameof(privateKeyHex));
        return "0x" + Convert.ToHexStringLower(SignHash(HashPersonalMessage(Encoding.UTF8.GetBytes(message)), key));
    }

    public static string RecoverAddress(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature)
    {
        RequireLength(hash, 32, nameof(hash));
        RequireLength(signature, 65, nameof(signature));
        var v = signature[64];
        if (v is not (27 or 28))
        {
            throw new ArgumentException($"v must be 27 or 28, not {v}.", nameof(signature));
        }

        var r = new BigInteger(1, signature[..32].ToArray());
        var s = new BigInteger(1, signature[32..64].ToArray());
        // s >= n is caught by the EIP-2 check below, which is stricter.
        if (r.SignValue == 0 || r.CompareTo(Curve.N) >= 0 || s.SignValue == 0)
        {
            throw new ArgumentException("r and s must be in [1, n - 1].", nameof(signature));
        }

        if (s.CompareTo(HalfN) > 0)
        {
            throw new ArgumentException("s is in the upper half of the curve order (EIP-2 forbids malleable signatures).",
                nameof(signature));
        }

        var q = Recover(hash, r, s, v - 27)
            ?? throw new ArgumentException("No curve point has x = r, or the key would be the point at infinity: not a signature.", nameof(signature));
        var address = Keccak256(q.GetEncoded(compressed: false).AsSpan(1))[12..];
        return ToChecksum(address);
    }

    public static string RecoverPersonalMessageSigner(string message, string signatureHex)
    {
        ArgumentNullException.ThrowIfNull(message);
        var signature = FromHex(signatureHex, nameof(signatureHex));
        return RecoverAddress(HashPersonalMessage(Encoding.UTF8.GetBytes(message)), signature);
    }

    // SEC 1 v2, 4.1.6, for j = 0 (x = r; r + n would exceed the field for all practical purposes).
    private static ECPoint? Recover(ReadOnlySpan<byte> hash, BigInteger r, BigInteger s, int recoveryId)
    {
        ECPoint bigR;
        try
        {
            bigR = Curve.Curve.DecodePoint([(byte)(0x02 + recoveryId), .. To32(r)]);
        }
        catch (ArgumentException)
        {
            return null;
        }

        var e = new BigInteger(1, hash.ToArray());
        var rInverse = r.ModInverse(Curve.N);
        var u1 = e.Negate().Multiply(rInverse).Mod(Curve.N);
        var u2 = s.Multiply(rInverse).Mod(Curve.N);
        var q = ECAlgorithms.SumOfTwoMultiplies(Curve.G, u1, bigR, u2).Normalize();
        return q.IsInfinity ? null : q;
    }

    private static byte[] To32(BigInteger value) => value.ToByteArrayUnsigned() is var b && b.Length == 32
        ? b
        : [.. new byte[32 - b.Length], .. b];

    private static void RequireLength(ReadOnlySpan<byte> value, int length, string name)
    {
        if (value.Length != length)
        {
            throw new ArgumentException($"Expected {length} bytes, got {value.Length}.", name);
        }
    }

    private static byte[] FromHex(string hex, string name)
    {
        ArgumentNullException.ThrowIfNull(hex, name);
        if (!hex.StartsWith("0x", StringComparison.Ordinal))
        {
            throw new FormatException($"{name} must start with 0x.");
        }

        return Convert.FromHexString(hex.AsSpan(2));
    }

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
