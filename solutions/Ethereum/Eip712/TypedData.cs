using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math.EC;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Koans.Ethereum.Eip712;

/// <summary>Reference solution for ethereum.eip712.</summary>
public static class TypedData
{
    private const string DomainType = "EIP712Domain";

    // Structs and arrays inside a struct value, counted from the message (or domain). The recursion follows the value,
    // so without a limit a document parsed with a large JsonDocumentOptions.MaxDepth could overflow the stack.
    private const int MaxNesting = 64;

    public static string EncodeType(JsonElement typedData, string primaryType)
    {
        ArgumentNullException.ThrowIfNull(primaryType);
        var types = Types(typedData);
        RequireStruct(types, primaryType);
        var ordered = Dependencies(types, primaryType).Where(t => t != primaryType).Order(StringComparer.Ordinal).Prepend(primaryType);

        var result = new StringBuilder();
        foreach (var type in ordered)
        {
            result.Append(type).Append('(')
                .AppendJoin(',', types[type].Select(f => $"{f.Type} {f.Name}"))
                .Append(')');
        }

        return result.ToString();
    }

    public static byte[] TypeHash(JsonElement typedData, string primaryType) =>
        Keccak256(Encoding.UTF8.GetBytes(EncodeType(typedData, primaryType)));

    public static byte[] EncodeData(JsonElement typedData, string primaryType, JsonElement data) =>
        EncodeData(typedData, primaryType, data, depth: 0);

    public static byte[] HashStruct(JsonElement typedData, string primaryType, JsonElement data) =>
        Keccak256(EncodeData(typedData, primaryType, data));

    public static byte[] DomainSeparator(JsonElement typedData) =>
        HashStruct(typedData, DomainType, Property(typedData, "domain"));

    public static byte[] SigningHash(JsonElement typedData)
    {
        var primaryType = Property(typedData, "primaryType") is { ValueKind: JsonValueKind.String } name
            ? name.GetString()!
            : throw new ArgumentException("primaryType must be a string.", nameof(typedData));
        // 0x19 0x01: EIP-191 version byte 0x01 ("structured data"), so the digest can never be a transaction or a
        // personal message.
        return Keccak256([0x19, 0x01, .. DomainSeparator(typedData),
            .. HashStruct(typedData, primaryType, Property(typedData, "message"))]);
    }

    public static byte[] Sign(JsonElement typedData, ReadOnlySpan<byte> privateKey) =>
        Secp256k1Signer.Sign(SigningHash(typedData), privateKey);

    // ---- Fields ---------------------------------------------------------------------------------------------------

    // TypeHash checks that the type is defined (through EncodeType).
    private static byte[] EncodeData(JsonElement typedData, string type, JsonElement data, int depth)
    {
        var output = new List<byte>(TypeHash(typedData, type));
        var types = Types(typedData);
        foreach (var field in types[type])
        {
            if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(field.Name, out var value))
            {
                throw new ArgumentException($"{type}.{field.Name} is missing.", nameof(data));
            }

            output.AddRange(EncodeField(typedData, types, field.Type, value, depth));
        }

