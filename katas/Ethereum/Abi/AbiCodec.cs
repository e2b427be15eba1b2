namespace Koans.Ethereum.Abi;

/// <summary>
/// Kata ethereum.abi: the Solidity contract ABI encoding, static and dynamic types, both directions.
/// </summary>
/// <remarks>
/// <para>The rules are the Solidity ABI specification's "Formal Specification of the Encoding"
/// (https://docs.soliditylang.org/en/latest/abi-spec.html#formal-specification-of-the-encoding). Every value takes
/// 32-byte words. A sequence of values (a function's arguments, a tuple, an array's elements) is encoded as
/// <b>heads</b> then <b>tails</b>: a static value sits in its head; a <b>dynamic</b> value (<c>bytes</c>,
/// <c>string</c>, <c>T[]</c>, and any <c>T[k]</c> or tuple containing a dynamic type) puts in its head the
/// <em>offset</em> of its tail, measured in bytes from the start of that same sequence.</para>
/// <list type="bullet">
/// <item><description><c>uint&lt;M&gt;</c> (M = 8..256, step 8): big-endian, left-padded with zeros. <c>int&lt;M&gt;</c>:
/// two's complement, left-padded with 0xff for negatives. <c>address</c>: as uint160. <c>bool</c>: as uint8 0/1.</description></item>
/// <item><description><c>bytes&lt;N&gt;</c> (N = 1..32): the N bytes, right-padded. <c>bytes</c>: length word, then the
/// bytes right-padded to a multiple of 32. <c>string</c>: its UTF-8 bytes as <c>bytes</c>.</description></item>
/// <item><description><c>T[k]</c>: the k elements as a sequence. <c>T[]</c>: length word, then the elements as a
/// sequence (offsets inside count from just after the length word). Tuples <c>(T1,T2,...)</c>: the components as a sequence.</description></item>
/// </list>
/// <para>Type names are canonical only (<c>uint256</c>, never <c>uint</c>). .NET values per type:
/// integers are <c>System.Numerics.BigInteger</c> (<c>int</c>, <c>long</c>, <c>uint</c>, <c>ulong</c> are accepted
/// when encoding); <c>address</c> is a <c>"0x"</c> + 40 hex string (decoded lowercase); <c>bool</c> is <c>bool</c>;
/// <c>bytes</c> and <c>bytes&lt;N&gt;</c> are <c>byte[]</c>; <c>string</c> is <c>string</c>; arrays and tuples are any
/// <c>System.Collections.IList</c> when encoding and <c>object[]</c> when decoding.</para>
/// <para>Errors: a value out of its type's range is <see cref="ArgumentOutOfRangeException"/>; a value of the wrong
/// .NET type or size, a wrong array length, or an unknown type name is <see cref="ArgumentException"/>. Decoding
/// throws <see cref="FormatException"/> for data that is truncated, has an offset or length pointing outside the
/// data, or holds a non-canonical value (a bool of 2, a uint8 with high bytes set): never an
/// <see cref="IndexOutOfRangeException"/>, because calldata is attacker-controlled.</para>
/// <para>The function selector is the first 4 bytes of Keccak-256 of the signature (as in ethereum.keccak).</para>
/// </remarks>
public static class AbiCodec
{
    /// <summary>Encodes <paramref name="values"/> as the sequence of <paramref name="types"/> (a function's argument block).</summary>
    public static byte[] Encode(IReadOnlyList<string> types, IReadOnlyList<object> values) => throw new NotImplementedException();

    /// <summary>
    /// Calldata for a canonical signature such as <c>transfer(address,uint256)</c>: the 4-byte selector, then the
    /// encoded arguments.
    /// </summary>
    public static byte[] EncodeCall(string signature, params object[] args) => throw new NotImplementedException();

    /// <summary>Decodes an argument (or return) block of the given types.</summary>
    /// <exception cref="FormatException">Truncated, out-of-bounds, or non-canonical data.</exception>
    public static object[] Decode(IReadOnlyList<string> types, ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <summary>Decodes calldata for <paramref name="signature"/>, checking its selector first.</summary>
    /// <exception cref="FormatException">Shorter than 4 bytes, another selector, or as <see cref="Decode"/>.</exception>
    public static object[] DecodeCall(string signature, ReadOnlySpan<byte> calldata) => throw new NotImplementedException();
}
