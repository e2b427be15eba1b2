using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Koans.Ethereum.NethereumSigning;

public class KeyStoreTests
{
    // The test vectors of the Web3 Secret Storage Definition (ethereum.org, "Web3 secret storage definition", section
    // "Test vectors": password "testpassword", secret 7a28b5ba...fe9d, one PBKDF2-SHA-256 and one scrypt file), as
    // Nethereum's own tests carry them: tests/Nethereum.KeyStore.UnitTests/KeyStoreServiceTester.cs in Nethereum/Nethereum
    // (commit d0b2e2234d8a483c9258fd8f9829fda86e5cc45a).
    private const string Password = "testpassword";
    private const string Secret = "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";

    private const string Pbkdf2KeyFile = """
        {
            "crypto" : {
                "cipher" : "aes-128-ctr",
                "cipherparams" : { "iv" : "6087dab2f9fdbbfaddc31a909735c1e6" },
                "ciphertext" : "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
                "kdf" : "pbkdf2",
                "kdfparams" : {
                    "c" : 262144,
                    "dklen" : 32,
                    "prf" : "hmac-sha256",
                    "salt" : "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"
                },
                "mac" : "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"
            },
            "id" : "3198bc9c-6672-5ab3-d995-4942343ae5b6",
            "version" : 3
        }
        """;

    private const string ScryptKeyFile = """
        {
            "crypto" : {
                "cipher" : "aes-128-ctr",
                "cipherparams" : { "iv" : "83dbcc02d8ccb40e466191a123791e0e" },
                "ciphertext" : "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
                "kdf" : "scrypt",
                "kdfparams" : {
                    "dklen" : 32,
                    "n" : 262144,
                    "r" : 1,
                    "p" : 8,
                    "salt" : "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19"
                },
                "mac" : "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097"
            },
            "id" : "3198bc9c-6672-5ab3-d995-4942343ae5b6",
            "version" : 3
        }
        """;

    // PUBLIC TEST KEY: Anvil's account 1. A low scrypt cost keeps the tests quick; real files use n = 262144.
    private const string AnvilKey1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    private const string AnvilAddress1 = "70997970c51812dc3a010c7d01b50e0d17dc79c8";
    private const int LowCost = 1024;

    private static string Edit(string json, Action<JsonNode> edit)
    {
        var node = JsonNode.Parse(json)!;
        edit(node);
        return node.ToJsonString();
    }

    private static string FlipFirstHexDigit(string hex) => (hex[0] == '0' ? "1" : "0") + hex[1..];

    [Fact]
    public void Decrypt_opens_the_spec_s_PBKDF2_test_vector() =>
        KeyStore.Decrypt(Pbkdf2KeyFile, Password).Should().Be(Secret, "Web3 Secret Storage test vector, PBKDF2-SHA-256");

    [Fact]
    public void Decrypt_opens_the_spec_s_scrypt_test_vector() =>
        KeyStore.Decrypt(ScryptKeyFile, Password).Should().Be(Secret, "Web3 Secret Storage test vector, scrypt (n = 262144, r = 1, p = 8 read from the file)");

    [Fact]
    public void Decrypt_with_a_wrong_password_is_refused()
    {
        var act = () => KeyStore.Decrypt(Pbkdf2KeyFile, "testpassword!");

        act.Should().Throw<CryptographicException>("the MAC computed with the wrong derived key does not match: AES-CTR alone would return 32 bytes of garbage as a 'key'");
    }

    [Fact]
    public void Decrypt_of_a_file_with_a_tampered_MAC_or_ciphertext_is_refused()
    {
        var badMac = Edit(Pbkdf2KeyFile, n => n["crypto"]!["mac"] = FlipFirstHexDigit(n["crypto"]!["mac"]!.GetValue<string>()));
        var badCiphertext = Edit(Pbkdf2KeyFile, n => n["crypto"]!["ciphertext"] = FlipFirstHexDigit(n["crypto"]!["ciphertext"]!.GetValue<string>()));

        ((Action)(() => KeyStore.Decrypt(badMac, Password))).Should().Throw<CryptographicException>("the MAC is checked before anything is decrypted");
        ((Action)(() => KeyStore.Decrypt(badCiphertext, Password))).Should().Throw<CryptographicException>(
            "CTR mode is malleable: a flipped ciphertext bit flips the same key bit, and only the MAC notices");
    }

    [Fact]
    public void Encrypt_writes_a_version_3_scrypt_file_that_decrypts_to_the_key()
    {
        var json = KeyStore.Encrypt(AnvilKey1, "correct horse", LowCost);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        root.GetProperty("version").GetInt32().Should().Be(3);
        root.GetProperty("address").GetString().Should().Be(AnvilAddress1, "geth writes the address as 40 lowercase hex digits without 0x");
        var crypto = root.GetProperty("crypto");
        crypto.GetProperty("kdf").GetString().Should().Be("scrypt");
        crypto.GetProperty("cipher").GetString().Should().Be("aes-128-ctr");
        crypto.GetProperty("kdfparams").GetProperty("n").GetInt32().Should().Be(LowCost);
        crypto.GetProperty("kdfparams").GetProperty("r").GetInt32().Should().Be(8);
        crypto.GetProperty("kdfparams").GetProperty("p").GetInt32().Should().Be(1);
        KeyStore.Decrypt(json, "correct horse").Should().Be(AnvilKey1);
    }

