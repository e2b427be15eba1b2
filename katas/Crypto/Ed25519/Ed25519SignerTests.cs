namespace Koans.Crypto.Ed25519;

public class Ed25519SignerTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    // RFC 8032 section 7.1, TEST 1 (empty message), TEST 2 (one byte, 0x72) and TEST 3 (two bytes, 0xaf82):
    // SECRET KEY, PUBLIC KEY, MESSAGE, SIGNATURE.
    public static TheoryData<string, string, string, string, string> Rfc8032 => new()
    {
        {
            "TEST 1",
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        },
        {
            "TEST 2",
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        },
        {
            "TEST 3",
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        },
    };

    // RFC 8410 section 10.3 (private key example) and section 10.1 (its public key example).
    private const string Rfc8410PrivatePem =
        "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
    private const string Rfc8410PublicPem =
        "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";

    [Theory]
    [MemberData(nameof(Rfc8032))]
    public void PublicKeyFromPrivate_matches_RFC_8032_section_7_1(string test, string secret, string @public, string message,
        string signature)
    {
        _ = (message, signature);
        Convert.ToHexStringLower(Ed25519Signer.PublicKeyFromPrivate(Hex(secret))).Should().Be(@public,
            $"RFC 8032 section 7.1 {test} gives this public key for its secret key");
    }

    [Theory]
    [MemberData(nameof(Rfc8032))]
    public void Sign_matches_RFC_8032_section_7_1(string test, string secret, string @public, string message, string signature)
    {
        _ = @public;
        Convert.ToHexStringLower(Ed25519Signer.Sign(Hex(secret), Hex(message))).Should().Be(signature,
            $"Ed25519 is deterministic, so the signature must equal RFC 8032 section 7.1 {test} exactly");
    }

    [Theory]
    [MemberData(nameof(Rfc8032))]
    public void Verify_accepts_the_RFC_8032_signatures(string test, string secret, string @public, string message,
        string signature)
    {
        _ = secret;
        Ed25519Signer.Verify(Hex(@public), Hex(message), Hex(signature)).Should().BeTrue($"RFC 8032 {test} is a valid signature");
    }

    [Fact]
    public void Verify_rejects_the_signature_with_one_flipped_bit_in_the_message()
    {
        // RFC 8032 section 7.1 TEST 3, message 0xaf82 changed to 0xaf83.
        var valid = Ed25519Signer.Verify(Hex("fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025"), Hex("af83"),
            Hex("6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"));

        valid.Should().BeFalse("the signature covers every bit of the message");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(63)]
    public void Verify_rejects_a_signature_with_one_flipped_bit(int byteIndex)
    {
        // RFC 8032 section 7.1 TEST 2's signature, one bit flipped in R (bytes 0..31) or in S (bytes 32..63).
        var signature = Hex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
        signature[byteIndex] ^= 0x01;

        Ed25519Signer.Verify(Hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"), Hex("72"), signature)
            .Should().BeFalse($"byte {byteIndex} of the signature was changed");
    }

    [Fact]
    public void Verify_rejects_a_valid_signature_under_another_public_key() =>
        // RFC 8032 TEST 2's message and signature, checked against TEST 1's public key.
        Ed25519Signer.Verify(Hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"), Hex("72"),
                Hex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"))
            .Should().BeFalse("the signature was made by TEST 2's key");

    [Fact]
    public void Verify_returns_false_for_a_truncated_signature() =>
        Ed25519Signer.Verify(Hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"), Hex("72"),
                Hex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"))
            .Should().BeFalse("a 32-byte signature is just a wrong signature: false, not an exception");

    [Fact]
    public void Sign_then_Verify_round_trips_with_a_generated_key()
    {
        var privateKey = Ed25519Signer.GeneratePrivateKey();
        var message = "release v1.2.3 sha256=..."u8.ToArray();

        var signature = Ed25519Signer.Sign(privateKey, message);

        signature.Should().HaveCount(64);
        Ed25519Signer.Verify(Ed25519Signer.PublicKeyFromPrivate(privateKey), message, signature).Should().BeTrue();
    }

    [Fact]
    public void ImportPrivateKeyPem_reads_the_RFC_8410_example_and_its_public_key_matches()
    {
        var seed = Ed25519Signer.ImportPrivateKeyPem(Rfc8410PrivatePem);

        Convert.ToHexStringLower(seed).Should().Be("d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842",
            "the PKCS#8 structure wraps the 32-byte seed in an OCTET STRING");
        // Compare keys, not PEM text: PEM line endings (LF or CRLF) differ between libraries.
        Ed25519Signer.PublicKeyFromPrivate(seed).Should().Equal(Ed25519Signer.ImportPublicKeyPem(Rfc8410PublicPem),
            "RFC 8410 section 10.1 is the public key of section 10.3's private key");
    }

    [Fact]
    public void PEM_export_and_import_round_trip()
    {
        var privateKey = Ed25519Signer.GeneratePrivateKey();
        var publicKey = Ed25519Signer.PublicKeyFromPrivate(privateKey);

        var privatePem = Ed25519Signer.ExportPrivateKeyPem(privateKey);
        var publicPem = Ed25519Signer.ExportPublicKeyPem(publicKey);

        privatePem.Should().StartWith("-----BEGIN PRIVATE KEY-----");
        publicPem.Should().StartWith("-----BEGIN PUBLIC KEY-----");
        Ed25519Signer.ImportPrivateKeyPem(privatePem).Should().Equal(privateKey);
        Ed25519Signer.ImportPublicKeyPem(publicPem).Should().Equal(publicKey);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a key")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQ\n-----END PUBLIC KEY-----\n")]
    // An X25519 public key (OID 1.3.101.110, RFC 8410 section 3) is not an Ed25519 key.
    [InlineData("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VuAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n")]
    public void ImportPublicKeyPem_rejects_malformed_input_with_FormatException(string pem)
    {
        var act = () => Ed25519Signer.ImportPublicKeyPem(pem);

        act.Should().Throw<FormatException>("a broken or foreign key file is a configuration error, reported as such");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a key")]
    // RFC 8410 section 10.1's public key: a public key file where a private key belongs.
    [InlineData("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n")]
    // RFC 8410 section 10.3's private key with the X25519 OID (1.3.101.110) in place of Ed25519's (1.3.101.112).
    [InlineData("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VuBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n")]
    public void ImportPrivateKeyPem_rejects_malformed_or_foreign_input_with_FormatException(string pem)
    {
        var act = () => Ed25519Signer.ImportPrivateKeyPem(pem);

        act.Should().Throw<FormatException>("only an unencrypted Ed25519 PKCS#8 key is a private key here; anything else is a configuration error");
    }

    [Fact]
    public void Null_PEM_text_is_refused_by_name()
    {
        ((Action)(() => Ed25519Signer.ImportPublicKeyPem(null!))).Should().Throw<ArgumentNullException>().WithParameterName("pem");
        ((Action)(() => Ed25519Signer.ImportPrivateKeyPem(null!))).Should().Throw<ArgumentNullException>().WithParameterName("pem");
    }

    [Theory]
    [InlineData(31)]
    [InlineData(64)] // a seed with its public key appended, as libsodium's crypto_sign_SECRETKEYBYTES stores it
    public void A_private_key_that_is_not_a_32_byte_seed_is_refused(int length)
    {
        var act = () => Ed25519Signer.Sign(new byte[length], "m"u8);

        act.Should().Throw<ArgumentException>($"an Ed25519 private key here is the 32-byte seed of RFC 8032, not {length} bytes");
    }
}