        return [.. output];
    }

    private static byte[] EncodeField(JsonElement typedData, Dictionary<string, List<Field>> types, string type, JsonElement value, int depth)
    {
        if (types.ContainsKey(type) || type.EndsWith(']'))
        {
            if (depth == MaxNesting)
            {
                throw new ArgumentException($"Structs and arrays nest at most {MaxNesting} levels deep.", nameof(typedData));
            }

            depth++;
        }

        if (types.ContainsKey(type))
        {
            return Keccak256(EncodeData(typedData, type, value, depth));
        }

        if (type.EndsWith(']'))
        {
            // Arrays: keccak256 of the concatenated encodings of the elements.
            var elementType = type[..type.LastIndexOf('[')];
            if (value.ValueKind != JsonValueKind.Array)
            {
                throw new ArgumentException($"A {type} value must be a JSON array.");
            }

            return Keccak256([.. value.EnumerateArray().SelectMany(e => EncodeField(typedData, types, elementType, e, depth))]);
        }

        return type switch
        {
            "string" => Keccak256(Encoding.UTF8.GetBytes(String(value, type))),
            "bytes" => Keccak256(HexBytes(String(value, type))),
            "bool" => value.ValueKind switch
            {
                JsonValueKind.True => Word(BigInteger.One),
                JsonValueKind.False => Word(BigInteger.Zero),
                _ => throw new ArgumentException("A bool value must be a JSON boolean."),
            },
            "address" => HexBytes(String(value, type)) is { Length: 20 } address
                ? [.. new byte[12], .. address]
                : throw new ArgumentException("An address is 20 bytes."),
            _ when type.StartsWith("uint", StringComparison.Ordinal) => Integer(value, type, Size(type, 4, max: 256, step: 8), signed: false),
            _ when type.StartsWith("int", StringComparison.Ordinal) => Integer(value, type, Size(type, 3, max: 256, step: 8), signed: true),
            _ when type.StartsWith("bytes", StringComparison.Ordinal) => FixedBytes(value, type),
            _ => throw new ArgumentException($"Unknown type '{type}'."),
        };
    }

    private static byte[] Integer(JsonElement value, string type, int bits, bool signed)
    {
        var number = value.ValueKind switch
        {
            JsonValueKind.Number => Decimal(value.GetRawText()),
            JsonValueKind.String when value.GetString()!.StartsWith("0x", StringComparison.Ordinal) => HexInteger(value.GetString()!),
            JsonValueKind.String => Decimal(value.GetString()!),
            _ => throw new ArgumentException("An integer must be a JSON number or a string."),
        };
        var (min, max) = signed
            ? (-(BigInteger.One << (bits - 1)), (BigInteger.One << (bits - 1)) - 1)
            : (BigInteger.Zero, (BigInteger.One << bits) - 1);
        if (number < min || number > max)
        {
            throw new ArgumentOutOfRangeException(nameof(value), number, $"Out of range for {type}.");
        }

        return Word(number.Sign < 0 ? number + (BigInteger.One << 256) : number);
    }

    // Integers only: JSON allows 1.5 and 1e3, which are not integers (a wallet that rounds signs another value).
    private static BigInteger Decimal(string text) =>
        BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"'{text}' is not a decimal integer.");

    // Signers accept any number of hex digits for an integer ("chainId": "0x1"), unlike bytes, which are whole bytes.
    // The leading "0" keeps AllowHexSpecifier from reading a top bit as a sign.
    private static BigInteger HexInteger(string text) =>
        text.Length > 2 && BigInteger.TryParse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"'{text}' is not a 0x-prefixed hex integer.");

    private static byte[] FixedBytes(JsonElement value, string type)
    {
        var length = Size(type, 5, max: 32, step: 1);
        var bytes = HexBytes(String(value, type));
        return bytes.Length == length
            ? [.. bytes, .. new byte[32 - length]]
            : throw new ArgumentException($"{type} needs exactly {length} bytes.");
    }

    // The Solidity sizes: uint8..uint256 and int8..int256 in steps of 8, bytes1..bytes32.
    private static int Size(string type, int prefixLength, int max, int step) =>
        int.TryParse(type.AsSpan(prefixLength), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max && n % step == 0
            ? n
            : throw new ArgumentException($"Unknown type '{type}'.");

    private static byte[] Word(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        return [.. new byte[32 - bytes.Length], .. bytes];
    }

    private static string String(JsonElement value, string type) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new ArgumentException($"A {type} value must be a JSON string.");

    private static byte[] HexBytes(string hex)
    {
        if (!hex.StartsWith("0x", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{hex}' must be 0x-prefixed hex.");
        }

        try
        {
            return Convert.FromHexString(hex.AsSpan(2));
        }
        catch (FormatException e)
        {
            // The document is the caller's input: its mistakes are ArgumentException, as documented.
            throw new ArgumentException($"'{hex}' is not whole bytes of hex.", e);
        }
    }

    // ---- Types ----------------------------------------------------------------------------------------------------

    private sealed record Field(string Name, string Type);

    private static Dictionary<string, List<Field>> Types(JsonElement typedData)
    {
        var types = Property(typedData, "types");
        if (types.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("types must be a JSON object of type name to field list.", nameof(typedData));
        }

        return types.EnumerateObject().ToDictionary(
            t => t.Name,
            t => t.Value.ValueKind == JsonValueKind.Array
                ? t.Value.EnumerateArray().Select(f => new Field(Text(f, "name", t.Name), Text(f, "type", t.Name))).ToList()
                : throw new ArgumentException($"types.{t.Name} must be a JSON array of fields.", nameof(typedData)),
            StringComparer.Ordinal);
    }

    private static string Text(JsonElement field, string property, string typeName) =>
        field.ValueKind == JsonValueKind.Object && field.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new ArgumentException($"Every field of {typeName} needs a string '{property}'.", nameof(field));

    // Every struct type reachable from the primary type, each once. A work list, not recursion: a chain of thousands
    // of types is a flat JSON object, so the document's nesting limit does not bound it.
    private static HashSet<string> Dependencies(Dictionary<string, List<Field>> types, string primaryType)
    {
        var found = new HashSet<string>(StringComparer.Ordinal) { primaryType };
        var pending = new Stack<string>([primaryType]);
        while (pending.TryPop(out var type))
        {
            foreach (var field in types[type])
            {
                var baseType = field.Type.Split('[')[0];
                if (types.ContainsKey(baseType) && found.Add(baseType))
                {
                    pending.Push(baseType);
                }
            }
        }

        return found;
    }

    private static void RequireStruct(Dictionary<string, List<Field>> types, string primaryType)
    {
        if (!types.ContainsKey(primaryType))
        {
            throw new ArgumentException($"'{primaryType}' is not defined in types.", nameof(primaryType));
        }
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new ArgumentException($"The typed data has no '{name}'.");

    private static byte[] Keccak256(ReadOnlySpan<byte> data)
    {
        var keccak = new KeccakDigest(256);
        keccak.BlockUpdate(data);
        var digest = new byte[32];
        keccak.DoFinal(digest);
        return digest;
    }

    /// <summary>secp256k1 ECDSA with RFC 6979 k, EIP-2 low s and an Ethereum v (27/28).</summary>
    private static class Secp256k1Signer
    {
        private static readonly X9ECParameters Curve = SecNamedCurves.GetByName("secp256k1");

        public static byte[] Sign(byte[] hash, ReadOnlySpan<byte> privateKey)
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

            var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
            signer.Init(true, new ECPrivateKeyParameters(d, new ECDomainParameters(Curve)));
            var rs = signer.GenerateSignature(hash);
            var r = rs[0];
            var s = rs[1].CompareTo(Curve.N.ShiftRight(1)) > 0 ? Curve.N.Subtract(rs[1]) : rs[1];

            // The recovery id is the parity of R's y: if 0 does not give back our key, 1 does (R's x is r itself
            // unless r >= p - n, a chance of about 2^-128 that a signer does not need to handle).
            var publicKey = Curve.G.Multiply(d).Normalize();
            var recoveryId = RecoverWithEvenR(hash, r, s).Equals(publicKey) ? 0 : 1;
            return [.. To32(r), .. To32(s), (byte)(27 + recoveryId)];
        }

        // SEC 1 v2, 4.1.6: Q = r^-1 (s R - e G), for the R with x = r and an even y (recovery id 0; 0x02 is the
        // compressed encoding of an even y).
        private static ECPoint RecoverWithEvenR(byte[] hash, BcBigInteger r, BcBigInteger s)
        {
            var bigR = Curve.Curve.DecodePoint([0x02, .. To32(r)]);
            var rInverse = r.ModInverse(Curve.N);
            var u1 = new BcBigInteger(1, hash).Negate().Multiply(rInverse).Mod(Curve.N);
            var u2 = s.Multiply(rInverse).Mod(Curve.N);
            return ECAlgorithms.SumOfTwoMultiplies(Curve.G, u1, bigR, u2).Normalize();
        }

        private static byte[] To32(BcBigInteger value)
        {
            var bytes = value.ToByteArrayUnsigned();
            return [.. new byte[32 - bytes.Length], .. bytes];
        }
    }
}
