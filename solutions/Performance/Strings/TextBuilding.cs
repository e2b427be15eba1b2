using System.Globalization;
using System.Text;

namespace Koans.Performance.Strings;

public static class TextBuilding
{
    public static string JoinLines(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        // The length is unknown and the sequence may be read only once: StringBuilder grows in chunks (a linked list of
        // char arrays, never copied on growth), and ToString copies each character exactly once more.
        var builder = new StringBuilder();
        foreach (var line in lines)
        {
            ArgumentNullException.ThrowIfNull(line, nameof(lines));
            builder.Append(line).Append('\n');
        }

        return builder.ToString();
    }

    public static string FormatPairs(IReadOnlyList<(int Id, string Name)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
        {
            return "";
        }

        // Everything is known up front: measure the exact length, then let string.Create hand over the new string's
        // own memory to write into. One allocation, the result.
        var length = pairs.Count - 1; // the commas
        Span<char> scratch = stackalloc char[11]; // "-2147483648"
        for (var i = 0; i < pairs.Count; i++)
        {
            pairs[i].Id.TryFormat(scratch, out var digits, provider: CultureInfo.InvariantCulture);
            length += digits + 1 + pairs[i].Name.Length;
        }

        return string.Create(length, pairs, static (destination, pairs) =>
        {
            for (var i = 0; i < pairs.Count; i++)
            {
                if (i > 0)
                {
                    destination[0] = ',';
                    destination = destination[1..];
                }

                pairs[i].Id.TryFormat(destination, out var written, provider: CultureInfo.InvariantCulture);
                destination[written] = ':';
                pairs[i].Name.CopyTo(destination[(written + 1)..]);
                destination = destination[(written + 1 + pairs[i].Name.Length)..];
            }
        });
    }
}
