using System.Linq.Expressions;

namespace Koans.Metaprogramming.ExpressionTrees;

public class FilterParserTests
{
    public sealed record Person(string Name, int Age, decimal Balance = 0m, bool Active = true, string? City = null,
        long Visits = 0, int? Score = null, double Height = 0, string? Country_Code = null, DateTime Joined = default,
        IReadOnlyList<string>? Tags = null)
    {
        public int Pin { private get; init; }

        public int this[int index] => index;
    }

    /// <summary>
    /// A document from a case-sensitive store: two properties whose names differ only in case, and CouchDB's <c>_id</c>.
    /// </summary>
    public sealed class Reading
    {
        public string _id { get; init; } = "";
        public int Level { get; init; }
        public int LEVEL { get; init; }
        public string Unit { get; init; } = "";
    }

    private static readonly Person Ada = new("Ada", 36, 10.5m, true, "London", 3, 90, 1.65, "GB");
    private static readonly Person YoungAda = new("Ada", 20, 0m, false, null, 0, null, 1.6, "GB");
    private static readonly Person Bob = new("Bob", 40, -2m, true, "Paris", 12, 50, 1.8, "FR");
    private static readonly Person OBrien = new("O'Brien", 51, 99m, false, "C:\\temp", 1, null, 1.75, "IE");
    private static readonly Person[] People = [Ada, YoungAda, Bob, OBrien];

    private static Person[] Matching(string filter)
    {
        var predicate = FilterParser.Parse<Person>(filter).Compile();
        return People.Where(predicate).ToArray();
    }

    private static FilterSyntaxException ErrorOf(string filter)
    {
        var parse = () => FilterParser.Parse<Person>(filter);
        return parse.Should().Throw<FilterSyntaxException>($"\"{filter}\" is not a valid filter").Which;
    }

    [Fact]
    public void The_example_filter_selects_Ada_over_30()
    {
        Matching("age > 30 && name == 'Ada'").Should().Equal([Ada],
            "only Ada at 36 is both over 30 and called Ada; property names match ignoring case");
    }

    [Fact]
    public void The_result_is_the_tree_a_CSharp_lambda_would_be()
    {
        var expression = FilterParser.Parse<Person>("age > 30 && name == 'Ada'");

        expression.Body.NodeType.Should().Be(ExpressionType.AndAlso,
            "&& short-circuits; And is the non-short-circuit operator, and query translators treat them differently");
        var left = (BinaryExpression)((BinaryExpression)expression.Body).Left;
        left.NodeType.Should().Be(ExpressionType.GreaterThan);
        left.Left.Should().BeAssignableTo<MemberExpression>().Which.Member.Name.Should().Be("Age",
            "the comparison reads the real property, as p => p.Age > 30 would");
        left.Right.Should().BeAssignableTo<ConstantExpression>().Which.Value.Should().Be(30,
            "the literal becomes a constant of the property's type (int), not a string or a long");
        expression.Parameters.Should().ContainSingle().Which.Type.Should().Be<Person>();
    }

    [Fact]
    public void And_binds_tighter_than_or()
    {
        // Read as C# does: active == false || (age < 30 && name == 'Bob'). Left to right would be
        // (active == false || age < 30) && name == 'Bob', which matches nobody.
        Matching("active == false || age < 30 && name == 'Bob'").Should().Equal([YoungAda, OBrien],
            "&& binds tighter than ||: the two inactive people match the left side on their own");
        Matching("active == false && age < 30 || name == 'Bob'").Should().Equal([YoungAda, Bob],
            "the same precedence when the && comes first (grouping to the right would lose Bob)");
        FilterParser.Parse<Person>("name == 'Bob' || age < 30 && active == true").Body.NodeType
            .Should().Be(ExpressionType.OrElse, "|| is the root: it binds loosest");
    }

    [Fact]
    public void Parentheses_and_not_change_the_grouping()
    {
        Matching("(name == 'Bob' || age < 30) && active == true").Should().Equal([Bob],
            "the parenthesised || is evaluated first");
        Matching("!(name == 'Ada') && age > 45").Should().Equal([OBrien]);
        Matching("!name == 'Ada' || age == 20").Should().Equal([YoungAda, Bob, OBrien],
            "! applies to the comparison after it: not (name == 'Ada'), or age 20");
        Matching("!!(age == 40)").Should().Equal([Bob], "two negations cancel");
    }

    [Fact]
    public void Strings_take_the_two_escapes_and_nothing_else_is_special()
    {
        Matching(@"name == 'O\'Brien'").Should().Equal([OBrien], @"\' is a quote inside a string");
        Matching(@"city == 'C:\\temp'").Should().Equal([OBrien], @"\\ is one backslash");
        Matching("name == 'Ada && age > 99'").Should().BeEmpty(
            "operators inside quotes are text, not operators");
        Matching("name != 'Ada'").Should().Equal([Bob, OBrien]);
    }

