namespace Koans.Security.InputValidation;

public class SignupParserTests
{
    private const string GoodUsername = "alice_1";
    private const string GoodDisplayName = "Alice";
    private const string GoodAge = "42";

    private static IEnumerable<Problem> ProblemsOf(SignupResult result, string field) =>
        result.Problems.Where(p => p.Field == field).Select(p => p.Problem);

    [Fact]
    public void Parse_returns_the_canonical_form_of_a_good_signup()
    {
        // "Zoe" with U+0308 COMBINING DIAERESIS after the e: NFC composes it into U+00EB.
        var result = SignupParser.Parse("Alice_1", "  Zoe\u0308 Smith ", "42");

        result.Problems.Should().BeEmpty("every field is acceptable");
        result.Signup.Should().Be(new Signup("alice_1", "Zo\u00EB Smith", 42),
            "the username is lower-cased, the display name composed (NFC) and trimmed, the age parsed");
    }

    [Theory]
    [InlineData("\uFF21\uFF24\uFF2D\uFF29\uFF2E")] // FULLWIDTH A D M I N: NFKC folds it to ASCII "ADMIN"
    [InlineData("Admin")]
    [InlineData("ROOT")]
    public void Parse_compares_reserved_names_in_canonical_form(string impostor)
    {
        NaiveSignupParser.Parse(impostor, GoodDisplayName, GoodAge).IsValid.Should().BeTrue(
            "the naive parser compares reserved names before folding width and case, so this attack is real");

        var result = SignupParser.Parse(impostor, GoodDisplayName, GoodAge);

        result.IsValid.Should().BeFalse($"'{impostor}' is the reserved name once normalized and lower-cased");
        ProblemsOf(result, SignupFields.Username).Should().Contain(Problem.Reserved,
            "reserved names are checked on the canonical form, the one that is stored and compared");
    }

    [Theory]
    [InlineData("\u0430dmin")]     // CYRILLIC SMALL LETTER A, then "dmin": looks exactly like "admin"
    [InlineData("p\u0430yp\u0430l")] // the classic homograph, two Cyrillic a's
    [InlineData("\u1D00dmin")]     // LATIN LETTER SMALL CAPITAL A: Latin, a letter, and still not "a"
    [InlineData("bob\u0661")]     // ARABIC-INDIC DIGIT ONE: a digit, but not 0-9
    public void Parse_refuses_lookalike_and_invisible_characters_in_a_username(string lookalike)
    {
        NaiveSignupParser.Parse(lookalike, GoodDisplayName, GoodAge).IsValid.Should().BeTrue(
            "char.IsLetterOrDigit accepts letters and digits of every script, so the naive parser lets lookalikes in");

        var result = SignupParser.Parse(lookalike, GoodDisplayName, GoodAge);

        ProblemsOf(result, SignupFields.Username).Should().Contain(Problem.NotAllowedCharacter,
            "usernames are an ASCII allow-list (a-z, 0-9, _): anything else is a lookalike waiting to impersonate someone");
        result.Signup.Should().BeNull();
    }

    [Theory]
    [InlineData("Bob\u202Egnp.exe")]  // RIGHT-TO-LEFT OVERRIDE: renders as "Bobexe.png" (Trojan Source, CVE-2021-42574)
    [InlineData("Ad\u200Bmin")]       // ZERO WIDTH SPACE
    [InlineData("\uFEFFAlice")]       // BYTE ORDER MARK
    [InlineData("Alice\u0000")]       // NUL: truncates the string for any C code downstream
    [InlineData("Alice\u2028Bob")]    // LINE SEPARATOR: a new line in log files and JavaScript
    [InlineData("Alice\u00A0Smith")]  // NO-BREAK SPACE: looks like a space, is not one
    public void Parse_refuses_invisible_and_reordering_characters_in_a_display_name(string displayName)
    {
        NaiveSignupParser.Parse(GoodUsername, displayName, GoodAge).IsValid.Should().BeTrue(
            "the naive parser only checks that the display name is not blank and not too long");

        var result = SignupParser.Parse(GoodUsername, displayName, GoodAge);

        ProblemsOf(result, SignupFields.DisplayName).Should().Equal([Problem.InvisibleCharacter],
            "a display name may use any script, but not characters that render as nothing or reorder what is shown");
    }

