using System.Text;

namespace Koans.Crypto.Hmac;

public class MessageAuthenticatorTests
{
    private static byte[] Repeat(byte value, int count) => Enumerable.Repeat(value, count).ToArray();

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    // RFC 4231 section 4.3 (test case 2): a key shorter than the block, both ASCII.
    private static readonly byte[] Case2Key = Encoding.ASCII.GetBytes("Jefe");
    private static readonly byte[] Case2Message = Encoding.ASCII.GetBytes("what do ya want for nothing?");
    private static readonly byte[] Case2Tag =
        Convert.FromHexString("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

    // RFC 4231 section 4.2 (test case 1): key = 0x0b * 20, data = "Hi There".
    [Fact]
    public void ComputeTag_matches_RFC_4231_test_case_1() =>
        Hex(MessageAuthenticator.ComputeTag(Repeat(0x0b, 20), "Hi There"u8)).Should().Be(
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            "RFC 4231 section 4.2 gives this HMAC-SHA-256 for test case 1");

    // RFC 4231 section 4.3 (test case 2): key = "Jefe", data = "what do ya want for nothing?".
    [Fact]
    public void ComputeTag_matches_RFC_4231_test_case_2() =>
        MessageAuthenticator.ComputeTag(Case2Key, Case2Message).Should().Equal(Case2Tag,
            "RFC 4231 section 4.3 gives this HMAC-SHA-256 for test case 2");

    // RFC 4231 section 4.6 (test case 5): key = 0x0c * 20, data = "Test With Truncation", output truncated to 128 bits.
    [Fact]
    public void ComputeTruncatedTag_matches_RFC_4231_test_case_5() =>
        Hex(MessageAuthenticator.ComputeTruncatedTag(Repeat(0x0c, 20), "Test With Truncation"u8, 16)).Should().Be(
            "a3b6167473100ee06e0c796c2955552b",
            "RFC 4231 section 4.6 publishes only the leftmost 128 bits of this tag");

    // RFC 4231 section 4.7 (test case 6): key = 0xaa * 131 (longer than SHA-256's 64-byte block, so it is hashed first).
    [Fact]
    public void ComputeTag_hashes_a_key_longer_than_the_block_as_in_RFC_4231_test_case_6() =>
        Hex(MessageAuthenticator.ComputeTag(Repeat(0xaa, 131), "Test Using Larger Than Block-Size Key - Hash Key First"u8))
            .Should().Be("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                "RFC 4231 section 4.7 gives this tag: HMAC hashes a key longer than the block before using it");

    [Fact]
    public void Verify_accepts_the_RFC_4231_test_case_2_tag() =>
        MessageAuthenticator.Verify(Case2Key, Case2Message, Case2Tag).Should().BeTrue(
            "the tag is the one RFC 4231 test case 2 publishes for this key and message");

    // RFC 4231 section 4.6 (test case 5), the 128-bit truncated tag.
    [Fact]
    public void Verify_accepts_the_truncated_RFC_4231_test_case_5_tag() =>
        MessageAuthenticator.Verify(Repeat(0x0c, 20), "Test With Truncation"u8,
            Convert.FromHexString("a3b6167473100ee06e0c796c2955552b")).Should().BeTrue(
            "a 128-bit truncated tag is allowed, and this is the one RFC 4231 test case 5 publishes");

    [Theory]
    [InlineData(0, 0)]
    [InlineData(15, 3)]
    [InlineData(31, 7)]
    public void Verify_rejects_a_tag_with_one_flipped_bit(int byteIndex, int bit)
    {
        var tampered = (byte[])Case2Tag.Clone();
        tampered[byteIndex] ^= (byte)(1 << bit);

        MessageAuthenticator.Verify(Case2Key, Case2Message, tampered).Should().BeFalse(
            $"bit {bit} of byte {byteIndex} was flipped: a MAC must reject any change to the tag");
    }

    [Fact]
    public void Verify_rejects_the_right_tag_under_the_wrong_key() =>
        MessageAuthenticator.Verify(Encoding.ASCII.GetBytes("Jeff"), Case2Message, Case2Tag).Should().BeFalse(
            "the tag was made with the key \"Jefe\"; anyone without that key must not be able to produce it");

    [Fact]
    public void Verify_rejects_a_tampered_message() =>
        MessageAuthenticator.Verify(Case2Key, Encoding.ASCII.GetBytes("what do ya want for nothing!"), Case2Tag)
            .Should().BeFalse("the tag authenticates the message: one changed character must be caught");

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(15)]
    public void Verify_rejects_a_correct_tag_prefix_shorter_than_128_bits(int length) =>
        MessageAuthenticator.Verify(Case2Key, Case2Message, Case2Tag.AsSpan(0, length)).Should().BeFalse(
            $"a {length}-byte prefix is right, but a tag that short can be guessed; accepting it would let an attacker " +
            "forge by sending a 1-byte (or empty!) tag");

    [Fact]
    public void ComputeTruncatedTag_refuses_to_truncate_below_128_bits()
    {
        var act = () => MessageAuthenticator.ComputeTruncatedTag(Case2Key, Case2Message, 8);

        act.Should().Throw<ArgumentOutOfRangeException>("tags shorter than 16 bytes are too easy to guess");
    }

    [Theory]
    [InlineData(33)]
    [InlineData(64)]
    public void ComputeTruncatedTag_refuses_a_length_above_the_full_32_byte_tag(int length)
    {
        var act = () => MessageAuthenticator.ComputeTruncatedTag(Case2Key, Case2Message, length);

        act.Should().Throw<ArgumentOutOfRangeException>(
                $"HMAC-SHA256 has only 32 bytes to give; a request for {length} is a caller's bug and must say so, not pad or read past the tag")
            .WithParameterName("tagLength", "the exception names the caller's argument, not the internals of a slice that happened to fail");
    }

    [Fact]
    public void Verify_rejects_an_overlong_tag_whose_first_32_bytes_are_the_right_tag() =>
        MessageAuthenticator.Verify(Case2Key, Case2Message, [.. Case2Tag, 0x00]).Should().BeFalse(
            "a verifier that compares only the first 32 bytes gives one tag many spellings; a tag longer than 32 bytes is never valid");
}