    [Fact]
    public void Every_value_type_of_the_language_is_converted_to_the_property_type()
    {
        Matching("balance >= 10.5").Should().Equal([Ada, OBrien], "a decimal literal compares with a decimal property");
        Matching("balance < -1").Should().Equal([Bob], "negative numbers are literals");
        Matching("visits > 2").Should().Equal([Ada, Bob], "an integer literal compares with a long property");
        Matching("city == null").Should().Equal([YoungAda], "null compares with a string property");
        Matching("score != null && score >= 60").Should().Equal([Ada], "nullable int properties take null and numbers");
        Matching("AGE\t<=\t20").Should().Equal([YoungAda], "tabs are whitespace and property names ignore case");
        Matching("height >= 1.75").Should().Equal([Bob, OBrien], "a decimal literal compares with a double property");
        Matching("height > -1").Should().Equal(People, "a negative literal for a double property");
        Matching("country_code == 'FR'").Should().Equal([Bob], "a property name may contain _ (Country_Code)");
    }

    [Theory]
    [InlineData("age > 30 && nme == 'Ada'", 13)]  // unknown property: the column of its first letter
    [InlineData("age > 30 &&", 12)]               // input ends too early: length + 1
    [InlineData("age > 30 & name == 'Ada'", 10)]  // a lone &
    [InlineData("name == 'Ada", 9)]               // unterminated string: the opening quote
    [InlineData(@"name == 'A\nda'", 11)]          // unknown escape: the backslash
    [InlineData("age > 'thirty'", 7)]             // a string for an int property: the value
    [InlineData("name > 'Ada'", 6)]               // ordering on a string: the operator
    [InlineData("age > 30.5", 7)]                 // a fraction for an int property
    [InlineData("age > 99999999999", 7)]          // out of int's range
    [InlineData("(age > 30", 10)]                 // missing ')'
    [InlineData("age > 30)", 9)]                  // trailing input
    [InlineData("age 30", 5)]                     // no operator
    [InlineData("age > 30 # x", 10)]              // a character the language does not have
    [InlineData("age = 30", 5)]                   // = is not ==
    [InlineData("active < true", 8)]              // ordering on a bool: the operator
    [InlineData("age == null", 8)]                // null for a non-nullable property
    [InlineData("", 1)]                           // empty
    [InlineData("   ", 4)]                        // only spaces: the end
    [InlineData("&& age > 1", 1)]
    [InlineData("age > 1 || || age < 5", 12)]
    [InlineData("'age' > 30", 1)]                 // a string is a value, never a property name
    [InlineData("age > 30.", 10)]                 // a point needs a digit after it: here the input ends
    [InlineData("balance > 2. && age > 1", 13)]   // ... and here a space comes instead (decimal.Parse takes "2.")
    [InlineData(@"name == 'Ada\", 9)]             // a backslash as the last character: unterminated, at the quote
    [InlineData("pin == 1", 1)]                   // Pin's getter is private
    [InlineData("item == 1", 1)]                  // the indexer is not a property of the language
    [InlineData("joined > 5", 1)]                 // a DateTime: the language has no literal for it
    [InlineData("tags == null", 1)]               // a list: not a type the language compares
    public void A_parse_error_points_at_the_column_of_the_offending_token(string filter, int column)
    {
        ErrorOf(filter).Column.Should().Be(column,
            "columns are 1-based and point at the first character of the token that is wrong; off by one puts the " +
            "caret under the wrong character");
    }

    [Fact]
    public void Nesting_up_to_MaxDepth_parses_and_one_level_more_is_a_syntax_error()
    {
        var deepest = new string('(', FilterParser.MaxDepth) + "age > 1" + new string(')', FilterParser.MaxDepth);
        Matching(deepest).Should().HaveCount(4, $"{FilterParser.MaxDepth} levels are allowed");

        var tooDeep = new string('(', FilterParser.MaxDepth + 1) + "age > 1" + new string(')', FilterParser.MaxDepth + 1);
        ErrorOf(tooDeep).Column.Should().Be(FilterParser.MaxDepth + 1, "the parenthesis that goes one level too deep");

        var mixed = string.Concat(Enumerable.Repeat("!(", FilterParser.MaxDepth)) + "age > 1" +
            new string(')', FilterParser.MaxDepth);
        ErrorOf(mixed).Column.Should().Be(FilterParser.MaxDepth + 1, "! and ( count together");
    }

    [Fact]
    public void Hostile_nesting_is_a_syntax_error_not_a_stack_overflow()
    {
        // A stack overflow cannot be caught: it kills the process. A recursive descent parser needs a depth limit.
        ErrorOf(new string('(', 100_000) + "age > 1" + new string(')', 100_000));
        ErrorOf(new string('!', 100_000) + "age > 1");
    }

    [Fact]
    public void Any_input_parses_or_raises_only_FilterSyntaxException()
    {
        // Filters built from the grammar, then mutated one to three characters at a time, from a fixed seed: every
        // string either parses or is rejected with the documented exception (never InvalidOperationException from
        // Expression.GreaterThan on strings, never IndexOutOfRangeException from the lexer, never FormatException or
        // OverflowException from a number parser).
        string[] properties = ["age", "name", "balance", "city", "active", "score", "visits", "Age", "nope", "height",
            "joined", "pin"];
        string[] operators = ["==", "!=", "<", "<=", ">", ">="];
        string[] values = ["30", "-1", "2.5", "99999999999999999999999999999999", "'x'", @"'a\'b'", "true", "null", "''"];
        const string noise = "agenm_0123456789 '\\\"()!&|=<>.-\t#";
        var random = new Random(20261130);
        var parsed = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var comparisons = Enumerable.Range(0, random.Next(1, 4)).Select(_ =>
                (random.Next(4) == 0 ? "!(" : "(") + properties[random.Next(properties.Length)] + " " +
                operators[random.Next(operators.Length)] + " " + values[random.Next(values.Length)] + ")");
            var text = string.Join(random.Next(2) == 0 ? " && " : " || ", comparisons).ToCharArray().ToList();
            for (var mutations = random.Next(0, 4); mutations > 0 && text.Count > 0; mutations--)
            {
                var at = random.Next(text.Count);
                switch (random.Next(3))
                {
                    case 0: text.RemoveAt(at); break;
                    case 1: text.Insert(at, noise[random.Next(noise.Length)]); break;
                    default: text[at] = noise[random.Next(noise.Length)]; break;
                }
            }
            var filter = new string(text.ToArray());
            try
            {
                FilterParser.Parse<Person>(filter).Compile()(Ada);
                parsed++;
            }
            catch (FilterSyntaxException exception)
            {
                exception.Column.Should().BeInRange(1, filter.Length + 1, $"the column must lie inside \"{filter}\"");
            }
        }
        parsed.Should().BeGreaterThan(100, "plenty of the generated filters are valid");
    }

    [Fact]
    public void A_null_filter_is_an_ArgumentNullException()
    {
        var parse = () => FilterParser.Parse<Person>(null!);
        parse.Should().Throw<ArgumentNullException>().WithParameterName("filter");
    }

    [Fact]
    public void When_two_properties_differ_only_in_case_the_exact_spelling_decides()
    {
        var reading = new Reading { _id = "r1", Level = 1, LEVEL = 2, Unit = "dB" };

        FilterParser.Parse<Reading>("Level == 1").Compile()(reading).Should().BeTrue(
            "Level is spelt exactly as one property: that one, not the first that matches ignoring case");
        FilterParser.Parse<Reading>("LEVEL == 2").Compile()(reading).Should().BeTrue("LEVEL is the other property");
        var parse = () => FilterParser.Parse<Reading>("level == 1");
        var error = parse.Should().Throw<FilterSyntaxException>(
            "level matches both ignoring case and neither exactly: guessing one would filter on the wrong column").Which;
        error.Column.Should().Be(1);
        error.Message.Should().Contain("Level").And.Contain("LEVEL",
            "the message says which properties the user could have meant");
        error.Message.Should().NotContain("Unit",
            "the property exists twice over, so \"no such property, here are all of them\" would be the wrong answer");
    }

    [Fact]
    public void A_property_name_may_start_with_an_underscore()
    {
        var reading = new Reading { _id = "r1", Level = 1, LEVEL = 2, Unit = "dB" };

        FilterParser.Parse<Reading>("_id == 'r1' && unit == 'dB'").Compile()(reading).Should().BeTrue(
            "a C# identifier may start with _, as the _id of a CouchDB or MongoDB document does");
    }

    [Fact]
    public void An_unknown_property_is_answered_with_the_properties_there_are()
    {
        ErrorOf("nme == 'Ada'").Message.Should().Contain("Name").And.Contain("Age",
            "\"no property 'nme'\" alone leaves the user guessing; the list of Person's properties shows the typo");
    }

    [Theory]
    [InlineData("age == null")]
    [InlineData("age > 'thirty'")]
    [InlineData("age == true")]
    [InlineData("age != false")]
    [InlineData("name == 30")]
    public void A_value_that_does_not_fit_names_the_property_in_the_message(string filter)
    {
        var property = filter[..filter.IndexOf(' ', StringComparison.Ordinal)];
        ErrorOf(filter).Message.Should().ContainEquivalentOf(property,
            "the user did write a value; \"expected a value\" would mislead. Say which property it does not fit");
    }
}
