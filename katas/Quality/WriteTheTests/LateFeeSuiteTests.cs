using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Koans.Quality.WriteTheTests;

/// <summary>
/// The kata's own tests judge your suite (LateFeeSuite.cs): it must pass on the correct calculator, control time with a
/// FakeTimeProvider, hold a real CsCheck property test, and fail on every mutant below, each a copy of
/// LateFeeCalculator.Provided.cs with one plausible bug. A mutant your suite does not notice "survives", and its test
/// here fails, saying which bug slipped through.
/// </summary>
public sealed class LateFeeSuiteTests
{
    // ---- The mutants: mistakes learners and real systems make with fees, calendars and clocks ----

    public static readonly Mutant MidnightIsStillOnTime = new(
        "midnight-is-still-on-time",
        "an item returned at exactly midnight after its due date (00:00:00 in the library's zone) is let off",
        "Set the FakeTimeProvider to that very instant: it is the first instant of the next day, one day late.",
        new Mutation("if (returnedAt < endOfDueDate)", "if (returnedAt <= endOfDueDate)"));

    public static readonly Mutant DueDateCountedAsLate = new(
        "due-date-counted-as-a-late-day",
        "the due date itself is counted as a late day (a fencepost error), so one day late costs two days",
        "Pin the exact fee for a given number of days late, not only 'more than zero'.",
        new Mutation("- loan.DueDate.DayNumber;", "- loan.DueDate.DayNumber + 1;"));

    public static readonly Mutant FirstLateDayFree = new(
        "first-late-day-free",
        "the first late day goes uncharged (a fencepost error the other way), so one day late costs nothing",
        "Return an item on the day after its due date and pin the fee.",
        new Mutation("- loan.DueDate.DayNumber;", "- loan.DueDate.DayNumber - 1;"));

    public static readonly Mutant DaysCountedInUtc = new(
        "days-counted-in-utc",
        "days are counted on the UTC calendar instead of the library's, so a return in the library's evening (already " +
        "tomorrow in UTC) is charged, or one in its early morning let off",
        "Give the calculator a library time zone far from UTC and return an item at an hour where the two calendars " +
        "disagree on the date.",
        new Mutation("TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), _libraryZone).DateTime", "_clock.GetUtcNow().UtcDateTime"));

    public static readonly Mutant WinterOffsetAllYear = new(
        "winter-offset-all-year",
        "the library's standard (winter) offset is used all year, so in summer an item returned just after midnight " +
        "is counted on the day before",
        "Use a library time zone with daylight saving time (America/New_York, Europe/Paris) and return an item just " +
        "after midnight in summer.",
        new Mutation("TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), _libraryZone).DateTime",
            "_clock.GetUtcNow().ToOffset(_libraryZone.BaseUtcOffset).DateTime"));

    public static readonly Mutant NoCap = new(
        "no-cap",
        "the fee grows past the item's replacement cost",
        "Keep an item out long enough that the daily fees pass its replacement cost.",
        new Mutation("Math.Min(daysLate * dailyRate, loan.ReplacementCost)", "daysLate * dailyRate"));

    public static readonly Mutant CapAfterConcession = new(
        "cap-after-concession",
        "the concession halves the uncapped fee and the cap comes after it, so a concession loan far past its " +
        "replacement cost pays more than half of it",
        "Combine the rules: a concession loan whose daily fees are well past its replacement cost.",
        new Mutation("var fee = Math.Min(daysLate * dailyRate, loan.ReplacementCost);", "var fee = daysLate * dailyRate;"),
        new Mutation("return loan.Concession ? Math.Round(fee / 2, 2, MidpointRounding.AwayFromZero) : fee;",
            "return Math.Min(loan.Concession ? Math.Round(fee / 2, 2, MidpointRounding.AwayFromZero) : fee, loan.ReplacementCost);"));

    public static readonly Mutant BankersRounding = new(
        "bankers-rounding",
        "half a cent is rounded to the even cent (banker's rounding, Math.Round's default), so half of 0.25 is 0.12",
        "Pin a concession fee whose half ends in exactly half a cent.",
        new Mutation("MidpointRounding.AwayFromZero", "MidpointRounding.ToEven"));

    public static readonly Mutant OneRateForEverything = new(
        "one-rate-for-everything",
        "a DVD is charged the book rate",
        "Every kind of item has its own rate: test each kind.",
        new Mutation("ItemKind.Dvd => 1.00m,", "ItemKind.Dvd => 0.25m,"));

    public static readonly Mutant ConcessionForgotten = new(
        "concession-forgotten",
        "a concession loan pays the full fee",
        "Test a concession loan that is late.",
        new Mutation("return loan.Concession ? Math.Round(fee / 2, 2, MidpointRounding.AwayFromZero) : fee;", "return fee;"));

