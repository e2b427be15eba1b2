using System.Security.Cryptography;

namespace Koans.Crypto.Hkdf;

public class HkdfTests
{
    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    // RFC 5869 Appendix A.1 (Test Case 1): basic test case with SHA-256.
    private static readonly byte[] Case1Ikm = Convert.FromHexString("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    private static readonly byte[] Case1Salt = Convert.FromHexString("000102030405060708090a0b0c");
    private static readonly byte[] Case1Info = Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9");
    private const string Case1Prk = "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5";
    private const string Case1Okm = "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865";

    // RFC 5869 Appendix A.3 (Test Case 3): SHA-256 with zero-length salt and info.
    private const string Case3Prk = "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04";
    private const string Case3Okm = "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8";

    [Fact]
    public void Extract_matches_RFC_5869_test_case_1() =>
        Hex(Hkdf.Extract(Case1Salt, Case1Ikm)).Should().Be(Case1Prk, "RFC 5869 A.1 gives this PRK");

    [Fact]
    public void Expand_matches_RFC_5869_test_case_1() =>
        Hex(Hkdf.Expand(Convert.FromHexString(Case1Prk), Case1Info, 42)).Should().Be(Case1Okm,
            "RFC 5869 A.1 expands the PRK with info f0..f9 to these 42 bytes (two HMAC blocks, the second cut short)");

    [Fact]
    public void DeriveKey_matches_RFC_5869_test_case_1() =>
        Hex(Hkdf.DeriveKey(Case1Ikm, Case1Salt, Case1Info, 42)).Should().Be(Case1Okm,
            "the one-shot is Extract then Expand, so it gives RFC 5869 A.1's OKM");

    [Fact]
    public void Extract_with_an_empty_salt_matches_RFC_5869_test_case_3() =>
        Hex(Hkdf.Extract([], Case1Ikm)).Should().Be(Case3Prk,
            "RFC 5869 A.3: an empty salt acts as 32 zero bytes, and gives this PRK");

    [Fact]
    public void DeriveKey_with_empty_salt_and_info_matches_RFC_5869_test_case_3() =>
        Hex(Hkdf.DeriveKey(Case1Ikm, [], [], 42)).Should().Be(Case3Okm, "RFC 5869 A.3 gives this OKM");

    [Fact]
    public void DeriveKey_agrees_with_the_platform_HKDF_at_the_maximum_length()
    {
        var ikm = RandomNumberGenerator.GetBytes(32);
        var salt = RandomNumberGenerator.GetBytes(16);
        var info = "koans hkdf max length"u8.ToArray();

        var ours = Hkdf.DeriveKey(ikm, salt, info, Hkdf.MaxOutputLength);

        ours.Should().Equal(HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, Hkdf.MaxOutputLength, salt, info),
            "255 blocks is the most HKDF-SHA256 can produce, and every block must match System.Security.Cryptography.HKDF");
    }

    [Fact]
    public void Different_info_gives_independent_keys()
    {
        var encryptionKey = Hkdf.DeriveKey(Case1Ikm, Case1Salt, "encryption"u8, 32);
        var macKey = Hkdf.DeriveKey(Case1Ikm, Case1Salt, "mac"u8, 32);

        encryptionKey.Should().NotEqual(macKey, "info separates the keys derived from one secret");
    }

    [Fact]
    public void Expand_rejects_an_output_longer_than_255_blocks()
    {
        var act = () => Hkdf.Expand(Convert.FromHexString(Case1Prk), Case1Info, Hkdf.MaxOutputLength + 1);

        act.Should().Throw<ArgumentOutOfRangeException>(
            "RFC 5869 section 2.3: L <= 255*HashLen, because the block counter is a single octet");
    }

    [Fact]
    public void DeriveKey_rejects_a_zero_output_length()
    {
        var act = () => Hkdf.DeriveKey(Case1Ikm, Case1Salt, Case1Info, 0);

        act.Should().Throw<ArgumentOutOfRangeException>("asking for no key material is a bug in the caller");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Expand_rejects_a_zero_or_negative_output_length(int outputLength)
    {
        var act = () => Hkdf.Expand(Convert.FromHexString(Case1Prk), Case1Info, outputLength);

        act.Should().Throw<ArgumentOutOfRangeException>(
            "RFC 5869 section 2.3 asks for L octets of output, L >= 1; an empty key returned without complaint hides the caller's bug");
    }

    [Fact]
    public void Expand_rejects_a_pseudorandom_key_shorter_than_the_hash()
    {
        var act = () => Hkdf.Expand(Case1Ikm.AsSpan(0, 16).ToArray(), Case1Info, 32);

        act.Should().Throw<ArgumentException>()
            .Which.Should().NotBeOfType<ArgumentOutOfRangeException>(
                "a short PRK means Extract was skipped: pass raw secrets to DeriveKey, not to Expand");
    }
}
