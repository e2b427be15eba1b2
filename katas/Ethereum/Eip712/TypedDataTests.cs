using System.Text.Json;
using Org.BouncyCastle.Crypto.Digests;

namespace Koans.Ethereum.Eip712;

// Every vector is from EIP-712's example, assets/eip-712/Example.js in ethereum/EIPs (the "Mail" typed data and the
// chai expectations at its end); the EIP text's "Test cases" section points to it.
public class TypedDataTests
{
    private const string MailJson = """
        {
          "types": {
            "EIP712Domain": [
              { "name": "name", "type": "string" },
              { "name": "version", "type": "string" },
              { "name": "chainId", "type": "uint256" },
              { "name": "verifyingContract", "type": "address" }
            ],
            "Person": [
              { "name": "name", "type": "string" },
              { "name": "wallet", "type": "address" }
            ],
            "Mail": [
              { "name": "from", "type": "Person" },
              { "name": "to", "type": "Person" },
              { "name": "contents", "type": "string" }
            ]
          },
          "primaryType": "Mail",
          "domain": {
            "name": "Ether Mail",
            "version": "1",
            "chainId": 1,
            "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"
          },
          "message": {
            "from": { "name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826" },
            "to": { "name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB" },
            "contents": "Hello, Bob!"
          }
        }
        """;

    private static JsonElement Mail => JsonDocument.Parse(MailJson).RootElement;

    private static JsonElement Message(JsonElement typedData) => typedData.GetProperty("message");

