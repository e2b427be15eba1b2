using System.Globalization;
using System.Text;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math.EC;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using BigInteger = System.Numerics.BigInteger;

namespace Koans.Ethereum.Eip1559Tx;

/// <summary>Reference solution for ethereum.eip1559-tx.</summary>
public static class Eip1559Signer
{
    private const byte TransactionType = 0x02;
    private static readonly X9ECParameters Curve = SecNamedCurves.GetByName("secp256k1");
    private static readonly BcBigInteger HalfN = Curve.N.ShiftRight(1);

    public static byte[] SigningPayload(Eip1559Transaction transaction) =>
        [TransactionType, .. Rlp.Encode(new List<object>(Fields(transaction)))];

    public static byte[] SigningHash(Eip1559Transaction transaction) => Keccak256(SigningPayload(transaction));

    public static byte[] Sign(Eip1559Transaction transaction, ReadOnlySpan<byte> privateKey)
    {
        var (r, s, yParity) = SignHash(SigningHash(transaction), privateKey);
        // yParity is the bare recovery id: the chain id is already a field (EIP-2718/1559), so no 27/35 offsets.
        var fields = new List<object>(Fields(transaction)) { Rlp.Integer(yParity), Rlp.Integer(r), Rlp.Integer(s) };
        return [TransactionType, .. Rlp.Encode(fields)];
    }

    public static byte[] TransactionHash(ReadOnlySpan<byte> raw) => Keccak256(raw);

