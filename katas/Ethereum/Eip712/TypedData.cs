using System.Text.Json;

namespace Koans.Ethereum.Eip712;

/// <summary>
/// Kata ethereum.eip712: hashing and signing typed structured data (EIP-712, <c>eth_signTypedData_v4</c>).
/// </summary>
/// <remarks>
/// <para>The rules are EIP-712's (https://eips.ethereum.org/EIPS/eip-712); the tests use the EIP's own Mail example.
/// Every method takes the whole typed-data document as a <see cref="JsonElement"/> in the shape wallets use:
/// <c>{ "types": { "EIP712Domain": [...], "Mail": [{ "name": "from", "type": "Person" }, ...] }, "primaryType": "Mail",
/// "domain": {...}, "message": {...} }</c>.</para>
/// <list type="bullet">
/// <item><description><b>encodeType</b>: <c>Name(type1 name1,type2 name2)</c> for the type, then the same for every
/// struct type it references, directly or not, <b>sorted by name</b>, each once (the primary type always first).</description></item>
/// <item><description><b>typeHash</b> = keccak256(encodeType).</description></item>
/// <item><description><b>encodeData</b> = typeHash || one 32-byte word per field, in declaration order: atomic types
/// (<c>uint&lt;M&gt;</c>, <c>int&lt;M&gt;</c>, <c>address</c>, <c>bool</c>, <c>bytes&lt;N&gt;</c>) ABI-encoded;
/// <c>string</c> and <c>bytes</c> as keccak256 of their contents; a struct field as its hashStruct; an array as
/// keccak256 of the concatenated encodings of its elements.</description></item>
/// <item><description><b>hashStruct</b> = keccak256(encodeData). The <b>domain separator</b> is hashStruct of the
/// <c>domain</c> as an <c>EIP712Domain</c>. The digest to sign is keccak256(0x19 0x01 || domainSeparator ||
/// hashStruct(message)).</description></item>
/// </list>
/// <para>JSON values: integers are JSON numbers (whole numbers only) or decimal / <c>0x</c> hex strings, with any
/// number of hex digits (<c>"chainId": "0x1"</c>, as wallets send it); addresses and bytes are <c>0x</c> hex strings
/// of whole bytes; bools are JSON booleans. Sign as in ethereum.sign-recover (secp256k1, deterministic RFC 6979 k, low
/// s, v = 27 + recovery id). This kata is its own project: write what you need here.</para>
/// <para>Atomic types are the sizes Solidity has: <c>uint8</c> to <c>uint256</c> and <c>int8</c> to <c>int256</c> in
/// steps of 8, <c>bytes1</c> to <c>bytes32</c>; any other size (<c>uint7</c>, <c>uint0</c>, <c>bytes33</c>) is an unknown
/// type. A value may nest structs and arrays at most 64 levels deep, counted from the message (or domain): each struct
/// field and each array level is one level. The document is untrusted input, and a caller may have parsed it with a
/// large <c>JsonDocumentOptions.MaxDepth</c>, so the limit must hold whatever the JSON depth is.</para>
/// <para>Errors: the document comes from a dapp, so every mistake in it is <see cref="ArgumentException"/>: an unknown
/// primary or field type, <c>types</c> that is not an object of field arrays, a field without a string <c>name</c> and
/// <c>type</c>, a <c>primaryType</c> that is not a string, a missing field, a value of the wrong JSON kind, hex that is
/// not <c>0x</c>-prefixed hex, an address that is not 20 bytes, a <c>bytesN</c> that is not N bytes, a number that is
/// not an integer, nesting deeper than 64; an integer outside its type's range is
/// <see cref="ArgumentOutOfRangeException"/>. A null <c>primaryType</c> argument is
/// <see cref="ArgumentNullException"/> naming <c>primaryType</c>.</para>
/// </remarks>
public static class TypedData
{
    /// <summary>The encodeType string of <paramref name="primaryType"/>.</summary>
    public static string EncodeType(JsonElement typedData, string primaryType) => throw new NotImplementedException();

    /// <summary>keccak256(encodeType).</summary>
    public static byte[] TypeHash(JsonElement typedData, string primaryType) => throw new NotImplementedException();

    /// <summary>typeHash || the 32-byte encoding of each field of <paramref name="data"/>.</summary>
    public static byte[] EncodeData(JsonElement typedData, string primaryType, JsonElement data) => throw new NotImplementedException();

    /// <summary>keccak256(encodeData).</summary>
    public static byte[] HashStruct(JsonElement typedData, string primaryType, JsonElement data) => throw new NotImplementedException();

    /// <summary>hashStruct("EIP712Domain", typedData.domain).</summary>
    public static byte[] DomainSeparator(JsonElement typedData) => throw new NotImplementedException();

    /// <summary>keccak256(0x1901 || domainSeparator || hashStruct(primaryType, message)): the digest to sign.</summary>
    public static byte[] SigningHash(JsonElement typedData) => throw new NotImplementedException();

    /// <summary>Signs <see cref="SigningHash"/>: 65 bytes r || s || v (v = 27 or 28), RFC 6979, low s.</summary>
    /// <exception cref="ArgumentException"><paramref name="privateKey"/> is not 32 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="privateKey"/> is 0 or not below the curve order n
    /// (both name <c>privateKey</c>).</exception>
    public static byte[] Sign(JsonElement typedData, ReadOnlySpan<byte> privateKey) => throw new NotImplementedException();
}
