using System.Text;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math.EC;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using BigInteger = System.Numerics.BigInteger;

namespace Koans.Ethereum.LegacyTx;

/// <summary>Reference solution for ethereum.legacy-tx.</summary>
public static class LegacyTxSigner
{
    private static readonly X9ECParameters Curve = SecNamedCurves.GetByName("secp256k1");
    private static readonly BcBigInteger HalfN = Curve.N.ShiftRight(1);

    public static byte[] SigningData(LegacyTransaction transaction, ulong chainId)
    {
        ArgumentOutOfRangeException.ThrowIfZero(chainId);
        // EIP-155: the six fields, then chainId, 0, 0 (zero is the empty string).
        return Rlp.EncodeList([.. Fields(transaction), Rlp.Integer(chainId), [], []]);
    }

    public static byte[] SigningHash(LegacyTransaction transaction, ulong chainId) =>
        Keccak256(SigningData(transaction, chainId));

    public static byte[] Sign(LegacyTransaction transaction, ulong chainId, ReadOnlySpan<byte> privateKey)
    {
        var hash = SigningHash(transaction, chainId);
        var (r, s, recoveryId) = SignHash(hash, privateKey);
        var v = new BigInteger(chainId) * 2 + 35 + recoveryId;
        return Rlp.EncodeList([.. Fields(transaction), Rlp.Integer(v), Rlp.Integer(r), Rlp.Integer(s)]);
    }

    public static SignedLegacyTransaction Decode(ReadOnlySpan<byte> raw)
    {
        var items = Rlp.DecodeFlatList(raw);
        if (items.Count != 9)
        {
            throw new FormatException($"A legacy transaction has 9 fields, not {items.Count}.");
        }

        var to = items[3] switch
        {
            { Length: 0 } => null,
            { Length: 20 } address => address,
            _ => throw new FormatException("to must be 20 bytes, or empty for a contract creation."),
        };
        var transaction = new LegacyTransaction(
            Rlp.ToInteger(items[0]), Rlp.ToInteger(items[1]), Rlp.ToInteger(items[2]), to, Rlp.ToInteger(items[4]), items[5]);
        return new SignedLegacyTransaction(transaction, Rlp.ToInteger(items[6]), Rlp.ToInteger(items[7]), Rlp.ToInteger(items[8]));
    }

    public static string RecoverSender(ReadOnlySpan<byte> raw, ulong expectedChainId)
    {
        var signed = Decode(raw);
        var recoveryId = signed.V - 35 - new BigInteger(expectedChainId) * 2;
        if (recoveryId != 0 && recoveryId != 1)
        {
            throw new ArgumentException(
                $"v = {signed.V} was not signed for chain {expectedChainId} (27/28: unprotected, pre-EIP-155, valid on every chain).",
                nameof(raw));
        }

        var r = ToBc(signed.R);
        var s = ToBc(signed.S);
        if (r.SignValue == 0 || r.CompareTo(Curve.N) >= 0 || s.SignValue == 0 || s.CompareTo(HalfN) > 0)
        {
            throw new ArgumentException("r or s is out of range (zero, not below n, or a high s).", nameof(raw));
        }

        var hash = SigningHash(signed.Transaction, expectedChainId);
        var publicKey = Recover(hash, r, s, (int)recoveryId)
            ?? throw new ArgumentException("The signature does not recover to a public key.", nameof(raw));
        return ToChecksum(Keccak256(publicKey.GetEncoded(compressed: false).AsSpan(1))[12..]);
    }

    private static byte[][] Fields(LegacyTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.To is { Length: not 20 })
        {
            throw new ArgumentException("To must be null (contract creation) or 20 bytes.", nameof(transaction));
        }

