using System.Security.Cryptography;

namespace Koans.Crypto.X25519Handshake;

public class SealedBoxTests
{
    // RFC 7748 section 6.1 (Curve25519 Diffie-Hellman example).
    private static readonly byte[] AlicePrivate = Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    private const string AlicePublic = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private static readonly byte[] BobPrivate = Convert.FromHexString("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    private const string BobPublic = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private const string SharedK = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    private static readonly byte[] Context = "to: bob, subject: keys"u8.ToArray();

    // Low-order Curve25519 points: libsodium's blocklist in src/libsodium/crypto_scalarmult/curve25519/ref10/x25519_ref10.c
    // (has_small_order), after cr.yp.to/ecdh.html "How do I validate Curve25519 public keys?".
    public static TheoryData<string> LowOrderPoints => new()
    {
        "0000000000000000000000000000000000000000000000000000000000000000", // 0
        "0100000000000000000000000000000000000000000000000000000000000000", // 1
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", // order 8
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157", // order 8
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p - 1 (order 2)
    };

    [Fact]
    public void PublicKeyFromPrivate_matches_RFC_7748_section_6_1()
    {
        Convert.ToHexStringLower(SealedBox.PublicKeyFromPrivate(AlicePrivate)).Should().Be(AlicePublic,
            "RFC 7748 section 6.1 gives Alice's public key X25519(a, 9)");
        Convert.ToHexStringLower(SealedBox.PublicKeyFromPrivate(BobPrivate)).Should().Be(BobPublic,
            "RFC 7748 section 6.1 gives Bob's public key X25519(b, 9)");
    }

    [Fact]
    public void SharedSecret_matches_RFC_7748_section_6_1_from_both_sides()
    {
        Convert.ToHexStringLower(SealedBox.SharedSecret(AlicePrivate, Convert.FromHexString(BobPublic))).Should().Be(SharedK,
            "RFC 7748 section 6.1: X25519(a, X25519(b, 9)) = K");
        Convert.ToHexStringLower(SealedBox.SharedSecret(BobPrivate, Convert.FromHexString(AlicePublic))).Should().Be(SharedK,
            "and X25519(b, X25519(a, 9)) = the same K: that is what makes it an agreement");
    }

    [Fact]
    public void Open_returns_what_Seal_sealed()
    {
        var (privateKey, publicKey) = SealedBox.GenerateKeyPair();

        var sealedMessage = SealedBox.Seal(publicKey, "the vault code is 4711"u8, Context);

        SealedBox.Open(privateKey, sealedMessage, Context).Should().Equal("the vault code is 4711"u8.ToArray());
    }

    [Fact]
    public void Each_sealed_message_uses_a_fresh_ephemeral_key()
    {
        var (_, publicKey) = SealedBox.GenerateKeyPair();

        var first = SealedBox.Seal(publicKey, "same"u8, Context);
        var second = SealedBox.Seal(publicKey, "same"u8, Context);

        first.Should().HaveCount(32 + 4 + 16, "ephemeral public key, ciphertext, tag");
        first.AsSpan(0, 32).ToArray().Should().NotEqual(second.AsSpan(0, 32).ToArray(),
            "a new ephemeral key per message gives a new shared secret, key and nonce per message");
    }

    [Theory]
    [MemberData(nameof(LowOrderPoints))]
    public void SharedSecret_rejects_a_low_order_public_key(string point)
    {
        var act = () => SealedBox.SharedSecret(AlicePrivate, Convert.FromHexString(point));

        act.Should().Throw<CryptographicException>(
            "with a low-order point every private key gives the all-zero shared secret: an attacker would know the key");
    }

    [Theory]
    [MemberData(nameof(LowOrderPoints))]
    public void Seal_refuses_to_seal_to_a_low_order_public_key(string point)
    {
        var act = () => SealedBox.Seal(Convert.FromHexString(point), "secret"u8, Context);

        act.Should().Throw<CryptographicException>("the message would be encrypted under a key anyone can compute");
    }

    [Fact]
    public void Open_rejects_a_message_sealed_to_someone_else()
    {
        var (_, bobPublic) = SealedBox.GenerateKeyPair();
        var (evePrivate, _) = SealedBox.GenerateKeyPair();
        var sealedMessage = SealedBox.Seal(bobPublic, "for Bob only"u8, Context);

        var act = () => SealedBox.Open(evePrivate, sealedMessage, Context);

        act.Should().Throw<CryptographicException>("only Bob's private key gives the shared secret");
    }

    [Fact]
    public void Open_rejects_a_change_to_any_byte()
    {
        var (privateKey, publicKey) = SealedBox.GenerateKeyPair();
        var sealedMessage = SealedBox.Seal(publicKey, "pay 100 EUR"u8, Context);

        for (var i = 0; i < sealedMessage.Length; i++)
        {
            var tampered = (byte[])sealedMessage.Clone();
            tampered[i] ^= 0x01;

            var act = () => SealedBox.Open(privateKey, tampered, Context);

            act.Should().Throw<CryptographicException>(
                $"byte {i} was flipped: the ephemeral key feeds the KDF, and the AEAD covers ciphertext and tag");
        }
    }

    [Fact]
    public void Open_rejects_different_associated_data()
    {
        var (privateKey, publicKey) = SealedBox.GenerateKeyPair();
        var sealedMessage = SealedBox.Seal(publicKey, "keys"u8, Context);

        var act = () => SealedBox.Open(privateKey, sealedMessage, "to: mallory"u8);

        act.Should().Throw<CryptographicException>("the associated data is authenticated");
    }

    [Fact]
    public void Open_rejects_a_message_shorter_than_key_and_tag()
    {
        var (privateKey, publicKey) = SealedBox.GenerateKeyPair();
        var sealedMessage = SealedBox.Seal(publicKey, ""u8, Context);

        var act = () => SealedBox.Open(privateKey, sealedMessage.AsSpan(0, 47), Context);

        act.Should().Throw<CryptographicException>("32 + 16 bytes is the minimum; anything shorter is rejected, not parsed");
    }

    // The other side of each message is built from independent parts, not from this class's own Seal or Open: the
    // RFC 7748 shared secret above, .NET's HKDF (RFC 5869) and .NET's ChaCha20Poly1305 (RFC 8439), following the
    // construction the stub specifies. A Seal and an Open that share a mistake (a salt without the public keys, say)
    // agree with each other; they do not agree with these.
    private static (byte[] Key, byte[] Nonce) KeyAndNonce(byte[] shared, ReadOnlySpan<byte> ephemeralPublic, ReadOnlySpan<byte> recipientPublic)
    {
        byte[] salt = [.. ephemeralPublic, .. recipientPublic];
        var okm = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 44, salt, SealedBox.Info.ToArray());
        return (okm[..32], okm[32..]);
    }

