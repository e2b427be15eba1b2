using System.Security.Cryptography;
using System.Text;

namespace Koans.Crypto.Aead;

public class EnvelopeTests
{
    private static readonly byte[] Context = "invoice 42"u8.ToArray();

    // RFC 8439 section 2.8.2: Example and Test Vector for AEAD_CHACHA20_POLY1305.
    [Fact]
    public void ChaCha20Poly1305_matches_RFC_8439_section_2_8_2()
    {
        var key = Convert.FromHexString("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        var nonce = Convert.FromHexString("070000004041424344454647");
        var aad = Convert.FromHexString("50515253c0c1c2c3c4c5c6c7");
        var plaintext = Encoding.ASCII.GetBytes(
            "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");

        var sealedBytes = Envelope.EncryptRaw(EnvelopeAlgorithm.ChaCha20Poly1305, key, nonce, plaintext, aad);

        Convert.ToHexStringLower(sealedBytes).Should().Be(
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b" +
            "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc" +
            "3ff4def08e4b7a9de576d26586cec64b6116" +
            "1ae10b594f09e26a7e902ecbd0600691",
            "RFC 8439 section 2.8.2 gives this ciphertext followed by the tag 1a:e1:0b:59:...:06:91");
    }

    // McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)" (revised 2005), Appendix B, Test Case 16:
    // AES-256, 96-bit IV, 60-byte plaintext, 20 bytes of additional authenticated data.
    [Fact]
    public void Aes256Gcm_matches_GCM_specification_test_case_16()
    {
        var key = Convert.FromHexString("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        var iv = Convert.FromHexString("cafebabefacedbaddecaf888");
        var plaintext = Convert.FromHexString(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525" +
            "b16aedf5aa0de657ba637b39");
        var aad = Convert.FromHexString("feedfacedeadbeeffeedfacedeadbeefabaddad2");

        var sealedBytes = Envelope.EncryptRaw(EnvelopeAlgorithm.Aes256Gcm, key, iv, plaintext, aad);

        Convert.ToHexStringLower(sealedBytes).Should().Be(
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838" +
            "c5f61e6393ba7a0abcc9f662" +
            "76fc6ece0f4e1768cddf8853bb2d551b",
            "the GCM specification's test case 16 gives this ciphertext C followed by the tag T");
    }

    [Theory]
    [InlineData(EnvelopeAlgorithm.Aes256Gcm)]
    [InlineData(EnvelopeAlgorithm.ChaCha20Poly1305)]
    public void Open_returns_what_Seal_sealed(EnvelopeAlgorithm algorithm)
    {
        var key = Envelope.GenerateKey();
        var plaintext = "attack at dawn"u8.ToArray();

        var envelope = Envelope.Seal(algorithm, key, plaintext, Context);

        Envelope.Open(key, envelope, Context).Should().Equal(plaintext);
    }

    [Theory]
    [InlineData(EnvelopeAlgorithm.Aes256Gcm)]
    [InlineData(EnvelopeAlgorithm.ChaCha20Poly1305)]
    public void Seal_writes_version_algorithm_nonce_ciphertext_and_tag(EnvelopeAlgorithm algorithm)
    {
        var key = Envelope.GenerateKey();

        var envelope = Envelope.Seal(algorithm, key, new byte[100], Context);

        envelope.Should().HaveCount(2 + 12 + 100 + 16, "header, 96-bit nonce, ciphertext as long as the plaintext, tag");
        envelope[0].Should().Be(Envelope.Version);
        envelope[1].Should().Be((byte)algorithm);
        envelope.AsSpan(14, 100).ToArray().Should().NotEqual(new byte[100], "the plaintext must not appear in the clear");
    }

    [Theory]
    [InlineData(EnvelopeAlgorithm.Aes256Gcm)]
    [InlineData(EnvelopeAlgorithm.ChaCha20Poly1305)]
    public void Sealing_the_same_message_twice_uses_a_fresh_nonce(EnvelopeAlgorithm algorithm)
    {
        var key = Envelope.GenerateKey();

        var first = Envelope.Seal(algorithm, key, "same"u8, Context);
        var second = Envelope.Seal(algorithm, key, "same"u8, Context);

        first.AsSpan(2, 12).ToArray().Should().NotEqual(second.AsSpan(2, 12).ToArray(),
            "a repeated (key, nonce) pair leaks the XOR of the plaintexts and, for GCM, the authentication key");
    }

    [Theory]
    [InlineData(EnvelopeAlgorithm.Aes256Gcm)]
    [InlineData(EnvelopeAlgorithm.ChaCha20Poly1305)]
    public void Open_rejects_a_change_to_any_byte_of_the_envelope(EnvelopeAlgorithm algorithm)
    {
        var key = Envelope.GenerateKey();
        var envelope = Envelope.Seal(algorithm, key, "pay 100 EUR to Alice"u8, Context);

        for (var i = 0; i < envelope.Length; i++)
        {
            var tampered = (byte[])envelope.Clone();
            tampered[i] ^= 0x01;

            var act = () => Envelope.Open(key, tampered, Context);

            act.Should().Throw<CryptographicException>(
                $"byte {i} of {envelope.Length} was flipped: header, nonce, ciphertext and tag are all authenticated");
        }
    }

    [Theory]
    [InlineData(EnvelopeAlgorithm.Aes256Gcm)]
    [InlineData(EnvelopeAlgorithm.ChaCha20Poly1305)]
    public void Open_rejects_different_associated_data(EnvelopeAlgorithm algorithm)
    {
        var key = Envelope.GenerateKey();
        var envelope = Envelope.Seal(algorithm, key, "pay 100 EUR to Alice"u8, Context);

        var act = () => Envelope.Open(key, envelope, "invoice 43"u8);

        act.Should().Throw<CryptographicException>(
            "the ciphertext is bound to invoice 42: moving it to another record must fail");
    }

    [Theory]
    [InlineData(EnvelopeAlgorithm.Aes256Gcm)]
    [InlineData(EnvelopeAlgorithm.ChaCha20Poly1305)]
    public void Open_rejects_the_wrong_key(EnvelopeAlgorithm algorithm)
    {
        var envelope = Envelope.Seal(algorithm, Envelope.GenerateKey(), "secret"u8, Context);

        var act = () => Envelope.Open(Envelope.GenerateKey(), envelope, Context);

        act.Should().Throw<CryptographicException>("a different key must not open the envelope");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(29)]
    public void Open_rejects_an_envelope_too_short_to_hold_header_nonce_and_tag(int length)
    {
        var key = Envelope.GenerateKey();
        var envelope = Envelope.Seal(EnvelopeAlgorithm.Aes256Gcm, key, [], Context);

        var act = () => Envelope.Open(key, envelope.AsSpan(0, length), Context);

        act.Should().Throw<CryptographicException>(
            $"{length} bytes cannot be a valid envelope (the minimum is 2 + 12 + 16 = 30); it is rejected, not parsed past its end");
    }

    [Theory]
    [InlineData(EnvelopeAlgorithm.Aes256Gcm)]
    [InlineData(EnvelopeAlgorithm.ChaCha20Poly1305)]
    public void Seal_authenticates_the_header_followed_by_the_associated_data(EnvelopeAlgorithm algorithm)
    {
        // Checked against the raw AEAD (itself pinned to RFC 8439 and the GCM specification above), not by a round
        // trip: a Seal and an Open that both forgot the header would agree with each other.
        var key = Envelope.GenerateKey();
        var plaintext = "pay 100 EUR to Alice"u8.ToArray();
        var envelope = Envelope.Seal(algorithm, key, plaintext, Context);

        byte[] headerAndContext = [envelope[0], envelope[1], .. Context];
        var expected = Envelope.EncryptRaw(algorithm, key, envelope.AsSpan(2, 12), plaintext, headerAndContext);

        envelope.AsSpan(14).ToArray().Should().Equal(expected,
            "the AEAD's associated data is the 2 header bytes followed by the caller's: ciphertext and tag must be exactly that AEAD's output");
    }

    [Theory]
    [InlineData(EnvelopeAlgorithm.Aes256Gcm)]
    [InlineData(EnvelopeAlgorithm.ChaCha20Poly1305)]
    public void Open_returns_an_empty_plaintext_from_a_30_byte_envelope(EnvelopeAlgorithm algorithm)
    {
        var key = Envelope.GenerateKey();
        var envelope = Envelope.Seal(algorithm, key, [], Context);

        envelope.Should().HaveCount(30, "header, nonce and tag, and no ciphertext");
        Envelope.Open(key, envelope, Context).Should().BeEmpty("the shortest valid envelope holds an empty message; it is not too short");
    }

    [Fact]
    public void Open_and_EncryptRaw_reject_a_128_bit_key_although_AES_would_take_one()
    {
        var envelope = Envelope.Seal(EnvelopeAlgorithm.Aes256Gcm, Envelope.GenerateKey(), "x"u8, Context);

        var open = () => Envelope.Open(new byte[16], envelope, Context);
        var raw = () => Envelope.EncryptRaw(EnvelopeAlgorithm.Aes256Gcm, new byte[16], new byte[12], "x"u8, Context);

        open.Should().Throw<ArgumentException>().Which.Should().NotBeAssignableTo<CryptographicException>(
            "a 16-byte key is a caller's bug (AES-128, not the AES-256 the envelope promises), not a tampered envelope");
        raw.Should().Throw<ArgumentException>("AesGcm would quietly run AES-128 with a 16-byte key; the envelope is AES-256 only");
    }

    [Fact]
    public void Seal_rejects_an_algorithm_that_is_not_defined()
    {
        var act = () => Envelope.Seal((EnvelopeAlgorithm)7, Envelope.GenerateKey(), "x"u8, Context);

        act.Should().Throw<ArgumentOutOfRangeException>("byte 7 names no algorithm: writing it would make an envelope nobody can open");
    }

    [Fact]
    public void Seal_rejects_a_key_of_the_wrong_size()
    {
        var act = () => Envelope.Seal(EnvelopeAlgorithm.ChaCha20Poly1305, new byte[16], "x"u8, Context);

        act.Should().Throw<ArgumentException>("both algorithms here take 256-bit keys");
    }
}
