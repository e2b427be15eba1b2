namespace Koans.Ethereum.Eip55;

/// <summary>
/// Kata ethereum.eip55: mixed-case checksum addresses (EIP-55).
/// </summary>
/// <remarks>
/// <para>An address is 20 bytes, written <c>0x</c> + 40 hex digits. Hex is case-insensitive, so EIP-55 hides a
/// checksum in the case of the letters, derived from the Keccak-256 of the address as the specification defines it
/// (https://eips.ethereum.org/EIPS/eip-55: read exactly what the hash is computed over). Digits stay digits. The tests use
/// the EIP's own examples.</para>
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