    [Fact]
    public void Encrypt_uses_a_fresh_salt_and_IV_every_time()
    {
        using var first = JsonDocument.Parse(KeyStore.Encrypt(AnvilKey1, "correct horse", LowCost));
        using var second = JsonDocument.Parse(KeyStore.Encrypt(AnvilKey1, "correct horse", LowCost));

        var a = first.RootElement.GetProperty("crypto");
        var b = second.RootElement.GetProperty("crypto");
        a.GetProperty("kdfparams").GetProperty("salt").GetString().Should().NotBe(b.GetProperty("kdfparams").GetProperty("salt").GetString(),
            "a fixed salt lets one precomputed table attack every file");
        a.GetProperty("cipherparams").GetProperty("iv").GetString().Should().NotBe(b.GetProperty("cipherparams").GetProperty("iv").GetString(),
            "a repeated CTR key and IV leaks the XOR of the plaintexts");
        a.GetProperty("ciphertext").GetString().Should().NotBe(b.GetProperty("ciphertext").GetString());
    }

    [Fact]
    public void Decrypt_refuses_a_file_whose_address_field_names_another_account()
    {
        var json = KeyStore.Encrypt(AnvilKey1, "correct horse", LowCost);
        var lying = Edit(json, n => n["address"] = "f39fd6e51aad88f6f4ce6ab8827279cfffb92266");

        var act = () => KeyStore.Decrypt(lying, "correct horse");

        act.Should().Throw<InvalidDataException>("the address field is outside the MAC: anyone can edit it, so it must be checked against the key");
    }

    [Fact]
    public void Encrypt_rejects_a_key_that_is_not_32_bytes()
    {
        var act = () => KeyStore.Encrypt(AnvilKey1[..^2], "correct horse", LowCost);

        act.Should().Throw<ArgumentException>("31 bytes is not a secp256k1 private key");
    }

    [Theory]
    [InlineData("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", "no 0x")]
    [InlineData("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d00", "33 bytes")]
    [InlineData("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690g", "a g among the hex digits")]
    public void Encrypt_rejects_a_key_that_is_not_0x_and_64_hex_digits(string privateKey, string problem)
    {
        var act = () => KeyStore.Encrypt(privateKey, "correct horse", LowCost);

        act.Should().Throw<ArgumentException>().WithParameterName("privateKey",
            $"{problem}: the key is documented as 0x + 64 hex digits, and a key file of a misread key locks away the wrong secret");
    }

    [Theory]
    [InlineData("0x70997970c51812dc3a010c7d01b50e0d17dc79c8")]
    [InlineData("70997970C51812dc3A010C7d01b50e0d17dc79C8")]
    [InlineData("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")]
    public void Decrypt_accepts_the_keys_own_address_with_0x_or_in_checksum_case(string address)
    {
        var json = Edit(KeyStore.Encrypt(AnvilKey1, "correct horse", LowCost), n => n["address"] = address);

        KeyStore.Decrypt(json, "correct horse").Should().Be(AnvilKey1,
            $"{address} is the key's own account: 0x and EIP-55 case are spellings, not another address");
    }

    [Theory]
    [InlineData("5")]
    [InlineData("null")]
    [InlineData("\"\"")]
    public void Decrypt_refuses_an_address_field_that_is_not_the_keys_address(string address)
    {
        var json = Edit(KeyStore.Encrypt(AnvilKey1, "correct horse", LowCost), n => n["address"] = JsonNode.Parse(address));

        var act = () => KeyStore.Decrypt(json, "correct horse");

        act.Should().Throw<InvalidDataException>($"an address field of {address} does not name the key's account, and a wallet must not show it");
    }

    [Fact]
    public void Decrypt_and_Encrypt_name_their_null_argument()
    {
        ((Action)(() => KeyStore.Decrypt(null!, Password))).Should().Throw<ArgumentNullException>().WithParameterName("keyFileJson");
        ((Action)(() => KeyStore.Decrypt(Pbkdf2KeyFile, null!))).Should().Throw<ArgumentNullException>().WithParameterName("password");
        ((Action)(() => KeyStore.Encrypt(null!, Password, LowCost))).Should().Throw<ArgumentNullException>().WithParameterName("privateKey");
        ((Action)(() => KeyStore.Encrypt(AnvilKey1, null!, LowCost))).Should().Throw<ArgumentNullException>().WithParameterName("password");
    }
}
