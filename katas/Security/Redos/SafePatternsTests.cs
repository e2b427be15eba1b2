using System.Text.RegularExpressions;

namespace Koans.Security.Redos;

public class SafePatternsTests
{
    // Short enough that the naive engine gives up quickly; the evil inputs need 2^40 steps or more, far beyond it.
    private static readonly TimeSpan NaiveTimeout = TimeSpan.FromMilliseconds(250);

    // Only a hang guard: a correct solution answers at once; a catastrophic one would never answer, and then this test
    // fails by name instead of hanging the run. Nothing asserts how long anything took.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    private static async Task<T> Answered<T>(Func<T> work)
    {
        var task = Task.Run(work, TestContext.Current.CancellationToken);
        try
        {
            return await task.WaitAsync(HangGuard, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException(
                "The evil input was not answered: the pattern backtracks catastrophically (use a linear engine or pattern).");
        }
    }

    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("Alice.Smith-Jones_2@mail.example.co.uk")]
    [InlineData("x@y.io")]
    [InlineData("a1@xn--bcher-kva.example")]
    public void IsValidEmail_accepts_addresses_of_the_grammar(string address) =>
        SafePatterns.IsValidEmail(address).Should().BeTrue($"'{address}' follows the grammar in the remarks");

    [Theory]
    [InlineData("alice@")]
    [InlineData("@example.com")]
    [InlineData("alice..smith@example.com")]
    [InlineData(".alice@example.com")]
    [InlineData("alice.@example.com")]
    [InlineData("alice@example")]
    [InlineData("alice@-example.com")]
    [InlineData("alice@example-.com")]
    [InlineData("alice@example.c0m")]
    [InlineData("alice smith@example.com")]
    [InlineData("alice@example.com\n")]
    [InlineData("alice@@example.com")]
    [InlineData("")]
    public void IsValidEmail_refuses_what_the_grammar_does_not_allow(string address) =>
        SafePatterns.IsValidEmail(address).Should().BeFalse(
            $"'{address.Replace("\n", "\\n")}' breaks the grammar (a final newline included: $ matches before one, \\z does not)");

    [Fact]
    public void IsValidEmail_enforces_the_length_limits()
    {
        SafePatterns.IsValidEmail(new string('a', 64) + "@example.com").Should().BeTrue("a 64-character local part is allowed");
        SafePatterns.IsValidEmail(new string('a', 65) + "@example.com").Should().BeFalse("the local part is at most 64 characters");

        var longDomain = string.Join('.', Enumerable.Repeat(new string('d', 60), 4)) + ".com"; // 247 characters
        SafePatterns.IsValidEmail("ab@" + longDomain).Should().BeTrue("250 characters in all is within the limit");
        SafePatterns.IsValidEmail("abcdef@" + longDomain).Should().BeTrue($"exactly {SafePatterns.MaxEmailLength} characters is still within the limit");
        SafePatterns.IsValidEmail("abcdefg@" + longDomain).Should().BeFalse($"255 characters is over {SafePatterns.MaxEmailLength}");
    }

    [Theory]
    [InlineData(40)]
    [InlineData(200)]
    [InlineData(SafePatterns.MaxEmailLength - 1)]
    public async Task IsValidEmail_answers_the_OWASP_evil_input(int length)
    {
        var evil = new string('a', length) + "!";
        var naive = () => NaivePatterns.IsMatch(NaivePatterns.Email, evil, NaiveTimeout);
        naive.Should().Throw<RegexMatchTimeoutException>(
            "the nested quantifier in ([a-zA-Z0-9]+)* tries 2^n ways to fail: the naive regex would run for years");

        (await Answered(() => SafePatterns.IsValidEmail(evil))).Should().BeFalse("no '@': not an address, answered at once");
    }

