using System.Security.Cryptography;
using System.Text;

namespace Koans.Crypto.LengthExtension;

public sealed class LengthExtensionTests
{
    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    // Cryptopals set 4 challenge 29: the message the server signs, and what the attacker appends.
    private static readonly byte[] Cookie =
        Ascii("comment1=cooking%20MCs;userdata=foo;comment2=%20like%20a%20pound%20of%20bacon");

    private static readonly byte[] AdminExtension = Ascii(";admin=true");

    // FIPS 180-4 section 5.1.1: "the (8-bit ASCII) message "abc" has length 8 x 3 = 24, so the message is padded with
    // a one bit, then 448 - (24 + 1) = 423 zero bits, and then the message length, to become the 512-bit padded
    // message": 61 62 63 | 80 | 52 zero bytes | 00 00 00 00 00 00 00 18.
    [Fact]
    public void Padding_matches_the_FIPS_180_4_example_for_abc()
    {
        var expected = new byte[61];
        expected[0] = 0x80;
        expected[^1] = 0x18;

        Sha256Padding.For(3).Should().Equal(expected,
            "FIPS 180-4 5.1.1 pads \"abc\" with a 1 bit, 423 zero bits and the length 24 (0x18) in bits as 64 bits");
    }

    // RFC 6234 section 4.1: "abcde" (L = 40) pads to 61626364 65800000 00000000 ... 00000000 00000028.
    [Fact]
    public void Padding_matches_the_RFC_6234_example_for_abcde()
    {
        byte[] padded = [.. Ascii("abcde"), .. Sha256Padding.For(5)];

        Convert.ToHexStringLower(padded).Should().Be(
            "6162636465800000" + string.Concat(Enumerable.Repeat("00000000", 12)) + "0000000000000028",
            "RFC 6234 4.1 gives this padded block for the 40-bit message \"abcde\"");
    }

    [Theory]
    [InlineData(0, 64)]
    [InlineData(55, 9)]
    [InlineData(56, 72)]
    [InlineData(63, 65)]
    [InlineData(64, 64)]
    [InlineData(119, 9)]
    [InlineData(120, 72)]
    public void Padding_fills_the_last_block_with_room_for_the_length(long messageLength, int paddingLength)
    {
        var padding = Sha256Padding.For(messageLength);

        padding.Should().HaveCount(paddingLength, "FIPS 180-4 5.1.1 chooses the fewest zero bits k with "
            + "l + 1 + k = 448 mod 512: when fewer than 9 bytes are left in the block, the padding spills into a new one");
        padding[0].Should().Be(0x80, "the padding starts with a single 1 bit");
        padding[1..^8].All(b => b == 0).Should().BeTrue("then zero bits up to the length field");
    }

    [Theory]
    [InlineData(1000L, "0000000000001f40", "8000 bits")]
    [InlineData(1L << 32, "0000000800000000", "2^35 bits: a 32-bit length would wrap")]
    public void Padding_ends_with_the_length_in_bits_as_a_big_endian_64_bit_integer(long messageLength, string lengthField, string what)
    {
        Convert.ToHexStringLower(Sha256Padding.For(messageLength)[^8..]).Should().Be(lengthField,
            $"the length field counts bits, big-endian, in 64 bits: {what}");
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(1L << 61)]
    public void Padding_rejects_a_negative_length_or_one_whose_bit_count_does_not_fit_in_64_bits(long messageLength)
    {
        var act = () => Sha256Padding.For(messageLength);

        act.Should().Throw<ArgumentOutOfRangeException>("SHA-256 is defined for messages of 0 to 2^64 - 1 bits");
    }

