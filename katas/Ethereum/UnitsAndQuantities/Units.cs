using System.Numerics;

namespace Koans.Ethereum.UnitsAndQuantities;

/// <summary>
/// Kata ethereum.units-and-quantities, part 1: wei, gwei and ether, exactly.
/// </summary>
/// <remarks>
/// <para>Every amount on chain is an integer number of <b>wei</b>: 1 gwei = 10^9 wei, 1 ether = 10^18 wei. Balances
/// reach 2^256 - 1, far beyond <c>long</c> (and <c>decimal</c>'s 28 digits), so amounts are
/// <see cref="BigInteger"/>. Conversions are exact: an amount that cannot be represented in wei is rejected, never
/// rounded: 1.1 ether is exactly 1100000000000000000 wei, and a test checks it (Foundry's <c>cast to-wei</c> is the
/// oracle).</para>
/// </remarks>
public static class Units
{
    /// <summary>Parses a non-negative decimal amount of ether (<c>"1.5"</c>, <c>"0.000000000000000001"</c>,
    /// <c>"42"</c>) into wei, exactly.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="ether"/> is null.</exception>
    /// <exception cref="FormatException">Not a plain decimal (signs, exponents, spaces, empty parts such as
    /// <c>"1."</c> or <c>".5"</c>), or more than 18 decimals: a fraction of a wei does not exist.</exception>
    public static BigInteger ParseEther(string ether) => throw new NotImplementedException();

    /// <summary>Parses a non-negative decimal amount of gwei (at most 9 decimals) into wei.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="gwei"/> is null.</exception>
    /// <exception cref="FormatException">As <see cref="ParseEther"/>, with 9 decimals.</exception>
    public static BigInteger ParseGwei(string gwei) => throw new NotImplementedException();

    /// <summary>Formats wei as ether with no trailing zeros and no trailing point: <c>"1.5"</c>, <c>"1"</c>,
    /// <c>"0.000000000000000001"</c>, <c>"0"</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="wei"/> is negative.</exception>
    public static string FormatEther(BigInteger wei) => throw new NotImplementedException();
}
