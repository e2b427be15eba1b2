using System.Numerics;

namespace Koans.Ethereum.UnitsAndQuantities;

// The examples are the Ethereum JSON-RPC API's "Hex value encoding" section
// (https://ethereum.org/en/developers/docs/apis/json-rpc/#hex-encoding), also in EIP-1474 "Value encoding".
public class RpcHexTests
{
    [Theory]
    [InlineData(65, "0x41")]
    [InlineData(1024, "0x400")]
    [InlineData(0, "0x0")]
    public void EncodeQuantity_follows_the_JSON_RPC_examples(int value, string expected) =>
        RpcHex.EncodeQuantity(value).Should().Be(expected, "QUANTITY is the most compact hex, and zero is 0x0");

    [Fact]
    public void DecodeQuantity_reads_the_JSON_RPC_examples()
    {
        RpcHex.DecodeQuantity("0x41").Should().Be(new BigInteger(65));
        RpcHex.DecodeQuantity("0x400").Should().Be(new BigInteger(1024));
        RpcHex.DecodeQuantity("0x0").Should().Be(BigInteger.Zero);
    }

    [Fact]
    public void DecodeQuantity_never_returns_a_negative_number() =>
        RpcHex.DecodeQuantity("0xff").Should().Be(new BigInteger(255),
            "BigInteger.Parse(\"ff\", NumberStyles.HexNumber) is -1: the top bit must not be read as a sign");

    [Theory]
    [InlineData("0x", "should always have at least one digit - zero is 0x0")]
    [InlineData("0x0400", "no leading zeroes allowed")]
    [InlineData("ff", "must be prefixed 0x")]
    [InlineData("0xg1", "g is not a hex digit")]
    public void DecodeQuantity_rejects_the_JSON_RPC_counterexamples(string hex, string why)
    {
        var act = () => RpcHex.DecodeQuantity(hex);

        act.Should().Throw<FormatException>($"the JSON-RPC spec marks {hex} WRONG: {why}");
    }

    [Theory]
    [InlineData("a trailing NUL character")]
    [InlineData("a trailing space")]
    [InlineData("ARABIC-INDIC DIGIT ONE (U+0661), a Unicode digit that is not a hex digit")]
    public void DecodeQuantity_rejects_characters_after_or_instead_of_hex_digits(string what)
    {
        var hex = what switch
        {
            "a trailing NUL character" => "0x1\0",
            "a trailing space" => "0x1 ",
            _ => "0x\u0661",
        };

        var act = () => RpcHex.DecodeQuantity(hex);

        act.Should().Throw<FormatException>(
            "{0} is not a hex digit; BigInteger.Parse silently ignores trailing NUL characters, so check every character yourself", what);
    }

    [Fact]
    public void DecodeQuantity_and_DecodeData_reject_null_by_name()
    {
        var quantity = () => RpcHex.DecodeQuantity(null!);
        var data = () => RpcHex.DecodeData(null!);

        quantity.Should().Throw<ArgumentNullException>().WithParameterName("hex", "null is not a QUANTITY");
        data.Should().Throw<ArgumentNullException>().WithParameterName("hex", "null is not DATA");
    }

    [Fact]
    public void DecodeData_rejects_a_non_hex_digit()
    {
        var letter = () => RpcHex.DecodeData("0xzz");
        var nul = () => RpcHex.DecodeData("0x12\0\0");

        letter.Should().Throw<FormatException>("z is not a hex digit");
        nul.Should().Throw<FormatException>("NUL characters are not hex digits, even at the end");
    }

    [Fact]
    public void EncodeQuantity_rejects_a_negative_number()
    {
        var act = () => RpcHex.EncodeQuantity(-1);

        act.Should().Throw<ArgumentOutOfRangeException>("QUANTITY is unsigned");
    }

    [Fact]
    public void EncodeData_follows_the_JSON_RPC_examples()
    {
        RpcHex.EncodeData("A"u8).Should().Be("0x41", "size 1, \"A\"");
        RpcHex.EncodeData([0x00, 0x42, 0x00]).Should().Be("0x004200", "size 3: DATA keeps its leading zero bytes");
        RpcHex.EncodeData([]).Should().Be("0x", "size 0: the empty byte array is 0x, unlike the QUANTITY zero");
    }

    [Fact]
    public void DecodeData_keeps_leading_zero_bytes() =>
        RpcHex.DecodeData("0x004200").Should().Equal([0x00, 0x42, 0x00], "DATA is bytes, not a number");

    [Theory]
    [InlineData("0xf0f0f", "must be even number of digits")]
    [InlineData("004200", "must be prefixed 0x")]
    public void DecodeData_rejects_the_JSON_RPC_counterexamples(string hex, string why)
    {
        var act = () => RpcHex.DecodeData(hex);

        act.Should().Throw<FormatException>($"the JSON-RPC spec marks {hex} WRONG: {why}");
    }
}
