namespace Koans.Performance.StructsAndBoxing;

public static class HotPath
{
    public static T Largest<T>(ReadOnlySpan<T> values)
        where T : IComparable<T>
    {
        if (values.IsEmpty)
        {
            throw new InvalidOperationException("Largest of an empty sequence is undefined.");
        }

        var best = values[0];
        for (var i = 1; i < values.Length; i++)
        {
            // T is constrained to IComparable<T>, so this is a "constrained." call: for a value type the JIT calls
            // T.CompareTo(T) directly (specialised code per value type, often inlined), with no box. Casting to
            // IComparable or calling Comparer.Default (non-generic) would box both operands on every comparison.
            // Strictly greater: the first of equal maxima is kept.
            if (values[i].CompareTo(best) > 0)
            {
                best = values[i];
            }
        }

        return best;
    }

    // `in`: a read-only reference to the caller's 48 bytes instead of a copy. Trade is a readonly struct, so reading
    // its properties through the reference needs no defensive copy either (for a non-readonly struct the compiler
    // would copy it before every property call, to protect the caller's value from a possibly mutating getter).
    public static long Notional(in Trade trade) => checked(trade.PriceTicks * trade.Quantity);

    public static long TotalNotional(ReadOnlySpan<Trade> trades, int instrumentId)
    {
        long total = 0;
        // `ref readonly var`: the loop variable is a reference into the span, not a copy of each element.
        foreach (ref readonly var trade in trades)
        {
            if (trade.InstrumentId == instrumentId)
            {
                total = checked(total + Notional(in trade));
            }
        }

        return total;
    }
}

// A record struct gets IEquatable<SheetCell>, Equals(object), ==, != and GetHashCode from the compiler: field by field
// through EqualityComparer<T>.Default (ordinal for the string), hashes of all fields mixed in order. A plain struct
// falls back to ValueType's: Equals through reflection on a boxed copy, and, because it holds a reference, a hash of
// its first non-null field only (the sheet name), so every cell of a sheet collides. Dictionary<SheetCell, T>'s
// default comparer calls Equals(SheetCell) directly: no boxing.
public readonly record struct SheetCell(string Sheet, int Row, int Column);
