namespace Koans.Performance.StructsAndBoxing;

/// <summary>
/// One executed trade: 48 bytes of value type, the kind of record a market-data or ledger hot path streams by the
/// million. Prices are in ticks (integer hundredths) so sums are exact.
/// </summary>
public readonly record struct Trade(long Id, int InstrumentId, long PriceTicks, long Quantity, long Timestamp, long AccountId);

/// <summary>The usual first versions: correct, and each one boxes or copies on every element.</summary>
public static class NaiveStructs
{
    /// <summary>Pre-generics style: every comparison goes through the non-generic interface.</summary>
    public static T Largest<T>(IReadOnlyList<T> values)
    {
        if (values.Count == 0)
        {
            throw new InvalidOperationException("No values.");
        }

        var best = values[0];
        for (var i = 1; i < values.Count; i++)
        {
            if (((IComparable)values[i]!).CompareTo(best) > 0)
            {
                best = values[i];
            }
        }

        return best;
    }

    /// <summary>Any sequence of trades, each one copied into the loop variable.</summary>
    public static long TotalNotional(IEnumerable<Trade> trades, int instrumentId)
    {
        long total = 0;
        foreach (var trade in trades)
        {
            if (trade.InstrumentId == instrumentId)
            {
                total = checked(total + (trade.PriceTicks * trade.Quantity));
            }
        }

        return total;
    }
}

/// <summary>
/// A spreadsheet cell as a plain struct: no equality of its own, so <see cref="ValueType"/>'s is used, through a boxed
/// copy, and its hash code is whatever the runtime's default makes of the fields.
/// </summary>
public struct NaiveSheetCell(string sheet, int row, int column)
{
    public string Sheet = sheet;
    public int Row = row;
    public int Column = column;
}
