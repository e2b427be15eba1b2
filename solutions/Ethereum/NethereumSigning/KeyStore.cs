using System.Security.Cryptography;
using System.Text.Json;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Crypto;
using Nethereum.KeyStore.Model;
using Nethereum.Signer;

namespace Koans.Ethereum.NethereumSigning;

/// <summary>Reference solution for ethereum.nethereum-signing (Web3 Secret Storage).</summary>
public static class KeyStore
{
    public static string Decrypt(string keyFileJson, string password)
    {
        ArgumentNullException.ThrowIfNull(keyFileJson);
        // A null password: the key store service throws ArgumentNullException("password") itself.
        byte[] key;
        try
        {
            // Picks scrypt or PBKDF2 from crypto.kdf, derives the key, checks the MAC, then decrypts.
            key = new KeyStoreService().DecryptKeyStoreFromJson(password, keyFileJson);
        }
        catch (DecryptionException e)
        {
            throw new CryptographicException("Wrong password, or the key file was modified: its MAC does not match.", e);
        }

        var privateKey = "0x" + Convert.ToHexStringLower(key);
        CheckAddressField(keyFileJson, new EthECKey(privateKey).GetPublicAddress());
        return privateKey;
    }

    public static string Encrypt(string privateKey, string password, int scryptN = 262144)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        // A null password: the scrypt service throws ArgumentNullException("password") itself.
        if (!privateKey.StartsWith("0x", StringComparison.Ordinal) || privateKey.Length != 66 || !privateKey.Skip(2).All(Uri.IsHexDigit))
        {
            throw new ArgumentException("A private key is 0x + 64 hex digits (32 bytes).", nameof(privateKey));
        }

        var hex = privateKey[2..];

        var address = new EthECKey(hex).GetPublicAddress();
        // The service draws a new random salt and IV for every call; the parameters are geth's "standard" shape.
        var scrypt = new ScryptParams { Dklen = 32, N = scryptN, R = 8, P = 1 };
        return new KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson(
            password, Convert.FromHexString(hex), address[2..].ToLowerInvariant(), scrypt);
    }

    private static void CheckAddressField(string keyFileJson, string keyAddress)
    {
        using var document = JsonDocument.Parse(keyFileJson);
        if (!document.RootElement.TryGetProperty("address", out var field))
        {
            return;
        }

        // geth writes 40 hex digits without 0x; other tools add 0x or checksum case. Anything else is not this key's address.
        var stated = field.ValueKind == JsonValueKind.String ? field.GetString()! : field.GetRawText();
        if (!string.Equals(stated, keyAddress[2..], StringComparison.OrdinalIgnoreCase) &&
            !string.Equals(stated, keyAddress, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"The key file says it holds {stated}, but its key belongs to {keyAddress}: the address field is not authenticated.");
        }
    }
}
