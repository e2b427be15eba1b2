using System.Text;

namespace Koans.Crypto.Hashing;

public class DigestsTests
{
    private static string Hex(byte[] digest) => Convert.ToHexStringLower(digest);

    // FIPS 180-2, Appendix B.1 (SHA-256 of the one-block message "abc").
    [Fact]
    public void Sha256_of_abc_matches_FIPS_180_2_example() =>
        Hex(Digests.Sha256("abc"u8)).Should().Be(
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "FIPS 180-2 Appendix B.1 publishes this digest of \"abc\"");

    // FIPS 180-2, Appendix B.2 (SHA-256 of the two-block message).
    [Fact]
    public void Sha256_of_the_two_block_message_matches_FIPS_180_2_example() =>
        Hex(Digests.Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"u8)).Should().Be(
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            "FIPS 180-2 Appendix B.2 publishes this digest of the 448-bit message");

    // NIST CSRC "Cryptographic Standards and Guidelines: Examples with Intermediate Values", SHA3-256_Msg0 (empty message).
    [Fact]
    public void Sha3_256_of_the_empty_message_matches_NIST_example() =>
        Hex(Digests.Sha3_256([])).Should().Be(
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a",
            "NIST's SHA3-256 example for the empty message gives this digest");

    // Keccak-256 of the empty string: the constant Ethereum calls KECCAK_EMPTY (the codeHash of every account
    // without code; Ethereum Yellow Paper, section 4.1).
    [Fact]
    public void Keccak256_of_the_empty_message_is_Ethereums_empty_code_hash() =>
        Hex(Digests.Keccak256([])).Should().Be(
            "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
            "Ethereum's KECCAK_EMPTY is the Keccak-256 of zero bytes");

    [Fact]
    public void Keccak256_and_Sha3_256_differ_on_the_same_input()
    {
        var keccak = Hex(Digests.Keccak256("abc"u8));
        var sha3 = Hex(Digests.Sha3_256("abc"u8));

        keccak.Should().NotBe(sha3,
            "SHA-3 (FIPS 202) changed Keccak's padding byte from 0x01 to 0x06: the same input gives another digest");
        // NIST SHA3-256 example "abc" (FIPS 202 test vector).
        sha3.Should().Be("3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
        // Keccak-256("abc"), as computed by the Keccak team's reference implementation (Keccak[r=1088, c=512], pad 0x01).
        keccak.Should().Be("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
    }

    // RFC 7693, Appendix A: BLAKE2b-512("abc").
    [Fact]
    public void Blake2b512_of_abc_matches_RFC_7693_appendix_A() =>
        Hex(Digests.Blake2b512("abc"u8)).Should().Be(
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1" +
            "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
            "RFC 7693 Appendix A publishes this BLAKE2b-512 digest of \"abc\"");

    [Fact]
    public void Blake2b256_is_not_a_truncated_Blake2b512()
    {
        var short256 = Digests.Blake2b256("abc"u8);
        var long512 = Digests.Blake2b512("abc"u8);

        short256.Should().HaveCount(32);
        short256.Should().NotEqual(long512.Take(32),
            "BLAKE2b mixes the digest length into its parameter block, so BLAKE2b-256 is its own function");
    }

    [Fact]
    public void A_one_bit_change_in_the_input_changes_about_half_the_digest_bits()
    {
        var a = Digests.Sha256(Encoding.ASCII.GetBytes("The quick brown fox"));
        var b = Digests.Sha256(Encoding.ASCII.GetBytes("The quick brown fog"));

        var differingBits = a.Zip(b, (x, y) => System.Numerics.BitOperations.PopCount((uint)(x ^ y))).Sum();
        differingBits.Should().BeInRange(80, 176, "the avalanche effect flips about 128 of 256 bits");
    }

    [Fact]
    public async Task Sha256Async_of_a_stream_equals_the_one_shot_digest()
    {
        var data = new byte[1_000_003];
        new Random(42).NextBytes(data);
        using var stream = new MemoryStream(data);

        var streamed = await Digests.Sha256Async(stream, TestContext.Current.CancellationToken);

        streamed.Should().Equal(Digests.Sha256(data), "hashing in chunks must give the same digest as hashing at once");
    }

    [Fact]
    public async Task Sha256Async_rejects_a_null_stream()
    {
        var act = () => Digests.Sha256Async(null!, TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<ArgumentNullException>("a null stream is a programming error, reported at once");
    }
}