    [Fact]
    public void EmailPattern_has_a_finite_match_timeout_as_a_backstop()
    {
        var timeout = SafePatterns.EmailPattern.MatchTimeout;

        timeout.Should().NotBe(Regex.InfiniteMatchTimeout, "a linear pattern still gets a timeout, in case it is ever edited");
        timeout.Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(1));
    }

    // Patterns from the OWASP ReDoS page and its usual suspects; each evil input is forty characters that almost match.
    [Theory]
    [InlineData("(a+)+$", 'a', "!")]
    [InlineData("(x+x+)+y", 'x', "")]
    [InlineData("^(a|aa)+$", 'a', "!")]
    [InlineData(@"^(\w+\s?)*$", 'a', "!")]
    [InlineData("^(([a-z])+.)+[A-Z]([a-z])+$", 'a', "!")]
    public async Task CompileUserPattern_answers_an_evil_pattern_on_its_evil_input(string pattern, char repeated, string ending)
    {
        var evil = new string(repeated, 40) + ending;
        var naive = () => NaivePatterns.IsMatch(pattern, evil, NaiveTimeout);
        naive.Should().Throw<RegexMatchTimeoutException>(
            "run by the backtracking engine, a user's pattern spends your CPU: this one tries about 2^40 ways to fail");

        var compiled = SafePatterns.CompileUserPattern(pattern);

        (await Answered(() => compiled.IsMatch(evil))).Should().BeFalse("a linear engine answers in one pass over the input");
        compiled.MatchTimeout.Should().NotBe(Regex.InfiniteMatchTimeout, "and a timeout still bounds it");
    }

    [Fact]
    public void CompileUserPattern_still_matches_what_the_pattern_means()
    {
        var compiled = SafePatterns.CompileUserPattern(@"^error \d{3}: .+$");

        compiled.IsMatch("error 404: not found").Should().BeTrue();
        compiled.IsMatch("warning 404: not found").Should().BeFalse();
    }

    [Theory]
    [InlineData(@"(a)\1")]           // backreference
    [InlineData(@"(?=a)a")]          // lookahead
    [InlineData(@"(?<!a)b")]         // lookbehind
    [InlineData(@"(?>a+)b")]         // atomic group
    [InlineData(@"(a{1000}){1000}")] // an automaton of a million states
    [InlineData(@"(")]               // not a regex
    public void CompileUserPattern_refuses_what_cannot_run_in_linear_time(string pattern)
    {
        var act = () => SafePatterns.CompileUserPattern(pattern);

        act.Should().Throw<ArgumentException>("the caller gets one documented exception for every pattern it cannot accept")
            .Which.Should().NotBeOfType<NotSupportedException>();
    }

    [Fact]
    public void CompileUserPattern_refuses_a_pattern_over_the_length_limit()
    {
        var act = () => SafePatterns.CompileUserPattern(new string('a', SafePatterns.MaxUserPatternLength + 1));

        act.Should().Throw<ArgumentException>($"patterns are at most {SafePatterns.MaxUserPatternLength} characters: compiling costs too");
    }

    [Fact]
    public void CompileUserPattern_accepts_a_pattern_of_exactly_the_length_limit_and_refuses_null_by_name()
    {
        SafePatterns.CompileUserPattern(new string('a', SafePatterns.MaxUserPatternLength)).IsMatch(new string('a', SafePatterns.MaxUserPatternLength))
            .Should().BeTrue($"a pattern of exactly {SafePatterns.MaxUserPatternLength} characters is within the limit");
        FluentActions.Invoking(() => SafePatterns.CompileUserPattern(null!)).Should().Throw<ArgumentNullException>().WithParameterName("pattern");
    }

    [Fact]
    public void Search_returns_the_matching_lines_in_order() =>
        SafePatterns.Search("o{2}", ["foo", "bar", "boo", "fo"], TestContext.Current.CancellationToken)
            .Should().Equal(["foo", "boo"]);

    [Fact]
    public void Search_over_an_endless_source_stops_when_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        var linesRead = 0;
        IEnumerable<string> Endless()
        {
            while (true)
            {
                if (++linesRead == 1_000)
                {
                    cancellation.Cancel(); // the caller gives up after a thousand lines
                }

                yield return "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!";
            }
        }

        var act = () => SafePatterns.Search("(a+)+$", Endless(), cancellation.Token);

        act.Should().Throw<OperationCanceledException>("the token is checked before each line");
        linesRead.Should().BeLessThanOrEqualTo(1_001, "the search stopped at the first line after cancellation");
    }
}
