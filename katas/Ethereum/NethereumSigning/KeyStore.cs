namespace Koans.Ethereum.NethereumSigning;

/// <summary>
/// Kata ethereum.nethereum-signing, part 2: encrypted key files in the Web3 Secret Storage format (version 3), the
/// files geth, Clef, MetaMask exports and web3.py's <c>Account.encrypt</c> / <c>Account.decrypt</c> read and write,
/// with Nethereum.KeyStore.
/// </summary>
/// <remarks>
/// A key file holds the private key encrypted with AES-128-CTR under a key derived from the password (scrypt or
/// PBKDF2, with the parameters in the file), and a MAC: keccak256(derivedKey[16..32] ‖ ciphertext). The MAC is what
/// tells a wrong password (or a tampered file) from the right one; without it, decryption "succeeds" with garbage.
/// The optional <c>address</c> field is <b>not</b> covered by the MAC.
/// </remarks>
public static class KeyStore
{
    /// <summary>
    /// Decrypts a version 3 key file (scrypt or PBKDF2) and returns the private key, 0x + 64 lowercase hex digits.
    /// When the file has an <c>address</c> field, it must be the address of the decrypted key: 40 hex digits, with or
    /// without 0x, in any case (geth writes lowercase without 0x; others add 0x or EIP-55 case). Any other value of the
    /// field, a number or null included, names another account.
    /// </summary>
    /// <exception cref="ArgumentNullException">A null argument (named).</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">Wrong password, or the file was tampered
    /// with (the MAC does not match). The two cannot be told apart, by design.</exception>
    /// <exception cref="InvalidDataException">The file decrypts, but its <c>address</c> field names another account:
    /// the field is unauthenticated, and trusting it would show (or pay) the wrong address.</exception>
    public static string Decrypt(string keyFileJson, string password) => throw new NotImplementedException();

    /// <summary>
    /// Encrypts <paramref name="privateKey"/> (0x + 64 hex digits) into a version 3 key file: scrypt with
    /// n = <paramref name="scryptN"/> (a power of two; geth's standard is 262144), r = 8, p = 1, dklen = 32; AES-128-CTR;
    /// a fresh random salt and IV every time; and the <c>address</c> field as geth writes it: the key's address in 40
    /// lowercase hex digits, without 0x.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="privateKey"/> is not 0x + 64 hex digits (32 bytes), naming
    /// <c>privateKey</c>.</exception>
    /// <exception cref="ArgumentNullException">A null argument (named).</exception>
    public static string Encrypt(string privateKey, string password, int scryptN = 262144) => throw new NotImplementedException();
}
