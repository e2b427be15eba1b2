using CsCheck;
using Koans.Testing;
using Nethereum.Util;

namespace Koans.Ethereum.Eip55;

/// <summary>
/// Nethereum (Nethereum.Util's AddressUtil) as a second, independent oracle. The fixed vectors in
/// ChecksumAddressTests are EIP-55's own; these compare your checksum with the one C# wallets ship, on 256 generated
/// addresses per property, including addresses whose hex is all digits (nothing to capitalise) or all letters, and
/// all-lowercase, all-uppercase and one-letter-flipped spellings. A fixed PCG seed makes every failure reproduce.
/// </summary>
public sealed class ChecksumAddressNethereumOracleTests
{
    private static readonly Gen<byte[]> Addresses = Gen.Frequency(
        (6, Gen.Byte.Array[20]),
        // Every nibble 0-9: the hex has no letters, so every spelling is its own checksum.
        (1, Gen.Int[0, 9].Array[40].Select(nibbles => Convert.FromHexString(string.Concat(nibbles)))),
        // Every nibble a-f: every character carries a checksum bit.
        (1, Gen.Int[10, 15].Array[40].Select(nibbles => Convert.FromHexString(string.Concat(nibbles.Select(n => n.ToString("x")))))),
        (1, Gen.OneOf(new byte[20], Enumerable.Repeat((byte)0xff, 20).ToArray())));

    private static readonly Gen<(byte[] Address, int Flip)> AddressesAndAFlip = Gen.Select(Addresses, Gen.Int[0, 39]);

    [Fact]
    public void Encode_matches_Nethereum_on_generated_addresses()
    {
        GeneratedCases.ForEach(Addresses, Hex, address =>
        {
            var yours = ChecksumAddress.Encode(address);
            yours.Should().Be(new AddressUtil().ConvertToChecksumAddress(Hex(address)),
                "the EIP-55 spelling of {0} must match Nethereum's AddressUtil.ConvertToChecksumAddress", Hex(address));
        });
    }

    [Fact]
    public void HasValidChecksum_agrees_with_Nethereum_on_checksummed_lowercase_uppercase_and_one_letter_flipped_spellings()
    {
        GeneratedCases.ForEach(AddressesAndAFlip, input => $"{Hex(input.Address)}, flipping character {input.Flip}", input =>
        {
            var checksummed = new AddressUtil().ConvertToChecksumAddress(Hex(input.Address));
            var digits = checksummed[2..].ToCharArray();
            digits[input.Flip] = char.IsUpper(digits[input.Flip]) ? char.ToLowerInvariant(digits[input.Flip]) : char.ToUpperInvariant(digits[input.Flip]);
            string[] spellings = [checksummed, checksummed.ToLowerInvariant(), "0x" + checksummed[2..].ToUpperInvariant(), "0x" + new string(digits)];
            var yours = spellings.Select(ChecksumAddress.HasValidChecksum).ToArray();
            for (var s = 0; s < spellings.Length; s++)
            {
                yours[s].Should().Be(new AddressUtil().IsChecksumAddress(spellings[s]),
                    "HasValidChecksum(\"{0}\") must agree with Nethereum's AddressUtil.IsChecksumAddress", spellings[s]);
            }
        });
    }

    [Fact]
    public void Parse_accepts_every_single_case_and_checksummed_spelling_of_generated_addresses()
    {
        GeneratedCases.ForEach(Addresses, Hex, address =>
        {
            var checksummed = new AddressUtil().ConvertToChecksumAddress(Hex(address));
            ChecksumAddress.Parse(checksummed).Should().Equal(address, "{0} is checksummed (per Nethereum)", checksummed);
            ChecksumAddress.Parse(checksummed.ToLowerInvariant()).Should().Equal(address, "all-lowercase needs no checksum");
            ChecksumAddress.Parse("0x" + checksummed[2..].ToUpperInvariant()).Should().Equal(address, "all-uppercase needs no checksum");
        });
    }

    private static string Hex(byte[] address) => "0x" + Convert.ToHexStringLower(address);
}
