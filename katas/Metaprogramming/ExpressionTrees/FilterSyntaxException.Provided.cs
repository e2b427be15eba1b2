namespace Koans.Metaprogramming.ExpressionTrees;

/// <summary>
/// A filter that is not valid in the filter language. <see cref="Column"/> is the 1-based column of the character where
/// the problem starts, so a caller can put a caret under it.
/// </summary>
public sealed class FilterSyntaxException(string message, int column) : FormatException($"{message} (column {column})")
{
    /// <summary>1-based column of the first character of the offending token; the input's length + 1 at its end.</summary>
    public int Column { get; } = column;
}