    [Fact]
    public void Open_reads_a_message_sealed_by_an_independent_implementation()
    {
        // Alice's RFC 7748 key pair as the ephemeral one, Bob as the recipient: the shared secret is the RFC's K.
        var plaintext = "the vault code is 4711"u8.ToArray();
        var (key, nonce) = KeyAndNonce(Convert.FromHexString(SharedK), Convert.FromHexString(AlicePublic), Convert.FromHexString(BobPublic));
        var sealedMessage = new byte[32 + plaintext.Length + 16];
        Convert.FromHexString(AlicePublic).CopyTo(sealedMessage, 0);
        using (var aead = new ChaCha20Poly1305(key))
        {
            aead.Encrypt(nonce, plaintext, sealedMessage.AsSpan(32, plaintext.Length), sealedMessage.AsSpan(32 + plaintext.Length), Context);
        }

        SealedBox.Open(BobPrivate, sealedMessage, Context).Should().Equal(plaintext,
            "HKDF-SHA256(K, salt = ephemeral public || recipient public, info) gives key and nonce; ChaCha20-Poly1305 does the rest");
    }

    [Fact]
    public void Seal_writes_what_an_independent_implementation_opens()
    {
        var plaintext = "the vault code is 4711"u8.ToArray();
        var (privateKey, publicKey) = SealedBox.GenerateKeyPair();
        var sealedMessage = SealedBox.Seal(publicKey, plaintext, Context);

        var ephemeralPublic = sealedMessage.AsSpan(0, 32);
        var (key, nonce) = KeyAndNonce(SealedBox.SharedSecret(privateKey, ephemeralPublic), ephemeralPublic, publicKey);
        var opened = new byte[plaintext.Length];
        using var aead = new ChaCha20Poly1305(key);
        var act = () => aead.Decrypt(nonce, sealedMessage.AsSpan(32, plaintext.Length), sealedMessage.AsSpan(32 + plaintext.Length), opened, Context);

        act.Should().NotThrow("the sealed message must be ChaCha20-Poly1305 under the key and nonce the stub's HKDF step specifies");
        opened.Should().Equal(plaintext);
    }

    [Fact]
    public void An_empty_message_seals_to_48_bytes_and_opens()
    {
        var (privateKey, publicKey) = SealedBox.GenerateKeyPair();

        var sealedMessage = SealedBox.Seal(publicKey, ""u8, Context);

        sealedMessage.Should().HaveCount(48, "ephemeral key and tag, no ciphertext");
        SealedBox.Open(privateKey, sealedMessage, Context).Should().BeEmpty("48 bytes is the shortest valid sealed message, not a short one");
    }

    [Fact]
    public void A_private_key_that_is_not_32_bytes_is_refused()
    {
        var sealedMessage = SealedBox.Seal(Convert.FromHexString(BobPublic), "x"u8, Context);

        var act = () => SealedBox.Open(BobPrivate[..31], sealedMessage, Context);

        act.Should().Throw<ArgumentException>("a 31-byte private key is a caller's bug, not a message that failed to open");
    }
}
