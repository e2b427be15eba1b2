namespace Koans.Ethereum.Eip55;

/// <summary>
/// Kata ethereum.eip55: mixed-case checksum addresses (EIP-55).
/// </summary>
/// <remarks>
/// <para>An address is 20 bytes, written <c>0x</c> + 40 hex digits. Hex is case-insensitive, so EIP-55 hides a
/// checksum in the case of the letters: take the <b>lowercase hex string</b> (40 ASCII characters, without
/// <c>0x</c>), hash that <em>text</em> with Keccak-256 (BouncyCastle <c>KeccakDigest(256)</c>; not SHA3-256, and not
/// the 20 raw bytes), and uppercase the i-th letter when the i-th nibble of the hash is 8 or more (its top bit is set).
/// Digits stay digits.</para>
/// <para>An all-lowercase or all-uppercase address carries no checksum (it predates EIP-55 or came from a system that
/// lost the case). Wallets accept it as it is. A mixed-case address <em>claims</em> a checksum, and a wrong one means
/// a typo: reject it, because a transfer to a mistyped address is gone for good.</para>
/// </remarks>
public static class ChecksumAddress
{
    /// <summary>The EIP-55 string of a 20-byte address: <c>0x</c> + 40 mixed-case hex digits.</summary>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not 20 bytes.</exception>
    public static string Encode(ReadOnlySpan<byte> address) => throw new NotImplementedException();

    /// <summary>
    /// True when <paramref name="address"/> is <c>0x</c> + 40 hex digits whose case is exactly the EIP-55 checksum;
    /// false for anything else (a wrong case pattern, a wrong length, a missing prefix). Never throws for a non-null input.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    public static bool HasValidChecksum(string address) => throw new NotImplementedException();

    /// <summary>
    /// Parses an address as a wallet would: all-lowercase and all-uppercase are accepted without a checksum; mixed
    /// case must carry a valid checksum.
    /// </summary>
    /// <returns>The 20 address bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    /// <exception cref="FormatException">Not <c>0x</c> + 40 hex digits, or mixed case with a wrong checksum.</exception>
    public static byte[] Parse(string address) => throw new NotImplementedException();
}