    // A Fact, not an InlineData: test frameworks serialize theory arguments, and a lone surrogate does not survive that.
    [Fact]
    public void Parse_refuses_a_display_name_with_a_lone_surrogate()
    {
        const string broken = "Alice\uD800";
        NaiveSignupParser.Parse(GoodUsername, broken, GoodAge).IsValid.Should().BeTrue(
            "the naive parser never decodes the string, so half a character gets stored");

        var act = () => SignupParser.Parse(GoodUsername, broken, GoodAge);

        act.Should().NotThrow("string.Normalize throws on a lone surrogate; check the text before normalizing it")
            .Which.Problems.Should().Equal([new FieldProblem(SignupFields.DisplayName, Problem.InvisibleCharacter)],
                "a lone surrogate is not text: report it as a problem of the display name");
    }

    [Theory]
    [InlineData("99999999999")]       // overflows int: the naive parser throws (a 500 page)
    [InlineData("18446744073709551617")]
    [InlineData("1e2")]
    [InlineData("18.0")]
    [InlineData("\u0661\u0668")]      // ARABIC-INDIC DIGITS one, eight
    public void Parse_reports_numbers_it_cannot_read_instead_of_throwing(string age)
    {
        var naive = () => NaiveSignupParser.Parse(GoodUsername, GoodDisplayName, age);
        naive.Should().Throw<Exception>("int.Parse throws on this input, and an unhandled exception is the attacker's 500");

        var result = SignupParser.Parse(GoodUsername, GoodDisplayName, age);

        ProblemsOf(result, SignupFields.Age).Should().Equal([Problem.NotANumber],
            "an age is one to three ASCII digits; anything else is reported, never thrown");
    }

    [Theory]
    [InlineData(" 18")]
    [InlineData("+18")]
    [InlineData("0018")]
    [InlineData("018")]
    public void Parse_accepts_only_one_spelling_of_a_number(string age)
    {
        NaiveSignupParser.Parse(GoodUsername, GoodDisplayName, age).Signup!.Age.Should().Be(18,
            "int.Parse accepts spaces, signs and leading zeros, so two different strings mean the same age");

        ProblemsOf(SignupParser.Parse(GoodUsername, GoodDisplayName, age), SignupFields.Age).Should().Equal(
            [Problem.NotANumber], "one value, one spelling: no sign, no spaces, no leading zero");
    }

    [Theory]
    [InlineData("12")]
    [InlineData("131")]
    [InlineData("0")]
    public void Parse_reports_an_age_out_of_range(string age) =>
        ProblemsOf(SignupParser.Parse(GoodUsername, GoodDisplayName, age), SignupFields.Age).Should().Equal(
            [Problem.OutOfRange], $"ages run from {SignupParser.MinAge} to {SignupParser.MaxAge}");

    [Fact]
    public void Parse_checks_the_length_after_normalizing()
    {
        // U+FB03 LATIN SMALL LIGATURE FFI is one letter; NFKC expands it to the three letters "ffi".
        var ligatures = new string('\uFB03', 7);
        NaiveSignupParser.Parse(ligatures, GoodDisplayName, GoodAge).IsValid.Should().BeTrue(
            "the naive parser measures 7 raw characters, but the name that gets stored is 21 long");

        ProblemsOf(SignupParser.Parse(ligatures, GoodDisplayName, GoodAge), SignupFields.Username).Should().Equal(
            [Problem.TooLong], "7 ligatures normalize to 21 ASCII letters: measure what you store");
    }

    [Fact]
    public void Parse_refuses_a_megabyte_before_looking_at_it()
    {
        var huge = new string('a', 1_000_000);

        var result = SignupParser.Parse(huge, huge, huge);

        result.Problems.Should().Equal(
            [new FieldProblem(SignupFields.Username, Problem.TooLong),
             new FieldProblem(SignupFields.DisplayName, Problem.TooLong),
             new FieldProblem(SignupFields.Age, Problem.TooLong)],
            $"raw input over {SignupParser.MaxRawLength} characters is refused as too long, and nothing else is said about it");
    }

    [Fact]
    public void Parse_reports_every_problem_not_the_first()
    {
        var naive = NaiveSignupParser.Parse("\u0430dmin", "", "-5");
        naive.Problems.Should().ContainSingle("the naive parser stops at the first problem, so the user fixes one field per round trip");

        var result = SignupParser.Parse("\u0430dmin", "", "-5");

        result.Problems.Should().Equal(
            [new FieldProblem(SignupFields.Username, Problem.NotAllowedCharacter),
             new FieldProblem(SignupFields.DisplayName, Problem.Required),
             new FieldProblem(SignupFields.Age, Problem.NotANumber)],
            "every field is checked and its problems reported in field order");
        result.Signup.Should().BeNull("a result with problems has no value");
    }

