using System.Numerics;

namespace Koans.Ethereum.UnitsAndQuantities;

/// <summary>
/// Kata ethereum.units-and-quantities, part 2: the two hex encodings of the Ethereum JSON-RPC API.
/// </summary>
/// <remarks>
/// <para>The JSON-RPC API ("Hex value encoding" in the ethereum.org JSON-RPC docs, and EIP-1474) has two hex types,
/// and mixing them up is the most common bug in hand-written clients:</para>
/// <list type="bullet">
/// <item><description><b>QUANTITY</b> (numbers: balances, nonces, block numbers, gas): <c>0x</c> and the most compact
/// hex, no leading zeros, zero is <c>0x0</c>. <c>"0x"</c>, <c>"0x0400"</c> and <c>"ff"</c> are invalid.</description></item>
/// <item><description><b>DATA</b> (bytes: addresses, hashes, calldata): <c>0x</c> and two hex digits per byte, so an
/// even number of digits; <c>"0x"</c> is the empty byte array. <c>"0xf0f0f"</c> and <c>"004200"</c> are invalid.</description></item>
/// </list>
/// <para>Encode lowercase; accept either case when decoding. A QUANTITY is never negative: <c>"0xff"</c> is 255, and
/// 255 encodes as <c>"0xff"</c>, not <c>"0x0ff"</c>. Source: https://ethereum.org/developers/docs/apis/json-rpc/#hex-encoding
/// and EIP-1474 (https://eips.ethereum.org/EIPS/eip-1474).</para>
/// </remarks>
public static class RpcHex
{
    /// <summary>Encodes a non-negative integer as a QUANTITY: <c>0</c> is <c>"0x0"</c>, 1024 is <c>"0x400"</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative.</exception>
    public static string EncodeQuantity(BigInteger value) => throw new NotImplementedException();

    /// <summary>Decodes a QUANTITY, enforcing the encoding rules above.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="hex"/> is null.</exception>
    /// <exception cref="FormatException">Missing <c>0x</c>, no digits, a leading zero, or a non-hex digit.</exception>
    public static BigInteger DecodeQuantity(string hex) => throw new NotImplementedException();

    /// <summary>Encodes bytes as DATA: <c>0x</c> and two lowercase hex digits per byte; empty is <c>"0x"</c>.</summary>
    public static string EncodeData(ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <summary>Decodes DATA.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="hex"/> is null.</exception>
    /// <exception cref="FormatException">Missing <c>0x</c>, an odd number of digits, or a non-hex digit.</exception>
    public static byte[] DecodeData(string hex) => throw new NotImplementedException();
}
