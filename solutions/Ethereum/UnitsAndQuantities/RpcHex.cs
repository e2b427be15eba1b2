using System.Globalization;
using System.Numerics;

namespace Koans.Ethereum.UnitsAndQuantities;

/// <summary>Reference solution for ethereum.units-and-quantities (JSON-RPC hex).</summary>
public static class RpcHex
{
    public static string EncodeQuantity(BigInteger value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        // "x" formatting adds a leading 0 when the top bit is set (255 -> "0ff"), so trim, keeping one digit for zero.
        var digits = value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
        return "0x" + (digits.Length == 0 ? "0" : digits);
    }

    public static BigInteger DecodeQuantity(string hex)
    {
        var digits = StripPrefix(hex);
        if (digits.Length == 0)
        {
            throw new FormatException("A QUANTITY has at least one digit: zero is 0x0.");
        }

        if (digits.Length > 1 && digits[0] == '0')
        {
            throw new FormatException($"'{hex}' has a leading zero: a QUANTITY is the most compact representation.");
        }

        if (!digits.All(char.IsAsciiHexDigit))
        {
            throw new FormatException($"'{hex}' contains a non-hex digit.");
        }

        // The extra leading 0 keeps BigInteger from reading the top bit as a sign. The digit check above is not
        // redundant: BigInteger.Parse ignores trailing NUL characters, so it would read "0x1\0" as 1.
        return BigInteger.Parse("0" + digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    public static string EncodeData(ReadOnlySpan<byte> data) => "0x" + Convert.ToHexStringLower(data);

    public static byte[] DecodeData(string hex)
    {
        // Convert.FromHexString is strict: an odd number of digits or a non-hex digit is a FormatException.
        return Convert.FromHexString(StripPrefix(hex));
    }

    private static string StripPrefix(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!hex.StartsWith("0x", StringComparison.Ordinal))
        {
            throw new FormatException($"'{hex}' must be prefixed 0x.");
        }

        return hex[2..];
    }
}