    [Fact]
    public void Parse_reports_several_problems_of_one_field()
    {
        var result = SignupParser.Parse("this-name-is-far-too-long-for-us", GoodDisplayName, GoodAge);

        ProblemsOf(result, SignupFields.Username).Should().BeEquivalentTo(
            [Problem.TooLong, Problem.NotAllowedCharacter], "the name is 32 characters and contains '-': both are reported");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_reports_missing_fields_as_required(string? blank) =>
        SignupParser.Parse(blank, blank, blank).Problems.Should().Equal(
            [new FieldProblem(SignupFields.Username, Problem.Required),
             new FieldProblem(SignupFields.DisplayName, Problem.Required),
             new FieldProblem(SignupFields.Age, Problem.Required)],
            "a blank field is required, and only that is said about it");

    [Fact]
    public void Parse_refuses_a_username_shorter_than_three_after_normalizing() =>
        ProblemsOf(SignupParser.Parse("Al", GoodDisplayName, GoodAge), SignupFields.Username).Should().Equal(
            [Problem.TooShort], $"usernames are {SignupParser.MinUsernameLength} to {SignupParser.MaxUsernameLength} characters");

    [Theory]
    [InlineData("abc", GoodDisplayName, GoodAge, "a username of exactly the minimum length, 3")]
    [InlineData("abcdefghij_klmnopqrs", GoodDisplayName, GoodAge, "a username of exactly the maximum length, 20")]
    [InlineData("zed_09", GoodDisplayName, GoodAge, "a username with z, 0 and 9, the last letter and both ends of the digits")]
    [InlineData(GoodUsername, "Alice Amelia Anastasia Augusta Arabellas", GoodAge, "a display name of exactly 40 characters")]
    [InlineData(GoodUsername, GoodDisplayName, "13", "the youngest age allowed, 13")]
    [InlineData(GoodUsername, GoodDisplayName, "130", "the oldest age allowed, 130")]
    public void Parse_accepts_a_value_exactly_at_each_limit(string username, string displayName, string age, string what)
    {
        var result = SignupParser.Parse(username, displayName, age);

        result.Problems.Should().BeEmpty($"{what} is inside the rules: limits are inclusive, and an off-by-one here locks out real users");
        result.Signup.Should().NotBeNull();
    }

    [Theory]
    [InlineData("abcdefghij_klmnopqrst", GoodDisplayName, SignupFields.Username, "21 characters, one past the maximum of 20")]
    [InlineData(GoodUsername, "Alice Amelia Anastasia Augusta Arabellas!", SignupFields.DisplayName, "41 characters, one past the maximum of 40")]
    public void Parse_refuses_a_value_one_past_each_length_limit(string username, string displayName, string field, string what) =>
        ProblemsOf(SignupParser.Parse(username, displayName, GoodAge), field).Should().Equal([Problem.TooLong], $"{what} is too long");

    [Fact]
    public void Parse_parses_raw_input_of_exactly_the_raw_limit_and_refuses_one_more_character_unread()
    {
        var atLimit = new string('1', SignupParser.MaxRawLength);
        var overLimit = new string('1', SignupParser.MaxRawLength + 1);

        ProblemsOf(SignupParser.Parse(GoodUsername, GoodDisplayName, atLimit), SignupFields.Age).Should().Equal([Problem.NotANumber],
            $"{SignupParser.MaxRawLength} characters are within the raw limit, so the age parser reads them and finds no number of at most three digits");
        ProblemsOf(SignupParser.Parse(GoodUsername, GoodDisplayName, overLimit), SignupFields.Age).Should().Equal([Problem.TooLong],
            $"{SignupParser.MaxRawLength + 1} characters are over the raw limit: refused as too long before any parsing");
    }

    // A Fact, not an InlineData: a lone surrogate does not survive theory serialization.
    [Fact]
    public void Parse_refuses_a_username_with_a_lone_surrogate_as_a_not_allowed_character()
    {
        var result = SignupParser.Parse("bob\uD800", GoodDisplayName, GoodAge);

        ProblemsOf(result, SignupFields.Username).Should().Equal([Problem.NotAllowedCharacter],
            "half a surrogate pair is not a character at all (and normalizing it throws): refuse it, do not crash");
    }
}
