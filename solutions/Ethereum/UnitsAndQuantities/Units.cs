using System.Globalization;
using System.Numerics;

namespace Koans.Ethereum.UnitsAndQuantities;

/// <summary>Reference solution for ethereum.units-and-quantities (units).</summary>
public static class Units
{
    private const int EtherDecimals = 18;
    private const int GweiDecimals = 9;

    public static BigInteger ParseEther(string ether)
    {
        ArgumentNullException.ThrowIfNull(ether);
        return ParseUnits(ether, EtherDecimals);
    }

    public static BigInteger ParseGwei(string gwei)
    {
        ArgumentNullException.ThrowIfNull(gwei);
        return ParseUnits(gwei, GweiDecimals);
    }

    public static string FormatEther(BigInteger wei)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wei);
        var (whole, fraction) = BigInteger.DivRem(wei, BigInteger.Pow(10, EtherDecimals));
        var fractionDigits = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(EtherDecimals, '0').TrimEnd('0');
        var wholeDigits = whole.ToString(CultureInfo.InvariantCulture);
        return fractionDigits.Length == 0 ? wholeDigits : $"{wholeDigits}.{fractionDigits}";
    }

    // Exact: integer arithmetic on the digits, never a binary floating-point intermediate.
    private static BigInteger ParseUnits(string amount, int decimals)
    {
        var parts = amount.Split('.');
        if (parts.Length > 2 || parts.Any(p => p.Length == 0 || !p.All(char.IsAsciiDigit)))
        {
            throw new FormatException($"'{amount}' is not an unsigned decimal amount like 1.5.");
        }

        var fraction = parts.Length == 2 ? parts[1] : "";
        if (fraction.Length > decimals)
        {
            throw new FormatException($"'{amount}' has more than {decimals} decimals: that is less than one wei.");
        }

        return BigInteger.Parse(parts[0], CultureInfo.InvariantCulture) * BigInteger.Pow(10, decimals)
            + BigInteger.Parse(fraction.PadRight(decimals, '0'), CultureInfo.InvariantCulture);
    }
}
