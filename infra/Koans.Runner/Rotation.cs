using System.Globalization;
using System.Text.RegularExpressions;

namespace Koans.Runner;

/// <summary>
/// The driver rotation of a dojo: who is driver (1, 2, …), the time left, and the "switch driver" moment. Every reading
/// comes from the TimeProvider, so tests move the clock with FakeTimeProvider instead of waiting.
/// </summary>
public sealed partial class Rotation(TimeProvider time, TimeSpan length)
{
    /// <summary>How long the "switch driver" banner stays up after a switch.</summary>
    public static readonly TimeSpan Banner = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan Shortest = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Longest = TimeSpan.FromHours(2);

    private DateTimeOffset _started = time.GetUtcNow();
    private DateTimeOffset? _switchedAt;

    public TimeSpan Length { get; } = length;

    public int Driver { get; private set; } = 1;

    public TimeSpan Remaining
    {
        get
        {
            var left = _started + Length - time.GetUtcNow();
            return left < TimeSpan.Zero ? TimeSpan.Zero : left;
        }
    }

    /// <summary>True while the banner of the last switch is up.</summary>
    public bool Switching => _switchedAt is { } at && time.GetUtcNow() - at < Banner;

    /// <summary>Switches driver if the time is up; true when it did. A long pause (a laptop asleep) is one switch, not many.</summary>
    public bool Update()
    {
        if (time.GetUtcNow() < _started + Length)
        {
            return false;
        }

        SwitchNow();
        return true;
    }

    /// <summary>The next driver takes over now, with a full turn ahead.</summary>
    public void SwitchNow()
    {
        Driver++;
        _started = time.GetUtcNow();
        _switchedAt = _started;
    }

    /// <summary>When the screen next needs redrawing for the countdown: the next whole second left, or the banner's end.</summary>
    public TimeSpan UntilNextTick()
    {
        var remaining = Remaining;
        var fraction = TimeSpan.FromTicks(remaining.Ticks % TimeSpan.TicksPerSecond);
        var next = fraction > TimeSpan.Zero ? fraction : TimeSpan.FromSeconds(1);
        if (_switchedAt is { } at && time.GetUtcNow() - at < Banner)
        {
            var bannerLeft = at + Banner - time.GetUtcNow();
            next = bannerLeft < next ? bannerLeft : next;
        }

        return remaining > TimeSpan.Zero && remaining < next ? remaining : next;
    }

    /// <summary>04:59, or 1:04:59 for an hour or more.</summary>
    public static string Clock(TimeSpan left)
    {
        var seconds = (int)Math.Ceiling(left.TotalSeconds);
        return seconds >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:00}:{seconds % 60:00}");
    }

    /// <summary>5m, 90s, 1m30s, 1h: a turn's length, between <see cref="Shortest"/> and <see cref="Longest"/>.</summary>
    public static TimeSpan ParseLength(string text)
    {
        var advice = $"--rotate takes a turn's length such as 5m, 90s or 2m30s (between {Shortest.TotalSeconds:0}s and {Longest.TotalHours:0}h)";
        var match = LengthPattern().Match(text.Trim());
        if (!match.Success || text.Trim().Length == 0)
        {
            throw new KoansException($"{advice}, and '{text}' is not one.");
        }

        static long Part(Group group) => group.Success ? long.Parse(group.Value, CultureInfo.InvariantCulture) : 0;
        TimeSpan length;
        try
        {
            length = TimeSpan.FromHours(Part(match.Groups["h"])) + TimeSpan.FromMinutes(Part(match.Groups["m"])) + TimeSpan.FromSeconds(Part(match.Groups["s"]));
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            throw new KoansException($"{advice}, and '{text}' is far longer.");
        }

        return length < Shortest || length > Longest
            ? throw new KoansException($"{advice}, and '{text}' is {(length < Shortest ? "shorter" : "longer")}.")
            : length;
    }

    [GeneratedRegex(@"^(?=\d)(?:(?<h>\d{1,6})h)?(?:(?<m>\d{1,6})m)?(?:(?<s>\d{1,6})s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex LengthPattern();
}