    private static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);

    [Fact]
    public void EncodeType_of_Mail_lists_Mail_then_its_dependencies() =>
        TypedData.EncodeType(Mail, "Mail").Should().Be(
            "Mail(Person from,Person to,string contents)Person(string name,address wallet)",
            "Example.js: expect(encodeType('Mail'))");

    [Fact]
    public void TypeHash_of_Mail_matches_the_EIP_712_example() =>
        Hex(TypedData.TypeHash(Mail, "Mail")).Should().Be(
            "0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2");

    [Fact]
    public void EncodeData_of_the_Mail_message_matches_the_EIP_712_example() =>
        Hex(TypedData.EncodeData(Mail, "Mail", Message(Mail))).Should().Be(
            "0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2" +
            "fc71e5fa27ff56c350aa531bc129ebdf613b772b6604664f5d8dbe21b85eb0c8" +
            "cd54f074a4af31b4411ff6a60c9719dbd559c221c8ac3492d9d872b041d703d1" +
            "b5aadf3154a261abdd9086fc627b61efca26ae5702701d05cd2305f7c52a2fc8",
            "typeHash, then hashStruct(from), hashStruct(to), keccak256(contents): four words");

    [Fact]
    public void HashStruct_of_the_Mail_message_matches_the_EIP_712_example() =>
        Hex(TypedData.HashStruct(Mail, "Mail", Message(Mail))).Should().Be(
            "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e");

    [Fact]
    public void DomainSeparator_matches_the_EIP_712_example() =>
        Hex(TypedData.DomainSeparator(Mail)).Should().Be(
            "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f",
            "the domain binds the signature to one dapp, version, chain and verifying contract");

    [Fact]
    public void SigningHash_matches_the_EIP_712_example() =>
        Hex(TypedData.SigningHash(Mail)).Should().Be(
            "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2",
            "keccak256(0x1901 || domainSeparator || hashStruct(message))");

    [Fact]
    public void Sign_with_the_key_keccak256_cow_matches_the_EIP_712_example()
    {
        // Example.js: const privateKey = ethUtil.sha3('cow'); its address is 0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826.
        var privateKey = Keccak("cow"u8.ToArray());

        var signature = TypedData.Sign(Mail, privateKey);

        Hex(signature[..32]).Should().Be("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d");
        Hex(signature[32..64]).Should().Be("0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562");
        signature[64].Should().Be(28);
    }

    [Fact]
    public void EncodeType_sorts_referenced_types_by_name_after_the_primary_type()
    {
        var typedData = JsonDocument.Parse("""
            { "types": {
                "Zoo": [ { "name": "keeper", "type": "Keeper" }, { "name": "animal", "type": "Animal" } ],
                "Keeper": [ { "name": "name", "type": "string" } ],
                "Animal": [ { "name": "kind", "type": "string" }, { "name": "keeper", "type": "Keeper" } ]
            } }
            """).RootElement;

        TypedData.EncodeType(typedData, "Zoo").Should().Be(
            "Zoo(Keeper keeper,Animal animal)Animal(string kind,Keeper keeper)Keeper(string name)",
            "EIP-712 encodeType: the primary type, then the referenced struct types sorted by name, each once");
    }

    [Fact]
    public void A_changed_message_gives_another_signing_hash()
    {
        var tampered = JsonDocument.Parse(MailJson.Replace("Hello, Bob!", "Hello, Eve!", StringComparison.Ordinal)).RootElement;

        Hex(TypedData.SigningHash(tampered)).Should().NotBe(
            "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2",
            "every field is bound into the digest");
    }

    [Fact]
    public void EncodeType_rejects_an_unknown_primary_type()
    {
        var act = () => TypedData.EncodeType(Mail, "Letter");

        act.Should().Throw<ArgumentException>("Letter is not in types");
    }

    [Fact]
    public void EncodeData_rejects_a_message_with_a_missing_field()
    {
        var noContents = JsonDocument.Parse("""
            { "from": { "name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826" },
              "to": { "name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB" } }
            """).RootElement;

        var act = () => TypedData.EncodeData(Mail, "Mail", noContents);

        act.Should().Throw<ArgumentException>("a wallet must not sign a struct with a field silently defaulted");
    }

    [Fact]
    public void EncodeData_rejects_an_integer_out_of_range()
    {
        var typedData = JsonDocument.Parse("""{ "types": { "Tiny": [ { "name": "n", "type": "uint8" } ] } }""").RootElement;

        var act = () => TypedData.EncodeData(typedData, "Tiny", JsonDocument.Parse("""{ "n": 256 }""").RootElement);

        act.Should().Throw<ArgumentOutOfRangeException>("uint8 holds 0..255");
    }

    [Theory]
    [InlineData("\"0x1\"")]
    [InlineData("\"0x01\"")]
    [InlineData("\"1\"")]
    public void DomainSeparator_reads_chainId_1_written_as_a_string_with_any_number_of_hex_digits(string chainId)
    {
        var typedData = JsonDocument.Parse(MailJson.Replace("\"chainId\": 1", $"\"chainId\": {chainId}", StringComparison.Ordinal)).RootElement;

        Hex(TypedData.DomainSeparator(typedData)).Should().Be(
            "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f",
            $"chainId {chainId} is the integer 1, so the domain is the EIP-712 example's; wallets send \"0x1\" (an odd number of hex digits) all the time");
    }

    public static TheoryData<string, string> MalformedDocuments() => new()
    {
        { "types is an array, not an object", """{ "types": [ { "name": "n", "type": "uint8" } ] }""" },
        { "a field has no type", """{ "types": { "Tiny": [ { "name": "n" } ] } }""" },
        { "a field's type is not a string", """{ "types": { "Tiny": [ { "name": "n", "type": 8 } ] } }""" },
        { "a type's fields are not an array", """{ "types": { "Tiny": { "name": "n", "type": "uint8" } } }""" },
    };

    [Theory]
    [MemberData(nameof(MalformedDocuments))]
    public void EncodeType_rejects_a_malformed_types_section_with_ArgumentException(string problem, string json)
    {
        var act = () => TypedData.EncodeType(JsonDocument.Parse(json).RootElement, "Tiny");

        act.Should().Throw<ArgumentException>(
            $"{problem}: the document comes from a dapp, and its mistakes are the documented ArgumentException, not whatever JsonElement throws");
    }

    [Theory]
    [InlineData("address", "\"0xZZ2a3d9F938E13CD947Ec05AbC7FE734Df8DD826\"")]
    [InlineData("uint256", "1.5")]
    [InlineData("uint256", "1e3")]
    [InlineData("uint256", "\"twelve\"")]
    [InlineData("uint256", "\"0xfg\"")]
    [InlineData("uint256", "\"0x\"")]
    [InlineData("bytes", "\"0x123\"")]
    public void EncodeData_rejects_a_malformed_value_with_ArgumentException(string type, string value)
    {
        var typedData = JsonDocument.Parse($$"""{ "types": { "One": [ { "name": "v", "type": "{{type}}" } ] } }""").RootElement;

        var act = () => TypedData.EncodeData(typedData, "One", JsonDocument.Parse($$"""{ "v": {{value}} }""").RootElement);

        act.Should().Throw<ArgumentException>(
            $"{value} is not a {type}: a wallet must refuse to sign it, with the documented ArgumentException (never a rounded or partly read value)");
    }

    private static byte[] Keccak(byte[] data)
    {
        var keccak = new KeccakDigest(256);
        keccak.BlockUpdate(data, 0, data.Length);
        var hash = new byte[32];
        keccak.DoFinal(hash, 0);
        return hash;
    }
}