    // SHA-256("abc") from FIPS 180-2 Appendix B.1 (NIST's example "SHA256.pdf"): the tag of SHA256(secret || message)
    // with secret "abc" and an empty message. The forged tag is then checked against the BCL's own SHA256.
    [Fact]
    public void Forge_continues_from_the_published_SHA_256_digest_of_abc()
    {
        var digestOfAbc = Convert.FromHexString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

        var forged = LengthExtensionAttack.Forge([], digestOfAbc, secretLength: 3, Ascii("d"));

        forged.Message.Should().Equal([.. Sha256Padding.For(3), .. Ascii("d")],
            "the forged message is the original (empty), the padding SHA-256 appended to \"abc\", then the extension");
        forged.Tag.Should().Equal(SHA256.HashData([.. Ascii("abc"), .. forged.Message]),
            "the digest of \"abc\" is the state after its padded block, so hashing can carry on from it");
    }

    [Fact]
    public void Forge_produces_an_admin_cookie_the_secret_prefix_MAC_accepts()
    {
        var server = new SecretPrefixMac(RandomNumberGenerator.GetBytes(16));
        var tag = server.Sign(Cookie);

        var forged = LengthExtensionAttack.Forge(Cookie, tag, secretLength: 16, AdminExtension);

        forged.Message[..Cookie.Length].Should().Equal(Cookie, "the forged message starts with the signed one");
        forged.Message[^AdminExtension.Length..].Should().Equal(AdminExtension, "and ends with the attacker's extension");
        server.Verify(forged.Message, forged.Tag).Should().BeTrue(
            "SHA256(secret || m) reveals its whole state, so anyone can extend m without the secret");
    }

    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(1, 54, 0)]
    [InlineData(16, 40, 10)]
    [InlineData(13, 50, 70)]
    [InlineData(64, 64, 64)]
    [InlineData(7, 118, 200)]
    public void Forge_works_whatever_the_secret_message_and_extension_lengths(int secretLength, int messageLength, int extensionLength)
    {
        var server = new SecretPrefixMac(RandomNumberGenerator.GetBytes(secretLength));
        var message = RandomNumberGenerator.GetBytes(messageLength);
        var extension = RandomNumberGenerator.GetBytes(extensionLength);

        var forged = LengthExtensionAttack.Forge(message, server.Sign(message), secretLength, extension);

        server.Verify(forged.Message, forged.Tag).Should().BeTrue("the glue padding is for secret + message "
            + $"({secretLength + messageLength} bytes) and the final padding for the whole hashed input, block boundaries included");
    }

    [Fact]
    public void Forge_with_the_wrong_secret_length_is_rejected()
    {
        var server = new SecretPrefixMac(RandomNumberGenerator.GetBytes(16));

        var forged = LengthExtensionAttack.Forge(Cookie, server.Sign(Cookie), secretLength: 15, AdminExtension);

        server.Verify(forged.Message, forged.Tag).Should().BeFalse(
            "the padding encodes the hashed length: a wrong guess gives the wrong glue (attackers try each length)");
    }

    [Fact]
    public void The_same_forgery_is_rejected_by_HMAC()
    {
        var server = new HmacSha256Mac(RandomNumberGenerator.GetBytes(16));

        var forged = LengthExtensionAttack.Forge(Cookie, server.Sign(Cookie), secretLength: 16, AdminExtension);

        server.Verify(forged.Message, forged.Tag).Should().BeFalse(
            "HMAC's tag is an outer hash over the inner one: it reveals no state that can be continued");
    }

    [Fact]
    public void Forge_rejects_a_tag_that_is_not_32_bytes()
    {
        var act = () => LengthExtensionAttack.Forge(Cookie, new byte[20], 16, AdminExtension);

        act.Should().Throw<ArgumentException>("a SHA-256 tag is 32 bytes (20 would be SHA-1)");
    }

    [Fact]
    public void Forge_rejects_a_negative_secret_length()
    {
        var act = () => LengthExtensionAttack.Forge(Cookie, new byte[32], -1, AdminExtension);

        act.Should().Throw<ArgumentOutOfRangeException>("a secret has zero or more bytes");
    }
}
