namespace Koans.Quality.WriteTheTests;

/// <summary>
/// Kata quality.write-the-tests: this time you write the tests. <see cref="LateFeeCalculator"/>
/// (LateFeeCalculator.Provided.cs, correct, never edited) charges a library's late fees by its rules; this class is
/// your xunit suite for it. Replace the two placeholders with as many tests as the rules need.
/// </summary>
/// <remarks>
/// <para>How your suite is judged (the kata's tests, LateFeeSuiteTests.cs, run it by reflection):</para>
/// <list type="number">
/// <item>Every test passes on the correct calculator. A test that fails there is a false alarm, and its verdict on
/// anything else means nothing.</item>
/// <item>Time is yours: the calculator reads "now" from the <see cref="TimeProvider"/> you give it. Give it a
/// FakeTimeProvider (Microsoft.Extensions.Time.Testing) set to the instant each test needs. Reading the machine's
/// clock or time zone, or waiting for real time, makes a test pass at noon and fail at midnight; the judge refuses
/// it.</item>
/// <item>The suite kills every mutant: the judge makes copies of the calculator, each with one plausible bug (a
/// boundary off by one, a comparison one step off, the wrong calendar, the wrong rounding, a rule left out), and runs
/// your suite against each. At least one of your tests must fail on each copy; a mutant that survives is named, with
/// the bug it carries. Assert exact values: a test that only calls the code, or only checks "more than zero",
/// notices almost nothing.</item>
/// <item>One test is a property test with CsCheck: a rule that holds for every loan and every return instant, checked
/// on hundreds of generated inputs (Python's hypothesis). The judge looks for a test method that calls one of
/// CsCheck's Sample methods in its body, and runs it alone against the mutants: it must catch at least one.</item>
/// </list>
/// <para>What the judge runs: public [Fact] and [Theory] methods ([InlineData], [MemberData], [ClassData]) of public
/// classes in the files you edit, each on a fresh instance made with a constructor without parameters (no xunit
/// fixtures); async tests are awaited. Your tests also run as ordinary tests of this kata. You may add files of your
/// own to this folder, but not named *Tests.cs: those are the kata's, and the judge leaves them out.</para>
/// </remarks>
public class LateFeeSuite
{
    [Fact]
    public void Replace_me_with_your_first_test() => throw new NotImplementedException();

    [Fact]
    public void Replace_me_with_your_property_test() => throw new NotImplementedException();
}
