using System.Numerics;

namespace Koans.Ethereum.Rlp;

/// <summary>
/// Kata ethereum.rlp: Recursive Length Prefix, the serialization of transactions, blocks and the state trie.
/// </summary>
/// <remarks>
/// <para>The rules (Ethereum Yellow Paper appendix B; ethereum.org "Recursive-length prefix"):</para>
/// <list type="bullet">
/// <item><description>A single byte in [0x00, 0x7f] is its own encoding.</description></item>
/// <item><description>A string of 0-55 bytes: <c>0x80 + length</c>, then the bytes (the empty string is 0x80).</description></item>
/// <item><description>A longer string: <c>0xb7 + length-of-length</c>, the length big-endian with no leading zeros,
/// then the bytes.</description></item>
/// <item><description>A list whose concatenated item encodings total 0-55 bytes: <c>0xc0 + total</c>, then the
/// items; longer: <c>0xf7 + length-of-length</c>, the length, the items.</description></item>
/// <item><description>Integers are big-endian with no leading zero bytes; zero is the empty string (0x80).</description></item>
/// </list>
/// <para>Decoding must be <b>canonical</b>: every value has exactly one encoding, and anything else is rejected with
/// <see cref="RlpException"/>: a single byte below 0x80 wrapped as <c>0x81 0x00</c>, a long form used for a length
/// under 56, a length with leading zero bytes, a length that runs past the input, trailing bytes after the item.
/// Non-canonical acceptance is a consensus bug: two nodes would hash "the same" transaction differently.</para>
/// <para>The input is attacker-controlled (a peer's block, a raw transaction), so decoding also has a nesting limit:
/// lists nested more than <see cref="MaxNestingDepth"/> deep are rejected with <see cref="RlpException"/> before they
/// can exhaust the stack. A stack overflow cannot be caught in .NET; it ends the whole process.</para>
/// </remarks>
public static class RlpCodec
{
    /// <summary>
    /// The deepest nesting <see cref="Decode"/> accepts: 128 lists inside each other (the outermost list counts as 1,
    /// <c>[[]]</c> is 2). Ethereum's own structures nest no deeper than 4; anything past the limit is an attack.
    /// </summary>
    public const int MaxNestingDepth = 128;

    /// <summary>The RLP encoding of <paramref name="item"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is null.</exception>
    public static byte[] Encode(RlpItem item) => throw new NotImplementedException();

    /// <summary>Decodes exactly one item that spans all of <paramref name="encoded"/>.</summary>
    /// <exception cref="RlpException">Empty, truncated, non-canonical, followed by extra bytes, or nested deeper than
    /// <see cref="MaxNestingDepth"/>.</exception>
    public static RlpItem Decode(ReadOnlySpan<byte> encoded) => throw new NotImplementedException();

    /// <summary>The RLP string of a non-negative integer: big-endian, no leading zero bytes, zero is empty.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative.</exception>
    public static RlpString Integer(BigInteger value) => throw new NotImplementedException();

    /// <summary>Reads an RLP string as a non-negative integer.</summary>
    /// <exception cref="RlpException">The string has a leading zero byte (not canonical).</exception>
    public static BigInteger ToInteger(RlpString value) => throw new NotImplementedException();

    /// <summary>
    /// The address of a contract created by <paramref name="sender"/> (20 bytes) with the CREATE opcode or a
    /// deployment transaction at <paramref name="nonce"/>: the last 20 bytes of keccak256(rlp([sender, nonce]))
    /// (Yellow Paper section 7).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="sender"/> is not 20 bytes.</exception>
    public static byte[] ContractAddress(ReadOnlySpan<byte> sender, ulong nonce) => throw new NotImplementedException();
}
