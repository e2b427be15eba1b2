using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Koans.Testing;
using Nethereum.ABI.EIP712;
using Nethereum.Signer;
using Nethereum.Signer.EIP712;

namespace Koans.Ethereum.Eip712;

/// <summary>
/// Nethereum (Nethereum.Signer.EIP712) as a second, independent oracle. The fixed vectors in TypedDataTests are the
/// EIP's own Mail example; these compare your digest and signature with <c>eth_signTypedData_v4</c> as Nethereum
/// implements it, on 256 generated documents per property: a primary type with atomic fields of every kind (uint256
/// up to 2^256 - 1, negative int256 and int32, address, bool, bytes32, bytes4, bytes, string), a nested struct that
/// itself nests a struct and an array of structs, arrays of structs, uint256 and string, and domains with a varying
/// subset of name, version, chainId, verifyingContract and salt. Referenced types must be sorted by name in
/// encodeType; the generated names (Mail, Group, Person, Asset) make that order differ from the order of use. A fixed
/// PCG seed makes every failure reproduce.
/// </summary>
public sealed class TypedDataNethereumOracleTests
{
    private static readonly BigInteger CurveOrder =
        BigInteger.Parse("0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", NumberStyles.HexNumber);

    private static readonly Gen<byte[]> PrivateKeys = Gen.Byte.Array[32].Where(key =>
    {
        var d = new BigInteger(key, isUnsigned: true, isBigEndian: true);
        return d > 0 && d < CurveOrder;
    });

    private static readonly string[] AtomicTypes = ["uint256", "uint8", "int256", "int32", "address", "bool", "bytes32", "bytes4", "bytes", "string"];

    private static readonly (string Name, string Type)[] DomainFields =
        [("name", "string"), ("version", "string"), ("chainId", "uint256"), ("verifyingContract", "address"), ("salt", "bytes32")];

    private static readonly Gen<(string Name, string Type)[]> AtomicFields =
        Gen.Int[0, AtomicTypes.Length - 1].Array[1, 4].Select(types => types.Select((t, i) => ($"f{i}", AtomicTypes[t])).ToArray());

    /// <summary>The struct types (each a list of fields), the domain's fields, and which types Mail and Group use.</summary>
    private static readonly Gen<Dictionary<string, (string Name, string Type)[]>> Schemas =
        from person in AtomicFields
        from asset in AtomicFields
        from groupAtomics in AtomicFields
        from groupUses in Gen.Int[0, 3]
        from mailAtomics in AtomicFields
        from mailUses in Gen.Int[0, 15]
        from domainMask in Gen.Int[1, 31]
        select new Dictionary<string, (string Name, string Type)[]>
        {
            ["EIP712Domain"] = DomainFields.Where((_, i) => (domainMask >> i & 1) == 1).ToArray(),
            ["Person"] = person,
            ["Asset"] = asset,
            ["Group"] = [.. groupAtomics, .. Uses(groupUses, ("lead", "Person"), ("assets", "Asset[]"))],
            ["Mail"] = [.. mailAtomics, .. Uses(mailUses, ("group", "Group"), ("people", "Person[]"), ("amounts", "uint256[]"), ("notes", "string[]"))],
        };

