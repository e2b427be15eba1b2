namespace Koans.Ethereum.Eip55;

public class ChecksumAddressTests
{
    private static byte[] Bytes(string address) => Convert.FromHexString(address[2..]);

    // EIP-55, "Specification": the four test(...) calls under the Python checksum_encode.
    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void Encode_matches_the_EIP_55_normal_test_cases(string expected) =>
        ChecksumAddress.Encode(Bytes(expected)).Should().Be(expected, "EIP-55 publishes this checksum encoding");

    // EIP-55 (now ERC-55) "Test Cases", "# All caps" and "# All Lower": addresses whose checksum happens to uppercase
    // every letter, or none. The same eight vectors (these four and the four above) are web3.js's
    // checkAddressChecksum test cases.
    [Theory]
    [InlineData("0x52908400098527886E0F7030069857D2E4169EE7")]
    [InlineData("0x8617E340B3D01FA5F11F306F4090FD50E238070D")]
    [InlineData("0xde709f2102306220921060314715629080e2fb77")]
    [InlineData("0x27b1fdb04752bbc536007a920d24acb045561c26")]
    public void Encode_matches_the_EIP_55_all_caps_and_all_lower_test_cases(string expected) =>
        ChecksumAddress.Encode(Bytes(expected)).Should().Be(expected,
            "the case comes from keccak256 of the lowercase hex text: sometimes that is every letter, sometimes none");

    // Anvil's startup banner lists account (0) as 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
    // (Foundry book, "anvil" reference: the default accounts of the test mnemonic).
    [Fact]
    public void Encode_gives_the_address_Anvil_prints_for_account_0() =>
        ChecksumAddress.Encode(Convert.FromHexString("f39fd6e51aad88f6f4ce6ab8827279cfffb92266"))
            .Should().Be("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");

    [Fact]
    public void HasValidChecksum_accepts_an_EIP_55_address() =>
        ChecksumAddress.HasValidChecksum("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359").Should().BeTrue();

    [Fact]
    public void HasValidChecksum_rejects_one_letter_in_the_wrong_case() =>
        // EIP-55 case 2 with its first letter lowered (B -> b).
        ChecksumAddress.HasValidChecksum("0xfb6916095ca1df60bB79Ce92cE3Ea74c37c5d359").Should().BeFalse(
            "each letter's case is one check bit; flipping one makes the checksum fail");

    [Theory]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d35")]
    [InlineData("fB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xgB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    public void HasValidChecksum_is_false_for_malformed_addresses(string address) =>
        ChecksumAddress.HasValidChecksum(address).Should().BeFalse("it is not 0x + 40 hex digits");

    [Fact]
    public void Parse_rejects_mixed_case_with_a_bad_checksum()
    {
        // EIP-55 case 4 with its last letter raised (b -> B): a typo the checksum exists to catch.
        var act = () => ChecksumAddress.Parse("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDB");

        act.Should().Throw<FormatException>("mixed case claims a checksum, and this one is wrong");
    }

    [Fact]
    public void Parse_accepts_all_lowercase_without_a_checksum() =>
        ChecksumAddress.Parse("0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9adb")
            .Should().Equal(Convert.FromHexString("d1220a0cf47c7b9be7a2e6ba89f429762e7b9adb"),
                "a single-case address carries no checksum; wallets accept it as it is");

    [Fact]
    public void Parse_rejects_a_wrong_length()
    {
        var act = () => ChecksumAddress.Parse("0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9a");

        act.Should().Throw<FormatException>("an address is exactly 20 bytes, 40 hex digits");
    }

    [Fact]
    public void Encode_rejects_a_19_byte_address()
    {
        var act = () => ChecksumAddress.Encode(new byte[19]);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void HasValidChecksum_and_Parse_refuse_null_by_parameter_name()
    {
        var check = () => ChecksumAddress.HasValidChecksum(null!);
        var parse = () => ChecksumAddress.Parse(null!);

        check.Should().ThrowExactly<ArgumentNullException>("null is the caller's bug, not an address with a bad checksum").WithParameterName("address");
        parse.Should().ThrowExactly<ArgumentNullException>("null is the caller's bug, not a malformed address").WithParameterName("address");
    }
}
