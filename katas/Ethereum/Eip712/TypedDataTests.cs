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

    [Theory]
    [InlineData("address", "\"CD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826\"", "an address without 0x")]
    [InlineData("address", "\"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD8\"", "a 19-byte address")]
    [InlineData("address", "\"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD82600\"", "a 21-byte address")]
    [InlineData("bool", "\"true\"", "a string where a JSON boolean belongs")]
    [InlineData("bool", "1", "a number where a JSON boolean belongs")]
    [InlineData("string", "5", "a number where a string belongs")]
    [InlineData("string", "null", "null where a string belongs")]
    [InlineData("bytes4", "\"0x010203\"", "3 bytes for a bytes4")]
    [InlineData("bytes4", "\"0x0102030405\"", "5 bytes for a bytes4")]
    [InlineData("uint256[]", "5", "a number where an array belongs")]
    [InlineData("uint256", "true", "a boolean where an integer belongs")]
    [InlineData("bytes", "\"12ab\"", "bytes without 0x")]
    public void EncodeData_rejects_a_value_of_the_wrong_kind_or_size_with_ArgumentException(string type, string value, string problem)
    {
        var typedData = JsonDocument.Parse($$"""{ "types": { "One": [ { "name": "v", "type": "{{type}}" } ] } }""").RootElement;

        var act = () => TypedData.EncodeData(typedData, "One", JsonDocument.Parse($$"""{ "v": {{value}} }""").RootElement);

        act.Should().Throw<ArgumentException>(
            $"{problem} ({value} for {type}) must be refused: padding, truncating or reading it as something else signs a value the user never saw");
    }

    [Fact]
    public void EncodeData_rejects_a_string_where_a_struct_belongs()
    {
        var message = JsonDocument.Parse("""{ "from": "Cow", "to": "Bob", "contents": "Hello, Bob!" }""").RootElement;

        var act = () => TypedData.EncodeData(Mail, "Mail", message);

        act.Should().Throw<ArgumentException>("from is a Person, so its value must be a JSON object with name and wallet");
    }

    [Theory]
    [InlineData("uint0")]
    [InlineData("uint7")]
    [InlineData("uint257")]
    [InlineData("uint264")]
    [InlineData("int0")]
    [InlineData("int12")]
    [InlineData("int264")]
    [InlineData("bytes0")]
    [InlineData("bytes33")]
    [InlineData("uint+8")]
    public void EncodeData_rejects_an_atomic_type_whose_size_Solidity_does_not_have(string type)
    {
        var typedData = JsonDocument.Parse($$"""{ "types": { "One": [ { "name": "v", "type": "{{type}}" } ] } }""").RootElement;

        var act = () => TypedData.EncodeData(typedData, "One", JsonDocument.Parse("""{ "v": "0x00" }""").RootElement);

        act.Should().ThrowExactly<ArgumentException>(
            $"{type} is an unknown type (an ArgumentException, not a value out of range): it is not a Solidity type (uint8..uint256 and int8..int256 in steps of 8, bytes1..bytes32): a contract could never check a signature over it");
    }

    // The ABI encoding of int<M> is the 256-bit two's complement (Solidity ABI specification, "Formal Specification of
    // the Encoding": int<M> is enc(X) = the big-endian two's complement, padded on the higher-order side with 0xff for
    // negative X). EIP-712 encodes atomic values as the ABI does.
    [Theory]
    [InlineData("-128", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff80")]
    [InlineData("127", "000000000000000000000000000000000000000000000000000000000000007f")]
    [InlineData("-1", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    [InlineData("0", "0000000000000000000000000000000000000000000000000000000000000000")]
    public void EncodeData_encodes_int8_at_its_limits_as_a_256_bit_twos_complement_word(string value, string word)
    {
        var typedData = JsonDocument.Parse("""{ "types": { "Small": [ { "name": "n", "type": "int8" } ] } }""").RootElement;

        var encoded = TypedData.EncodeData(typedData, "Small", JsonDocument.Parse($$"""{ "n": {{value}} }""").RootElement);

        Convert.ToHexStringLower(encoded[32..]).Should().Be(word, $"int8 holds -128..127, and {value} is one word after the typeHash");
    }

    // The ABI encoding of bytes<M> is the M bytes padded on the right with zeros to 32 (Solidity ABI specification).
    [Fact]
    public void EncodeData_right_pads_a_bytes1_to_a_word()
    {
        var typedData = JsonDocument.Parse("""{ "types": { "One": [ { "name": "v", "type": "bytes1" } ] } }""").RootElement;

        var encoded = TypedData.EncodeData(typedData, "One", JsonDocument.Parse("""{ "v": "0xab" }""").RootElement);

        Convert.ToHexStringLower(encoded[32..]).Should().Be("ab" + new string('0', 62), "bytes1 is the smallest fixed-size bytes type, left-aligned in its word");
    }

    [Theory]
    [InlineData("int8", "128")]
    [InlineData("int8", "-129")]
    [InlineData("uint8", "-1")]
    [InlineData("uint256", "\"115792089237316195423570985008687907853269984665640564039457584007913129639936\"")]
    public void EncodeData_rejects_an_integer_just_outside_its_types_range(string type, string value)
    {
        var typedData = JsonDocument.Parse($$"""{ "types": { "One": [ { "name": "v", "type": "{{type}}" } ] } }""").RootElement;

        var act = () => TypedData.EncodeData(typedData, "One", JsonDocument.Parse($$"""{ "v": {{value}} }""").RootElement);

        act.Should().Throw<ArgumentOutOfRangeException>(
            $"{value} does not fit a {type} (int<M> holds -2^(M-1)..2^(M-1)-1, uint<M> 0..2^M-1): wrapping it would sign another number");
    }

    [Fact]
    public void A_null_primary_type_is_an_ArgumentNullException_naming_primaryType()
    {
        var encodeType = () => TypedData.EncodeType(Mail, null!);
        var encodeData = () => TypedData.EncodeData(Mail, null!, Message(Mail));

        encodeType.Should().Throw<ArgumentNullException>().WithParameterName("primaryType", "the caller passed no type name");
        encodeData.Should().Throw<ArgumentNullException>().WithParameterName("primaryType", "the caller passed no type name");
    }

    [Theory]
    [InlineData("5")]
    [InlineData("null")]
    [InlineData("[\"Mail\"]")]
    public void SigningHash_rejects_a_primaryType_that_is_not_a_string(string primaryType)
    {
        var typedData = JsonDocument.Parse(MailJson.Replace("\"primaryType\": \"Mail\"", $"\"primaryType\": {primaryType}", StringComparison.Ordinal)).RootElement;

        var act = () => TypedData.SigningHash(typedData);

        act.Should().Throw<ArgumentException>($"primaryType {primaryType} names no type: the documented ArgumentException, not JsonElement's InvalidOperationException");
    }

    [Fact]
    public void A_value_may_nest_64_structs_deep_but_not_65()
    {
        var at64 = () => TypedData.HashStruct(StructChain(64), "T0", StructChainValue(64));
        var at65 = () => TypedData.HashStruct(StructChain(65), "T0", StructChainValue(65));

        at64.Should().NotThrow("64 levels of nested structs is within the documented limit");
        at65.Should().Throw<ArgumentException>(
            "the 65th nested struct is past the documented limit: recursion that follows an attacker's document must stop before the stack does");
    }

    [Fact]
    public void A_value_may_nest_64_arrays_deep_but_not_65()
    {
        var at64 = () => TypedData.HashStruct(ArrayNest(64), "One", ArrayNestValue(64));
        var at65 = () => TypedData.HashStruct(ArrayNest(65), "One", ArrayNestValue(65));

        at64.Should().NotThrow("uint8 with 64 [] suffixes is within the documented limit");
        at65.Should().Throw<ArgumentException>("every array level counts toward the limit, as every struct level does");
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public void Sign_rejects_a_private_key_that_is_not_32_bytes(int length)
    {
        var act = () => TypedData.Sign(Mail, Enumerable.Repeat((byte)0x46, length).ToArray());

        act.Should().ThrowExactly<ArgumentException>().WithParameterName("privateKey",
            $"a secp256k1 private key is 32 bytes, not {length}: reading a shorter or longer key as a number signs with a key nobody meant");
    }

    // SEC 2 v2, section 2.4.1: the order n of secp256k1.
    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")]
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public void Sign_rejects_a_private_key_outside_1_to_n_minus_1(string keyHex)
    {
        var act = () => TypedData.Sign(Mail, Convert.FromHexString(keyHex));

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("privateKey",
            "a private key is a scalar in [1, n - 1]: 0 has no public key, and n or more is the same as a smaller key (or none)");
    }

    private static readonly JsonDocumentOptions DeepJson = new() { MaxDepth = 512 };

    // T0 { next: T1 }, T1 { next: T2 }, ..., T<levels> { v: uint8 }: a value of T0 nests <levels> structs.
    private static JsonElement StructChain(int levels)
    {
        var types = Enumerable.Range(0, levels).Select(i => $$"""
            "T{{i}}": [ { "name": "next", "type": "T{{i + 1}}" } ]
            """).Append($$"""
            "T{{levels}}": [ { "name": "v", "type": "uint8" } ]
            """);
        return JsonDocument.Parse($$"""{ "types": { {{string.Join(',', types)}} } }""", DeepJson).RootElement;
    }

    private static JsonElement StructChainValue(int levels) =>
        JsonDocument.Parse(string.Concat(Enumerable.Repeat("""{ "next": """, levels)) + """{ "v": 1 }""" + new string('}', levels), DeepJson).RootElement;

    private static JsonElement ArrayNest(int levels) => JsonDocument.Parse($$"""
        { "types": { "One": [ { "name": "v", "type": "uint8{{string.Concat(Enumerable.Repeat("[]", levels))}}" } ] } }
        """, DeepJson).RootElement;

    private static JsonElement ArrayNestValue(int levels) =>
        JsonDocument.Parse("""{ "v": """ + new string('[', levels) + "1" + new string(']', levels) + " }", DeepJson).RootElement;

    private static byte[] Keccak(byte[] data)
    {
        var keccak = new KeccakDigest(256);
        keccak.BlockUpdate(data, 0, data.Length);
        var hash = new byte[32];
        keccak.DoFinal(hash, 0);
        return hash;
    }
}
