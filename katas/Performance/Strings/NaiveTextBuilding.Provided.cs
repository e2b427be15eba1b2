using System.Globalization;

namespace Koans.Performance.Strings;

/// <summary>Log levels, lowest first.</summary>
public enum LogLevel
{
    Debug,
    Information,
    Warning,
    Error,
}

/// <summary>The usual first versions: correct, and each allocates far more than its result.</summary>
public static class NaiveTextBuilding
{
    public static string JoinLines(IEnumerable<string> lines)
    {
        var text = "";
        foreach (var line in lines)
        {
            text += line + "\n";
        }

        return text;
    }

    public static string FormatPairs(IReadOnlyList<(int Id, string Name)> pairs) =>
        string.Join(",", pairs.Select(p => p.Id.ToString(CultureInfo.InvariantCulture) + ":" + p.Name));
}

/// <summary>The pre-handler way to log with the invariant culture: a FormattableString, built before the level is checked.</summary>
public sealed class NaiveLogger(LogLevel minimum)
{
    public List<string> Messages { get; } = new(capacity: 1024);

    public void Log(LogLevel level, FormattableString message)
    {
        if (level >= minimum)
        {
            Messages.Add(FormattableString.Invariant(message));
        }
    }
}
