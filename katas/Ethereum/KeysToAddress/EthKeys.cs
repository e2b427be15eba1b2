namespace Koans.Ethereum.KeysToAddress;

/// <summary>
/// Kata ethereum.keys-to-address: from a secp256k1 private key to an Ethereum address.
/// </summary>
/// <remarks>
/// <para>The chain of custody: a 32-byte <b>private key</b> d, an integer with 1 &lt;= d &lt; n (n is the order of
/// secp256k1); the <b>public key</b> Q = d·G, written uncompressed as <c>0x04 || X || Y</c> (65 bytes, SEC 1
/// section 2.3.3); the <b>address</b> = the last 20 bytes of Keccak-256(X || Y), the 64 bytes <em>without</em> the
/// 0x04 prefix; shown as EIP-55 mixed case.</para>
/// <para>The code must run on Linux, Windows and macOS alike, and a public key handed in from outside must be checked
/// to lie on the curve before anything is derived from it.</para>
/// <para>The test vectors are Anvil's well-known development accounts. Their keys are public: never send real funds
/// to them on any real network.</para>
/// </remarks>
public static class EthKeys
{
    /// <summary>The uncompressed public key <c>0x04 || X || Y</c> (65 bytes) of a 32-byte private key.</summary>
    /// <exception cref="ArgumentException"><paramref name="privateKey"/> is not 32 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The key is 0 or not below the curve order n.</exception>
    public static byte[] PublicKeyFromPrivateKey(ReadOnlySpan<byte> privateKey) => throw new NotImplementedException();

    /// <summary>
    /// The 20-byte address of an uncompressed public key (65 bytes starting 0x04, or the bare 64 bytes X || Y).
    /// </summary>
    /// <exception cref="ArgumentException">Another length or prefix (a compressed 33-byte key, for instance), or a
    /// point that is not on secp256k1.</exception>
    public static byte[] AddressFromPublicKey(ReadOnlySpan<byte> publicKey) => throw new NotImplementedException();

    /// <summary>
    /// The EIP-55 checksummed address (<c>0x</c> + 40 mixed-case hex digits) of a private key given as <c>0x</c> + 64
    /// hex digits.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="privateKeyHex"/> is null.</exception>
    /// <exception cref="FormatException">Not <c>0x</c> + 64 hex digits.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The key is 0 or not below the curve order n.</exception>
    public static string AddressFromPrivateKey(string privateKeyHex) => throw new NotImplementedException();
}