    public static readonly Mutant NegativeCostAccepted = new(
        "negative-cost-accepted",
        "a negative replacement cost is accepted instead of refused with ArgumentOutOfRangeException",
        "Test the refusal too: a negative test asserts the exception and its type.",
        new Mutation("ArgumentOutOfRangeException.ThrowIfNegative(loan.ReplacementCost);", ""));

    public static readonly Mutant EarlyReturnCredit = new(
        "early-return-credit",
        "an item returned before its due date earns a credit (a negative fee) instead of costing nothing",
        "Return an item days before its due date.",
        new Mutation("if (returnedAt < endOfDueDate)", "if (false)"));

    public static readonly IReadOnlyList<Mutant> All =
    [
        MidnightIsStillOnTime, DueDateCountedAsLate, FirstLateDayFree, DaysCountedInUtc, WinterOffsetAllYear, NoCap,
        CapAfterConcession, BankersRounding, OneRateForEverything, ConcessionForgotten, NegativeCostAccepted,
        EarlyReturnCredit,
    ];

    private static LearnerSuite Suite => LearnerSuite.Current;

    // ---- Your suite, before any mutant ----

    [Fact]
    public async Task Every_test_in_your_suite_passes_on_the_correct_calculator()
    {
        await Suite.RequirePassesOnTheCorrectCalculatorAsync();
    }

    [Fact]
    public async Task Your_suite_controls_time_with_a_FakeTimeProvider()
    {
        await Suite.RequirePassesOnTheCorrectCalculatorAsync();

        var realClockUses = new List<string>();
        var fakesCreated = 0;
        foreach (var tree in Suite.LearnerTrees)
        {
            var model = Suite.CorrectCompilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot(TestContext.Current.CancellationToken).DescendantNodes())
            {
                if (node is BaseObjectCreationExpressionSyntax creation
                    && model.GetTypeInfo(creation, TestContext.Current.CancellationToken).Type?.ToDisplayString() == "Microsoft.Extensions.Time.Testing.FakeTimeProvider")
                {
                    fakesCreated++;
                }

                if (node is IdentifierNameSyntax identifier
                    && model.GetSymbolInfo(identifier, TestContext.Current.CancellationToken).Symbol is { } symbol
                    && RealClock(symbol) is { } what)
                {
                    realClockUses.Add($"{what} (line {identifier.GetLocation().GetLineSpan().StartLinePosition.Line + 1} of {Path.GetFileName(tree.FilePath)})");
                }
            }
        }

