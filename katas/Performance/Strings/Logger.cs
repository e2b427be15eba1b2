using System.Runtime.CompilerServices;

namespace Koans.Performance.Strings;

/// <summary>
/// A logger whose disabled calls cost nothing: <c>logger.Log(LogLevel.Debug, $"cache hit {key} after {elapsed}")</c>
/// neither formats its arguments nor allocates when Debug is below <see cref="Minimum"/>.
/// </summary>
/// <remarks>
/// <para>With a <c>string</c> parameter the caller has formatted and allocated the message before <c>Log</c> can look at
/// the level; a <see cref="FormattableString"/> (see <see cref="NaiveLogger"/>) still allocates an object and an array
/// and boxes every value type. An interpolated string handler lets the compiler hand the pieces to you one by one,
/// after asking whether you want them at all.</para>
/// <para>Enabled messages are formatted with the invariant culture, each value exactly once, and stored in
/// <see cref="Messages"/>. Budget for an enabled call: the message string and nothing else (within 32 bytes).</para>
/// </remarks>
public sealed class Logger(LogLevel minimum)
{
    /// <summary>The lowest level that is recorded.</summary>
    public LogLevel Minimum { get; } = minimum;

    /// <summary>The messages recorded so far. (Presized: adding to it does not count against the budget.)</summary>
    public List<string> Messages { get; } = new(capacity: 1024);

    /// <summary>Records the message if <paramref name="level"/> is at least <see cref="Minimum"/>.</summary>
    public void Log(LogLevel level, [InterpolatedStringHandlerArgument("", "level")] ref LogMessageHandler message) =>
        throw new NotImplementedException();
}

/// <summary>The interpolated string handler behind <see cref="Logger.Log"/>.</summary>
[InterpolatedStringHandler]
public ref struct LogMessageHandler
{
    /// <summary>
    /// Called by the compiler before any part of the message is evaluated. Set <paramref name="isEnabled"/> to false
    /// and the compiler skips every Append call (and the evaluation of the interpolated expressions).
    /// </summary>
    public LogMessageHandler(int literalLength, int formattedCount, Logger logger, LogLevel level, out bool isEnabled) =>
        throw new NotImplementedException();

    /// <summary>A literal part of the message.</summary>
    public void AppendLiteral(string value) => throw new NotImplementedException();

    /// <summary>An interpolated value, <c>{value}</c>.</summary>
    public void AppendFormatted<T>(T value) => throw new NotImplementedException();

    /// <summary>An interpolated value with a format, <c>{value:F2}</c>.</summary>
    public void AppendFormatted<T>(T value, string? format) => throw new NotImplementedException();

    /// <summary>The finished message (null when the level was disabled); the handler is done after this.</summary>
    public string? ToStringAndClear() => throw new NotImplementedException();
}
