using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace Koans.Quality.WriteTheTests;

/// <summary>
/// The reference suite for <see cref="LateFeeCalculator"/>: one test per rule and per boundary of a rule, each with
/// the exact fee it expects, the refusals, and a property over every loan and return instant.
/// </summary>
public class LateFeeSuite
{
    // A real zone with daylight saving time: UTC-5 in winter, UTC-4 in summer. A fixed-offset zone could not tell
    // "the offset now" from "the standard offset".
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    // East of UTC, so its calendar runs ahead of UTC's: 01:00 in Tokyo is still the day before in UTC.
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    private static readonly DateOnly DueDate = new(2026, 1, 14);

    private static Loan Book(decimal replacementCost = 30m, bool concession = false) =>
        new(DueDate, ItemKind.Book, replacementCost, concession);

    /// <summary>The fee charged at <paramref name="localTime"/> on <paramref name="date"/>, wall-clock time in <paramref name="zone"/>.</summary>
    private static decimal FeeAt(Loan loan, DateOnly date, TimeOnly localTime, TimeZoneInfo? zone = null)
    {
        zone ??= NewYork;
        var instant = TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(localTime), zone);
        var clock = new FakeTimeProvider(new DateTimeOffset(instant, TimeSpan.Zero));
        return new LateFeeCalculator(clock, zone).FeeIfReturnedNow(loan);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("12:00:00")]
    [InlineData("23:59:59.9999999")]
    public void An_item_returned_at_any_time_on_its_due_date_costs_nothing(string localTime)
    {
        FeeAt(Book(), DueDate, TimeOnly.Parse(localTime, System.Globalization.CultureInfo.InvariantCulture))
            .Should().Be(0m, "the due date lasts until midnight in the library's zone");
    }

    [Fact]
    public void The_first_instant_after_the_due_date_is_one_day_late()
    {
        FeeAt(Book(), DueDate.AddDays(1), TimeOnly.MinValue)
            .Should().Be(0.25m, "00:00:00 belongs to the next day: one day late, one day's book rate");
    }

    [Fact]
    public void Advancing_the_clock_past_midnight_turns_on_time_into_one_day_late()
    {
        var lastTickOfDueDate = TimeZoneInfo.ConvertTimeToUtc(DueDate.ToDateTime(new TimeOnly(23, 59, 59)), NewYork);
        var clock = new FakeTimeProvider(new DateTimeOffset(lastTickOfDueDate, TimeSpan.Zero));
        var calculator = new LateFeeCalculator(clock, NewYork);

        calculator.FeeIfReturnedNow(Book()).Should().Be(0m, "23:59:59 is still the due date");
        clock.Advance(TimeSpan.FromSeconds(1));
        calculator.FeeIfReturnedNow(Book()).Should().Be(0.25m, "a second later it is the next day");
    }

    [Theory]
    [InlineData(ItemKind.Book, 1, 0.25)]
    [InlineData(ItemKind.Book, 2, 0.50)]
    [InlineData(ItemKind.Book, 10, 2.50)]
    [InlineData(ItemKind.Dvd, 1, 1.00)]
    [InlineData(ItemKind.Dvd, 10, 10.00)]
    public void Each_day_after_the_due_date_costs_the_daily_rate_of_the_kind(ItemKind kind, int daysLate, decimal expected)
    {
        var loan = new Loan(DueDate, kind, ReplacementCost: 100m);

        FeeAt(loan, DueDate.AddDays(daysLate), new TimeOnly(15, 0))
            .Should().Be(expected, "{0} day(s) late at the {1} rate", daysLate, kind);
    }

    [Fact]
    public void An_early_return_costs_nothing_and_earns_no_credit()
    {
        FeeAt(Book(), DueDate.AddDays(-3), new TimeOnly(10, 0)).Should().Be(0m, "early is on time: no negative fee");
    }

    [Fact]
    public void Days_are_counted_on_the_library_calendar_not_on_UTC_west_of_Greenwich()
    {
        // 22:00 in New York on the due date is 03:00 UTC the next day.
        FeeAt(Book(), DueDate, new TimeOnly(22, 0), NewYork)
            .Should().Be(0m, "it is still the due date in the library, whatever the UTC date says");
    }

    [Fact]
    public void Days_are_counted_on_the_library_calendar_not_on_UTC_east_of_Greenwich()
    {
        // 01:00 in Tokyo on the day after the due date is 16:00 UTC on the due date.
        FeeAt(Book(), DueDate.AddDays(1), new TimeOnly(1, 0), Tokyo)
            .Should().Be(0.25m, "it is already the next day in the library, whatever the UTC date says");
    }

    [Fact]
    public void Summer_returns_use_the_summer_offset()
    {
        var summerDueDate = new DateOnly(2026, 7, 14);
        var loan = new Loan(summerDueDate, ItemKind.Book, 30m);

        // 00:30 EDT (UTC-4) is 04:30 UTC; with the winter offset (UTC-5) it would read 23:30 on the due date.
        FeeAt(loan, summerDueDate.AddDays(1), new TimeOnly(0, 30))
            .Should().Be(0.25m, "in July New York is UTC-4: 00:30 is already the day after the due date");
        FeeAt(loan, summerDueDate, new TimeOnly(23, 30))
            .Should().Be(0m, "23:30 EDT on the due date is still on time");
    }

    [Fact]
    public void The_fee_stops_at_the_replacement_cost()
    {
        FeeAt(Book(replacementCost: 2m), DueDate.AddDays(30), new TimeOnly(9, 0))
            .Should().Be(2m, "thirty days at 0.25 would be 7.50, but the fee never exceeds what replacing the book costs");
    }

    [Theory]
    [InlineData(1, 0.13)]
    [InlineData(3, 0.38)]
    [InlineData(4, 0.50)]
    public void A_concession_pays_half_rounded_to_the_cent_with_half_a_cent_rounded_up(int daysLate, decimal expected)
    {
        FeeAt(Book(concession: true), DueDate.AddDays(daysLate), new TimeOnly(9, 0))
            .Should().Be(expected, "half of {0} day(s) at 0.25, a half cent rounded up (not to even)", daysLate);
    }

    [Fact]
    public void A_concession_halves_the_capped_fee()
    {
        var dvd = new Loan(DueDate, ItemKind.Dvd, ReplacementCost: 20m, Concession: true);

        FeeAt(dvd, DueDate.AddDays(30), new TimeOnly(9, 0))
            .Should().Be(10m, "30.00 is capped at the replacement cost 20.00 first, and the concession halves that");
    }

    [Fact]
    public void A_negative_replacement_cost_is_refused()
    {
        var calculator = new LateFeeCalculator(new FakeTimeProvider(), NewYork);

        var act = () => calculator.FeeIfReturnedNow(Book(replacementCost: -0.01m));

        act.Should().Throw<ArgumentOutOfRangeException>("a replacement cost cannot be negative");
    }

    [Fact]
    public void An_unknown_kind_and_a_missing_loan_are_refused()
    {
        var calculator = new LateFeeCalculator(new FakeTimeProvider(), NewYork);

        var unknownKind = () => calculator.FeeIfReturnedNow(new Loan(DueDate, (ItemKind)42, 30m));
        var noLoan = () => calculator.FeeIfReturnedNow(null!);

        unknownKind.Should().Throw<ArgumentOutOfRangeException>("the library lends books and DVDs only");
        noLoan.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void A_calculator_needs_a_clock_and_a_zone()
    {
        var noClock = () => new LateFeeCalculator(null!, NewYork);
        var noZone = () => new LateFeeCalculator(new FakeTimeProvider(), null!);

        noClock.Should().Throw<ArgumentNullException>().WithParameterName("clock");
        noZone.Should().Throw<ArgumentNullException>().WithParameterName("libraryZone");
    }

    [Fact]
    public void For_every_loan_the_fee_is_between_zero_and_the_replacement_cost_and_never_falls_as_the_return_gets_later()
    {
        var loans = Gen.Select(Gen.Int[0, 3650], Gen.Enum<ItemKind>(), Gen.Int[0, 10_000], Gen.Bool,
            (day, kind, cents, concession) => new Loan(new DateOnly(2020, 1, 1).AddDays(day), kind, cents / 100m, concession));
        // Minutes from midnight UTC at the start of the due date: a week early to four months late.
        var returnMinute = Gen.Int[-7 * 24 * 60, 120 * 24 * 60];
        var laterBy = Gen.Int[0, 30 * 24 * 60];

        Gen.Select(loans, returnMinute, laterBy).Sample((loan, minute, later) =>
        {
            var clock = new FakeTimeProvider(new DateTimeOffset(loan.DueDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddMinutes(minute));
            var calculator = new LateFeeCalculator(clock, NewYork);

            var fee = calculator.FeeIfReturnedNow(loan);
            clock.Advance(TimeSpan.FromMinutes(later));
            var laterFee = calculator.FeeIfReturnedNow(loan);

            fee.Should().BeInRange(0m, loan.ReplacementCost, "a fee is never a credit and never more than the item");
            laterFee.Should().BeGreaterThanOrEqualTo(fee, "keeping an item longer never makes it cheaper");
        });
    }
}