        return
        [
            Rlp.Integer(transaction.Nonce), Rlp.Integer(transaction.GasPrice), Rlp.Integer(transaction.GasLimit),
            transaction.To ?? [], Rlp.Integer(transaction.Value), transaction.Data,
        ];
    }

    // ---- secp256k1 ------------------------------------------------------------------------------------------------

    private static (BigInteger R, BigInteger S, int RecoveryId) SignHash(byte[] hash, ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32)
        {
            throw new ArgumentException("A private key is 32 bytes.", nameof(privateKey));
        }

        var d = new BcBigInteger(1, privateKey.ToArray());
        if (d.SignValue == 0 || d.CompareTo(Curve.N) >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(privateKey), "A private key must be in [1, n - 1].");
        }

        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest())); // RFC 6979
        signer.Init(true, new ECPrivateKeyParameters(d, new ECDomainParameters(Curve)));
        var rs = signer.GenerateSignature(hash);
        var r = rs[0];
        var s = rs[1].CompareTo(HalfN) > 0 ? Curve.N.Subtract(rs[1]) : rs[1]; // EIP-2 low s
        // The recovery id is the parity of R's y: if 0 does not give back our key, 1 does (R's x is r itself unless
        // r >= p - n, a chance of about 2^-128 that a signer does not need to handle).
        var publicKey = Curve.G.Multiply(d).Normalize();
        var recoveryId = Recover(hash, r, s, 0)?.Equals(publicKey) == true ? 0 : 1;
        return (ToSystem(r), ToSystem(s), recoveryId);
    }

    // SEC 1 v2, 4.1.6: Q = r^-1 (s R - e G), R the point with x = r and y parity = recoveryId.
    private static ECPoint? Recover(byte[] hash, BcBigInteger r, BcBigInteger s, int recoveryId)
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

        var rInverse = r.ModInverse(Curve.N);
        var u1 = new BcBigInteger(1, hash).Negate().Multiply(rInverse).Mod(Curve.N);
        var u2 = s.Multiply(rInverse).Mod(Curve.N);
        var q = ECAlgorithms.SumOfTwoMultiplies(Curve.G, u1, bigR, u2).Normalize();
        return q.IsInfinity ? null : q;
    }

    private static byte[] To32(BcBigInteger value)
    {
        var bytes = value.ToByteArrayUnsigned();
        return [.. new byte[32 - bytes.Length], .. bytes];
    }

    private static BcBigInteger ToBc(BigInteger value) =>
        new(1, value.ToByteArray(isUnsigned: true, isBigEndian: true));

    private static BigInteger ToSystem(BcBigInteger value) =>
        new(value.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);

    // ---- Hashing and addresses ------------------------------------------------------------------------------------

    private static byte[] Keccak256(ReadOnlySpan<byte> data)
    {
        var keccak = new KeccakDigest(256);
        keccak.BlockUpdate(data);
        var digest = new byte[32];
        keccak.DoFinal(digest);
        return digest;
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

    // ---- RLP: just what a flat transaction list needs --------------------------------------------------------------

    private static class Rlp
    {
        public static byte[] Integer(BigInteger value)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            return value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
        }

        public static BigInteger ToInteger(byte[] bytes) =>
            bytes is [0, ..]
                ? throw new FormatException("An RLP integer has no leading zero bytes.")
                : new BigInteger(bytes, isUnsigned: true, isBigEndian: true);

        public static byte[] EncodeList(IEnumerable<byte[]> strings)
        {
            var payload = strings.SelectMany(EncodeString).ToArray();
            return [.. Prefix(0xc0, payload.Length), .. payload];
        }

        private static byte[] EncodeString(byte[] bytes) =>
            bytes is [< 0x80] ? bytes : [.. Prefix(0x80, bytes.Length), .. bytes];

        private static byte[] Prefix(byte offset, int length)
        {
            if (length < 56)
            {
                return [(byte)(offset + length)];
            }

            var lengthBytes = new BigInteger(length).ToByteArray(isUnsigned: true, isBigEndian: true);
            return [(byte)(offset + 55 + lengthBytes.Length), .. lengthBytes];
        }

        /// <summary>Decodes a canonical RLP list whose items are all byte strings, spanning the whole input.</summary>
        public static List<byte[]> DecodeFlatList(ReadOnlySpan<byte> raw)
        {
            var position = 0;
            var (isList, length) = ReadHeader(raw, ref position);
            if (!isList || position + length != raw.Length)
            {
                throw new FormatException("Expected exactly one RLP list spanning the input.");
            }

            var items = new List<byte[]>();
            while (position < raw.Length)
            {
                var start = position;
                var (itemIsList, itemLength) = ReadHeader(raw, ref position);
                if (itemIsList)
                {
                    throw new FormatException("Nested lists are not legacy transaction fields.");
                }

                if (position == start) // a single byte below 0x80 is its own encoding
                {
                    items.Add([raw[position++]]);
                    continue;
                }

                if (itemLength == 1 && raw[position] < 0x80)
                {
                    throw new FormatException("Non-canonical RLP: a single byte below 0x80 with a prefix.");
                }

                items.Add(raw.Slice(position, itemLength).ToArray());
                position += itemLength;
            }

            return items;
        }

        // Returns (isList, payloadLength) and advances past the header; a bare byte < 0x80 leaves position unchanged.
        private static (bool IsList, int Length) ReadHeader(ReadOnlySpan<byte> raw, ref int position)
        {
            if (position >= raw.Length)
            {
                throw new FormatException("Unexpected end of RLP input.");
            }

            var prefix = raw[position];
            if (prefix < 0x80)
            {
                return (false, 1);
            }

            position++;
            var isList = prefix >= 0xc0;
            long length = prefix - (isList ? 0xc0 : 0x80);
            if (length >= 56)
            {
                var lengthOfLength = (int)length - 55;
                if (lengthOfLength > raw.Length - position || raw[position] == 0)
                {
                    throw new FormatException("Invalid RLP long length: truncated, or with a leading zero.");
                }

                // At most 8 length bytes (0xff - 0xf7). A value that wraps the long is negative, or at least 2^56:
                // either way one of the two checks below refuses it, so no separate overflow check is needed.
                length = 0;
                foreach (var b in raw.Slice(position, lengthOfLength))
                {
                    length = (length << 8) | b;
                }

                position += lengthOfLength;
                if (length < 56)
                {
                    throw new FormatException("Non-canonical RLP long length.");
                }
            }

            if (length > raw.Length - position)
            {
                throw new FormatException("Truncated RLP: the length runs past the end of the input.");
            }

            return (isList, (int)length);
        }
    }
}
