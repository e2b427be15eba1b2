using System.Globalization;
using System.Runtime.CompilerServices;

namespace Koans.Performance.Strings;

public sealed class Logger(LogLevel minimum)
{
    public LogLevel Minimum { get; } = minimum;

    public List<string> Messages { get; } = new(capacity: 1024);

    public void Log(LogLevel level, [InterpolatedStringHandlerArgument("", "level")] ref LogMessageHandler message)
    {
        // When the level is disabled the compiler has already skipped every Append: there is nothing to do.
        if (message.ToStringAndClear() is { } text)
        {
            Messages.Add(text);
        }
    }
}

[InterpolatedStringHandler]
public ref struct LogMessageHandler
{
    // The runtime's own handler does the formatting: it writes into a buffer rented from ArrayPool, calls
    // ISpanFormattable.TryFormat on each value without boxing (AppendFormatted is generic), and allocates only the final
    // string. This handler adds the one thing it lacks: saying no before any work is done.
    private DefaultInterpolatedStringHandler _inner;
    private readonly bool _enabled;

    public LogMessageHandler(int literalLength, int formattedCount, Logger logger, LogLevel level, out bool isEnabled)
    {
        _enabled = isEnabled = level >= logger.Minimum;
        _inner = isEnabled ? new DefaultInterpolatedStringHandler(literalLength, formattedCount, CultureInfo.InvariantCulture) : default;
    }

    public void AppendLiteral(string value) => _inner.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => _inner.AppendFormatted(value, format);

    public string? ToStringAndClear() => _enabled ? _inner.ToStringAndClear() : null;
}
