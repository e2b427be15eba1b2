using System.Numerics;

namespace Koans.Ethereum.UnitsAndQuantities;

public class UnitsTests
{
    // `cast to-wei 1.5 ether` (Foundry cast 1.7.1) prints 1500000000000000000.
    [Fact]
    public void ParseEther_of_one_and_a_half_is_exact() =>
        Units.ParseEther("1.5").Should().Be(BigInteger.Parse("1500000000000000000"), "1 ether is 10^18 wei");

    // `cast to-wei 1.1 ether` (Foundry cast 1.7.1) prints 1100000000000000000.
    [Fact]
    public void ParseEther_of_1_point_1_does_not_go_through_double() =>
        Units.ParseEther("1.1").Should().Be(BigInteger.Parse("1100000000000000000"),
            "(double)1.1 * 1e18 is 1100000000000000128 after conversion: binary floating point cannot hold 1.1");

    // `cast to-wei 0.000000000000000001 ether` (Foundry cast 1.7.1) prints 1.
    [Fact]
    public void ParseEther_accepts_exactly_eighteen_decimals() =>
        Units.ParseEther("0.000000000000000001").Should().Be(BigInteger.One, "the 18th decimal of an ether is one wei");

    // `cast to-wei 42 ether` (Foundry cast 1.7.1) prints 42000000000000000000.
    [Fact]
    public void ParseEther_of_a_whole_number_has_no_fraction_part() =>
        Units.ParseEther("42").Should().Be(BigInteger.Parse("42000000000000000000"),
            "an amount without a point is whole ether: the fraction part is optional, and absent means zero");

    // `cast to-wei 7 gwei` (Foundry cast 1.7.1) prints 7000000000.
    [Fact]
    public void ParseGwei_of_a_whole_number() =>
        Units.ParseGwei("7").Should().Be(new BigInteger(7_000_000_000), "7 gwei is 7 * 10^9 wei");

    // `cast to-wei 21.5 gwei` (Foundry cast 1.7.1) prints 21500000000.
    [Fact]
    public void ParseGwei_of_a_typical_gas_price() =>
        Units.ParseGwei("21.5").Should().Be(new BigInteger(21_500_000_000), "1 gwei is 10^9 wei");

    [Fact]
    public void ParseEther_rejects_a_nineteenth_decimal()
    {
        var act = () => Units.ParseEther("0.0000000000000000001");

        act.Should().Throw<FormatException>("a tenth of a wei does not exist: rounding it silently would lose money");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1e18")]
    [InlineData("1.")]
    [InlineData(" 1")]
    [InlineData("1,5")]
    [InlineData("")]
    [InlineData(".5")]
    [InlineData("1.2.3")] // `cast to-wei 1.2.3 ether` (Foundry cast 1.7.1): "Error: invalid digit: ."
    [InlineData("1..5")]
    public void ParseEther_rejects_what_is_not_a_plain_decimal(string input)
    {
        var act = () => Units.ParseEther(input);

        act.Should().Throw<FormatException>($"\"{input}\" is not an unsigned decimal amount");
    }

    [Fact]
    public void ParseGwei_rejects_a_tenth_decimal()
    {
        var act = () => Units.ParseGwei("1.0000000001");

        act.Should().Throw<FormatException>("gwei has 9 decimals down to the wei");
    }

    [Fact]
    public void ParseEther_rejects_a_trailing_NUL_and_a_non_ASCII_digit()
    {
        var nul = () => Units.ParseEther("1\0");
        var arabicIndicOne = () => Units.ParseEther("\u0661");

        nul.Should().Throw<FormatException>("BigInteger.Parse skips trailing NUL characters, so \"1\\0\" must be refused before it");
        arabicIndicOne.Should().Throw<FormatException>("U+0661 ARABIC-INDIC DIGIT ONE is a Unicode digit, not one of 0-9");
    }

    [Fact]
    public void ParseEther_and_ParseGwei_reject_null_by_name()
    {
        var ether = () => Units.ParseEther(null!);
        var gwei = () => Units.ParseGwei(null!);

        ether.Should().Throw<ArgumentNullException>().WithParameterName("ether", "the caller passed null as the ether amount");
        gwei.Should().Throw<ArgumentNullException>().WithParameterName("gwei", "the caller passed null as the gwei amount");
    }

    [Fact]
    public void FormatEther_rejects_a_negative_amount()
    {
        var act = () => Units.FormatEther(-1);

        act.Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("wei", "wei amounts on chain are unsigned; -1 would otherwise print as \"0.0000000000000000-1\"");
    }

    [Fact]
    public void FormatEther_trims_trailing_zeros()
    {
        Units.FormatEther(BigInteger.Parse("1500000000000000000")).Should().Be("1.5");
        Units.FormatEther(BigInteger.Parse("1000000000000000000")).Should().Be("1", "no trailing point");
        Units.FormatEther(BigInteger.One).Should().Be("0.000000000000000001");
        Units.FormatEther(BigInteger.Zero).Should().Be("0");
    }

    [Fact]
    public void FormatEther_of_the_largest_uint256_round_trips()
    {
        // `cast --max-uint` (Foundry cast 1.7.1) prints 2^256 - 1.
        var max = BigInteger.Parse("115792089237316195423570985008687907853269984665640564039457584007913129639935");

        Units.ParseEther(Units.FormatEther(max)).Should().Be(max, "BigInteger carries every uint256 without loss");
    }
}
