namespace Koans.Quality.WriteTheTests;

/// <summary>What kind of item a loan is; each kind has its own daily rate.</summary>
public enum ItemKind
{
    Book,
    Dvd,
}

/// <summary>
/// One loan: the last day the item may come back free (a calendar date in the library's time zone), what kind of item
/// it is, what replacing it would cost, and whether the borrower has a concession (children and seniors).
/// </summary>
public sealed record Loan(DateOnly DueDate, ItemKind Kind, decimal ReplacementCost, bool Concession = false);

/// <summary>
/// The module your suite tests: the library's late fees, as the circulation desk charges them when an item comes back.
/// It is provided and correct; do not edit it. The kata's own tests make copies of it with one plausible bug each
/// (a mutant) and run your suite against every copy: a good suite fails on each of them.
/// </summary>
/// <remarks>
/// <para>The rules, each of which your suite should pin down:</para>
/// <list type="number">
/// <item>Days are calendar days in the library's time zone (the one given to the constructor, daylight saving time
/// included), taken at the instant the clock says it is now: not UTC, not the zone of the server.</item>
/// <item>An item returned on or before its due date costs nothing. The due date ends at midnight: the first instant
/// of the next day (00:00:00 in the library's zone) is already one day late. An early return earns no credit.</item>
/// <item>Every day after the due date costs the daily rate of the item's kind: 0.25 for a book, 1.00 for a DVD. An
/// item returned on the day after its due date is one day late.</item>
/// <item>The fee never exceeds the item's replacement cost.</item>
/// <item>A concession loan pays half of that capped fee, rounded to the cent, half a cent rounded up: one day late on
/// a book is 0.13 (half of 0.25 is 0.125).</item>
/// <item>A null loan is refused with <see cref="ArgumentNullException"/>; a negative replacement cost or an unknown
/// kind with <see cref="ArgumentOutOfRangeException"/>.</item>
/// </list>
/// </remarks>
public sealed class LateFeeCalculator
{
    private readonly TimeProvider _clock;
    private readonly TimeZoneInfo _libraryZone;

    /// <param name="clock">Where "now" comes from: <see cref="TimeProvider.System"/> at the desk, a fake in tests.</param>
    /// <param name="libraryZone">The library's time zone, in which due dates and return days are counted.</param>
    public LateFeeCalculator(TimeProvider clock, TimeZoneInfo libraryZone)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(libraryZone);
        _clock = clock;
        _libraryZone = libraryZone;
    }

    /// <summary>The fee for <paramref name="loan"/> if the item is returned now (by the clock), in the library's currency.</summary>
    public decimal FeeIfReturnedNow(Loan loan)
    {
        ArgumentNullException.ThrowIfNull(loan);
        ArgumentOutOfRangeException.ThrowIfNegative(loan.ReplacementCost);
        var dailyRate = DailyRate(loan.Kind);

        // The wall-clock time at the library now, with the offset in force at this instant (summer or winter).
        var returnedAt = TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), _libraryZone).DateTime;
        var endOfDueDate = loan.DueDate.AddDays(1).ToDateTime(TimeOnly.MinValue);
        if (returnedAt < endOfDueDate)
        {
            return 0m;
        }

        var daysLate = DateOnly.FromDateTime(returnedAt).DayNumber - loan.DueDate.DayNumber;
        var fee = Math.Min(daysLate * dailyRate, loan.ReplacementCost);
        return loan.Concession ? Math.Round(fee / 2, 2, MidpointRounding.AwayFromZero) : fee;
    }

    private static decimal DailyRate(ItemKind kind) => kind switch
    {
        ItemKind.Book => 0.25m,
        ItemKind.Dvd => 1.00m,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind of item the library lends."),
    };
}