        realClockUses.Should().BeEmpty(
            "a test that reads the machine's clock or time zone, or waits for real time, gives a different answer " +
            "at another hour, on another machine, in another season: pass the calculator a FakeTimeProvider and set " +
            "it. Found: {0}", string.Join(", ", realClockUses));
        fakesCreated.Should().BePositive(
            "the calculator reads 'now' from the TimeProvider you give it: create a FakeTimeProvider, set it to the " +
            "instant a test needs (SetUtcNow, Advance) and pass it in");
    }

    [Fact]
    public async Task Your_suite_has_a_CsCheck_property_test()
    {
        await Suite.RequirePassesOnTheCorrectCalculatorAsync();

        PropertyTests().Should().NotBeEmpty(
            "a property test states a rule that holds for every input and lets CsCheck generate hundreds of inputs " +
            "(and shrink a failing one to the simplest): write a [Fact] that calls Sample on a CsCheck Gen in its body");
    }

    [Fact]
    public async Task Your_property_test_on_its_own_catches_at_least_one_mutant()
    {
        await Suite.RequirePassesOnTheCorrectCalculatorAsync();
        var properties = PropertyTests();
        properties.Should().NotBeEmpty("first write the property test (see Your_suite_has_a_CsCheck_property_test)");

        var caught = new List<string>();
        foreach (var mutant in All)
        {
            var results = await Suite.RunAsync(mutant, m => properties.Contains((m.DeclaringType!.FullName!, m.Name)), "properties");
            if (results.Any(r => !r.Passed))
            {
                caught.Add(mutant.Name);
                break; // one is enough, and a failing property spends its remaining iterations shrinking
            }
        }

        caught.Should().NotBeEmpty(
            "your property test ({0}) passed against all {1} mutants: a property that asserts nothing (or only that the " +
            "code runs) finds nothing. State a rule that holds for every loan and every return instant, and assert it",
            string.Join(", ", properties.Select(p => p.Method)), All.Count);
    }

    // ---- Each mutant: your suite must fail on it ----

    [Fact]
    public Task Your_suite_notices_an_item_returned_at_midnight_being_let_off() => RequireKilledAsync(MidnightIsStillOnTime);

    [Fact]
    public Task Your_suite_notices_the_due_date_counted_as_a_late_day() => RequireKilledAsync(DueDateCountedAsLate);

    [Fact]
    public Task Your_suite_notices_the_first_late_day_going_uncharged() => RequireKilledAsync(FirstLateDayFree);

    [Fact]
    public Task Your_suite_notices_days_counted_in_UTC_instead_of_the_library_time_zone() => RequireKilledAsync(DaysCountedInUtc);

    [Fact]
    public Task Your_suite_notices_the_winter_offset_used_in_summer() => RequireKilledAsync(WinterOffsetAllYear);

    [Fact]
    public Task Your_suite_notices_a_fee_above_the_replacement_cost() => RequireKilledAsync(NoCap);

    [Fact]
    public Task Your_suite_notices_the_cap_applied_after_the_concession() => RequireKilledAsync(CapAfterConcession);

    [Fact]
    public Task Your_suite_notices_half_a_cent_rounded_to_even() => RequireKilledAsync(BankersRounding);

    [Fact]
    public Task Your_suite_notices_a_DVD_charged_the_book_rate() => RequireKilledAsync(OneRateForEverything);

    [Fact]
    public Task Your_suite_notices_a_forgotten_concession() => RequireKilledAsync(ConcessionForgotten);

    [Fact]
    public Task Your_suite_notices_a_negative_replacement_cost_accepted() => RequireKilledAsync(NegativeCostAccepted);

    [Fact]
    public Task Your_suite_notices_a_credit_for_an_early_return() => RequireKilledAsync(EarlyReturnCredit);

    private static async Task RequireKilledAsync(Mutant mutant)
    {
        await Suite.RequirePassesOnTheCorrectCalculatorAsync();

        var results = await Suite.RunAsync(mutant, static _ => true);

        var testsFailingOnTheMutant = results.Where(r => !r.Passed).Select(r => r.Name).ToList();
        testsFailingOnTheMutant.Should().NotBeEmpty(
            "your tests do not notice when {0}: all {1} of them pass against that copy of the calculator (mutant " +
            "{2}: {3}). {4}", mutant.Bug, results.Count, mutant.Name, mutant.Diff, mutant.Advice.TrimEnd('.'));
    }

    /// <summary>
    /// The suite's property tests: [Fact] or [Theory] methods whose body calls one of CsCheck's Sample methods
    /// (Sample, SampleAsync, SampleParallel, ...), as (declaring type's full name, method name).
    /// </summary>
    private static IReadOnlyList<(string Type, string Method)> PropertyTests()
    {
        var found = new List<(string, string)>();
        foreach (var tree in Suite.LearnerTrees)
        {
            var model = Suite.CorrectCompilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot(TestContext.Current.CancellationToken).DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(declaration, TestContext.Current.CancellationToken) is not { } method
                    || !method.GetAttributes().Any(a => InheritsFrom(a.AttributeClass, "Xunit.FactAttribute")))
                {
                    continue;
                }

                var callsSample = declaration.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(invocation =>
                    model.GetSymbolInfo(invocation, TestContext.Current.CancellationToken).Symbol is IMethodSymbol called
                    && called.Name.StartsWith("Sample", StringComparison.Ordinal)
                    && called.ContainingNamespace?.ToDisplayString() == "CsCheck");
                if (callsSample)
                {
                    found.Add((RuntimeName(method.ContainingType), method.Name));
                }
            }
        }

        return found;
    }

    private static bool InheritsFrom(INamedTypeSymbol? type, string fullName)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.ToDisplayString() == fullName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The name reflection gives a type (Type.FullName): namespace, then nested types joined by '+'.</summary>
    private static string RuntimeName(INamedTypeSymbol type) =>
        type.ContainingType is { } outer
            ? $"{RuntimeName(outer)}+{type.MetadataName}"
            : type.ContainingNamespace is { IsGlobalNamespace: false } ns ? $"{ns.ToDisplayString()}.{type.MetadataName}" : type.MetadataName;

    /// <summary>What a reference to <paramref name="symbol"/> reads from the real world, or null.</summary>
    private static string? RealClock(ISymbol symbol)
    {
        var owner = symbol.ContainingType?.ToDisplayString();
        return (owner, symbol.Name) switch
        {
            ("System.DateTime" or "System.DateTimeOffset", "Now" or "UtcNow" or "Today") => $"{owner}.{symbol.Name}",
            ("System.TimeProvider", "System") => "TimeProvider.System",
            ("System.TimeZoneInfo", "Local") => "TimeZoneInfo.Local",
            ("System.Environment", "TickCount" or "TickCount64") => $"Environment.{symbol.Name}",
            ("System.Threading.Thread", "Sleep") => "Thread.Sleep",
            ("System.Diagnostics.Stopwatch", _) => "Stopwatch",
            ("System.Threading.Tasks.Task", "Delay") when symbol is IMethodSymbol delay
                && !delay.Parameters.Any(p => p.Type.ToDisplayString() == "System.TimeProvider") => "Task.Delay without a TimeProvider",
            _ => null,
        };
    }
}