    private static readonly Gen<string> Documents = Schemas.SelectMany(schema =>
        Gen.Select(ValueOf("EIP712Domain", schema), ValueOf("Mail", schema), (domain, message) =>
        {
            var types = new JsonObject();
            foreach (var (name, fields) in schema)
            {
                types[name] = new JsonArray(fields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["type"] = f.Type }).ToArray());
            }

            return new JsonObject { ["types"] = types, ["primaryType"] = "Mail", ["domain"] = domain, ["message"] = message }.ToJsonString();
        }));

    [Fact]
    public void SigningHash_matches_Nethereum_on_generated_documents_with_nested_structs_and_arrays()
    {
        GeneratedCases.ForEach(Documents, json => json, json =>
        {
            using var document = JsonDocument.Parse(json);
            var yours = TypedData.SigningHash(document.RootElement);
            Hex(yours).Should().Be(Hex(new Eip712TypedDataEncoder().EncodeAndHashTypedData(json)),
                "keccak256(0x1901 || domainSeparator || hashStruct(message)) must match Nethereum's eth_signTypedData_v4 digest");
        });
    }

    [Fact]
    public void Sign_matches_Nethereums_SignTypedDataV4_on_generated_documents_and_keys()
    {
        GeneratedCases.ForEach(Gen.Select(Documents, PrivateKeys), input => $"{input.Item1} with key {Hex(input.Item2)}", input =>
        {
            using var document = JsonDocument.Parse(input.Item1);
            var yours = TypedData.Sign(document.RootElement, input.Item2);
            Hex(yours).Should().Be(new Eip712TypedDataSigner().SignTypedDataV4(input.Item1, new EthECKey(input.Item2, true)),
                "RFC 6979 k and low s make the signature a function of key and digest: yours must equal Nethereum's SignTypedDataV4");
        });
    }

    private static IEnumerable<(string Name, string Type)> Uses(int mask, params (string Name, string Type)[] candidates) =>
        candidates.Where((_, i) => (mask >> i & 1) == 1);

    private static Gen<JsonNode?> ValueOf(string type, Dictionary<string, (string Name, string Type)[]> schema)
    {
        if (type.EndsWith("[]", StringComparison.Ordinal))
        {
            return ValueOf(type[..^2], schema).Array[0, 3].Select(items => (JsonNode?)new JsonArray(items));
        }

        if (schema.TryGetValue(type, out var fields))
        {
            return fields.Aggregate(Gen.Const(() => new List<(string, JsonNode?)>()), (sequence, field) =>
                    Gen.Select(sequence, ValueOf(field.Type, schema), (values, value) => new List<(string, JsonNode?)>(values) { (field.Name, value) }))
                .Select(values =>
                {
                    var obj = new JsonObject();
                    foreach (var (name, value) in values)
                    {
                        obj[name] = value;
                    }

                    return (JsonNode?)obj;
                });
        }

        return type switch
        {
            "uint256" => Gen.OneOf(
                Gen.OneOf(BigInteger.Zero, BigInteger.Pow(2, 256) - 1),
                Gen.Byte.Array[1, 32].Select(b => new BigInteger(b, isUnsigned: true, isBigEndian: true))).Select(v => (JsonNode?)v.ToString(CultureInfo.InvariantCulture)),
            "uint8" => Gen.Int[0, 255].Select(v => (JsonNode?)v),
            "int256" => Gen.OneOf(
                Gen.OneOf(BigInteger.MinusOne, -BigInteger.Pow(2, 255), BigInteger.Pow(2, 255) - 1),
                Gen.Byte.Array[1, 32].Select(b => new BigInteger(b, isUnsigned: false, isBigEndian: true))).Select(v => (JsonNode?)v.ToString(CultureInfo.InvariantCulture)),
            "int32" => Gen.Int.Select(v => (JsonNode?)v),
            "address" => Gen.Byte.Array[20].Select(b => (JsonNode?)Hex(b)),
            "bool" => Gen.Bool.Select(v => (JsonNode?)v),
            "bytes32" => Gen.Byte.Array[32].Select(b => (JsonNode?)Hex(b)),
            "bytes4" => Gen.Byte.Array[4].Select(b => (JsonNode?)Hex(b)),
            "bytes" => Gen.OneOf(Gen.OneOf(0, 1, 32, 33).SelectMany(n => Gen.Byte.Array[n]), Gen.Byte.Array[0, 70]).Select(b => (JsonNode?)Hex(b)),
            "string" => Gen.OneOf(Gen.String[Gen.Char[' ', '~'], 0, 40], Gen.OneOf("", "héllo", "🦄 unicorns")).Select(s => (JsonNode?)s),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No generator for this type."),
        };
    }

    private static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);
}