    public static SignedEip1559Transaction Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty || raw[0] != TransactionType)
        {
            throw new FormatException(
                "Not a type-2 transaction: the first byte must be 0x02 (a byte >= 0xc0 starts a legacy transaction).");
        }

        if (Rlp.Decode(raw[1..]) is not List<object> { Count: 12 } items)
        {
            throw new FormatException("A type-2 payload is an RLP list of 12 fields.");
        }

        var chainId = Rlp.ToInteger(Bytes(items[0]));
        var to = Bytes(items[5]) switch
        {
            { Length: 0 } => null,
            { Length: 20 } address => address,
            _ => throw new FormatException("to must be 20 bytes, or empty for a contract creation."),
        };
        var yParity = Rlp.ToInteger(Bytes(items[9]));
        if (yParity > 1)
        {
            throw new FormatException($"yParity must be 0 or 1, not {yParity}.");
        }

        if (chainId.IsZero || chainId > ulong.MaxValue)
        {
            throw new FormatException("The chain id is out of range.");
        }

        var transaction = new Eip1559Transaction(
            (ulong)chainId, Rlp.ToInteger(Bytes(items[1])), Rlp.ToInteger(Bytes(items[2])), Rlp.ToInteger(Bytes(items[3])),
            Rlp.ToInteger(Bytes(items[4])), to, Rlp.ToInteger(Bytes(items[6])), Bytes(items[7]), AccessList(items[8]));
        return new SignedEip1559Transaction(
            transaction, (int)yParity, Rlp.ToInteger(Bytes(items[10])), Rlp.ToInteger(Bytes(items[11])));
    }

    public static string RecoverSender(ReadOnlySpan<byte> raw)
    {
        var signed = Decode(raw);
        var r = ToBc(signed.R);
        var s = ToBc(signed.S);
        if (r.SignValue == 0 || r.CompareTo(Curve.N) >= 0 || s.SignValue == 0 || s.CompareTo(HalfN) > 0)
        {
            throw new ArgumentException("r or s is out of range (zero, not below n, or a high s).", nameof(raw));
        }

        var publicKey = Recover(SigningHash(signed.Transaction), r, s, signed.YParity)
            ?? throw new ArgumentException("The signature does not recover to a public key.", nameof(raw));
        return ToChecksum(Keccak256(publicKey.GetEncoded(compressed: false).AsSpan(1))[12..]);
    }

    // ---- Fields ---------------------------------------------------------------------------------------------------

    private static object[] Fields(Eip1559Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.ChainId == 0)
        {
            throw new ArgumentException("The chain id must not be 0.", nameof(transaction));
        }

        if (transaction.MaxPriorityFeePerGas > transaction.MaxFeePerGas)
        {
            throw new ArgumentException("maxPriorityFeePerGas must not exceed maxFeePerGas (EIP-1559).", nameof(transaction));
        }

        if (transaction.To is { Length: not 20 })
        {
            throw new ArgumentException("To must be null (contract creation) or 20 bytes.", nameof(transaction));
        }

        var accessList = transaction.AccessList.Select(entry =>
        {
            if (entry.Address.Length != 20 || entry.StorageKeys.Any(k => k.Length != 32))
            {
                throw new ArgumentException("Access list entries are 20-byte addresses with 32-byte keys.", nameof(transaction));
            }

            return (object)new List<object> { entry.Address, entry.StorageKeys.Cast<object>().ToList() };
        }).ToList();

        return
        [
            Rlp.Integer(transaction.ChainId), Rlp.Integer(transaction.Nonce),
            Rlp.Integer(transaction.MaxPriorityFeePerGas), Rlp.Integer(transaction.MaxFeePerGas),
            Rlp.Integer(transaction.GasLimit), transaction.To ?? [], Rlp.Integer(transaction.Value),
            transaction.Data, accessList,
        ];
    }

    private static List<AccessListEntry> AccessList(object item) =>
        (item as List<object> ?? throw new FormatException("The access list must be an RLP list."))
        .Select(entry => entry is List<object> { Count: 2 } pair
                         && pair[0] is byte[] { Length: 20 } address
                         && pair[1] is List<object> keys
                         && keys.All(k => k is byte[] { Length: 32 })
            ? new AccessListEntry(address, keys.Cast<byte[]>().ToList())
            : throw new FormatException("An access list entry is [20-byte address, [32-byte keys]]."))
        .ToList();

    private static byte[] Bytes(object item) =>
        item as byte[] ?? throw new FormatException("Expected an RLP string, found a list.");

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
        var publicKey = Curve.G.Multiply(d).Normalize();
        // Recovery id 0 or 1 is the y parity of the nonce point; it is not returned by the signer, so try 0. The ids
        // 2 and 3 (x = r + n) need r >= p - n, which a random r hits with probability about 2^-128.
        var recoveryId = publicKey.Equals(Recover(hash, r, s, 0)) ? 0 : 1;
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

    private static BcBigInteger ToBc(BigInteger value) => new(value.ToString(CultureInfo.InvariantCulture));

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
        // EIP-55: uppercase the i-th hex digit of the address when the i-th hex digit of its hash is 8 or more.
        var hex = Convert.ToHexStringLower(address);
        var hashHex = Convert.ToHexStringLower(Keccak256(Encoding.ASCII.GetBytes(hex)));
        return "0x" + string.Concat(hex.Select((c, i) => hashHex[i] >= '8' ? char.ToUpperInvariant(c) : c));
    }

    // ---- RLP: items are byte[] (strings) or List<object> (lists) ---------------------------------------------------

    private static class Rlp
    {
        // A type-2 transaction nests 4 deep; the limit stops a hostile payload from recursing until the stack overflows.
        private const int MaxNestingDepth = 16;

        public static byte[] Integer(BigInteger value)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            return value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
        }

        public static BigInteger ToInteger(byte[] bytes) =>
            bytes is [0, ..]
                ? throw new FormatException("An RLP integer has no leading zero bytes.")
                : new BigInteger(bytes, isUnsigned: true, isBigEndian: true);

        public static byte[] Encode(object item) => item switch
        {
            byte[] { Length: 1 } single when single[0] < 0x80 => single, // a byte below 0x80 is its own encoding
            byte[] bytes => [.. Prefix(0x80, bytes.Length), .. bytes],
            List<object> list => EncodeList(list),
            _ => throw new ArgumentException($"Cannot RLP-encode {item.GetType()}."),
        };

        private static byte[] EncodeList(List<object> list)
        {
            var payload = list.SelectMany(Encode).ToArray();
            return [.. Prefix(0xc0, payload.Length), .. payload];
        }

        private static byte[] Prefix(byte offset, int length)
        {
            if (length < 56)
            {
                return [(byte)(offset + length)];
            }

            var lengthBytes = new BigInteger(length).ToByteArray(isUnsigned: true, isBigEndian: true);
            return [(byte)(offset + 55 + lengthBytes.Length), .. lengthBytes];
        }

        public static object Decode(ReadOnlySpan<byte> data)
        {
            var position = 0;
            var item = DecodeAt(data, ref position, depth: 0);
            return position == data.Length ? item : throw new FormatException("Trailing bytes after the RLP item.");
        }

        private static object DecodeAt(ReadOnlySpan<byte> data, ref int position, int depth)
        {
            if (position >= data.Length)
            {
                throw new FormatException("Unexpected end of RLP input.");
            }

            var prefix = data[position++];
            if (prefix < 0x80)
            {
                return new[] { prefix };
            }

            var isList = prefix >= 0xc0;
            long length = prefix - (isList ? 0xc0 : 0x80);
            if (length >= 56)
            {
                var lengthOfLength = (int)length - 55; // 1 to 8 bytes of big-endian length follow
                if (lengthOfLength > data.Length - position || data[position] == 0)
                {
                    throw new FormatException("Invalid RLP long length: truncated, or a leading zero byte.");
                }

                length = 0;
                foreach (var b in data.Slice(position, lengthOfLength))
                {
                    length = (length << 8) | b; // 8 bytes can wrap negative: the checks below reject it
                }

                position += lengthOfLength;
                if (length < 56)
                {
                    throw new FormatException("Non-canonical RLP: a length below 56 in the long form.");
                }
            }

            if (length > data.Length - position)
            {
                throw new FormatException("Truncated RLP: the length runs past the end of the input.");
            }

            var payload = data.Slice(position, (int)length);
            position += (int)length;
            if (!isList)
            {
                return length == 1 && payload[0] < 0x80
                    ? throw new FormatException("Non-canonical RLP: a single byte below 0x80 with a prefix.")
                    : payload.ToArray();
            }

            if (depth == MaxNestingDepth)
            {
                throw new FormatException($"RLP lists nested deeper than {MaxNestingDepth} are rejected.");
            }

            var items = new List<object>();
            var inner = 0;
            while (inner < payload.Length)
            {
                items.Add(DecodeAt(payload, ref inner, depth + 1));
            }

            return items;
        }
    }
}
