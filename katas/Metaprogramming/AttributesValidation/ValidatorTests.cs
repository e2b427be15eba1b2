using System.Runtime.CompilerServices;

namespace Koans.Metaprogramming.AttributesValidation;

internal static class RegexHangGuard
{
    /// <summary>
    /// A hang guard, not a time assertion: every Regex in this test process that has no timeout of its own gives up
    /// after 2 s (RegexMatchTimeoutException) instead of backtracking for ever, so a vulnerable pattern check fails its
    /// test by name. It must be set before the first Regex is built, hence a module initializer.
    /// </summary>
    [ModuleInitializer]
    internal static void LimitBacktracking() => AppContext.SetData("REGEX_DEFAULT_MATCH_TIMEOUT", TimeSpan.FromSeconds(2));
}

public class SignUp
{
    [Required, Length(3, 20), Pattern("[a-z0-9_]+")]
    public string? UserName { get; set; } = "ada_l";

    [Required, Pattern("[^@ ]+@[^@ ]+")]
    public string? Email { get; set; } = "ada@example.org";

    [Range(18, 130)]
    public int Age { get; set; } = 36;

    [Range(0, 1_000_000)]
    public decimal? Budget { get; set; }

    [Length(1, 3)]
    public List<string> Tags { get; set; } = ["math"];

    // Not a rule: an ordinary attribute must not confuse the validator.
    [Obsolete("kept for old clients")]
    public string? Legacy { get; set; }
}

public abstract class Document
{
    [Required]
    public virtual string? Title { get; set; }
}

public class Invoice : Document
{
    // Overrides without repeating [Required]: the rule on Document.Title still applies.
    public override string? Title { get; set; }

    [Range(1, 100)]
    public int Pages { get; set; } = 1;
}

public class Grid
{
    private readonly int[] _cells = new int[4];

    [Range(1, 4)]
    public int Size { get; set; } = 9;

    // An indexer is a property with parameters: reading it without an index throws.
    public int this[int index] => _cells[index];
}

public record OrderLine(string Sku, [property: Range(1, 99)] int Quantity);

public class Address
{
    [Required, Pattern("[0-9]{4} ?[A-Z]{2}")]
    public string? Zip { get; set; }
}

public class Contact
{
    [Required, Pattern("[^@ ]+@[^@ ]+")]
    public string? Email { get; set; }
}

public class Order
{
    [ValidateNested]
    public Contact Customer { get; set; } = new() { Email = "ada@example.org" };

    [ValidateNested, Length(1, 10)]
    public List<OrderLine> Lines { get; set; } = [];

    [ValidateNested]
    public Address? Billing { get; set; }

    [ValidateNested]
    public Address? Shipping { get; set; }

    // Not marked [ValidateNested]: its contents are someone else's business.
    public Contact Referrer { get; set; } = new() { Email = "not an email" };
}

/// <summary>A rule whose class name has no "Attribute" suffix: its Rule name is the whole class name.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class Even : ValidationRuleAttribute
{
    public override string? Check(object? value) => value is int n && n % 2 != 0 ? "must be even." : null;
}

public class Pair
{
    [Even]
    public int Count { get; set; } = 3;
}

public class Parcel
{
    [ValidateNested]
    public virtual Address? To { get; set; }
}

public class ExpressParcel : Parcel
{
    // Overrides without repeating [ValidateNested]: the address is still looked into.
    public override Address? To { get; set; }
}

public class Shipment
{
    [Required, ValidateNested]
    public Address? Destination { get; set; }
}

/// <summary>A linked node that counts how often its Next is read, so a validator that loops fails by name.</summary>
public class Node
{
    private Node? _next;
    private int _reads;

    [Required]
    public string? Name { get; set; }

    [ValidateNested]
    public Node? Next
    {
        get => ++_reads <= 20
            ? _next
            : throw new InvalidOperationException(
                "Node.Next was read more than 20 times: the validator is going round the cycle a -> b -> a forever");
        set => _next = value;
    }
}

public class ValidatorTests
{
    [Fact]
    public void Validate_returns_no_errors_for_a_valid_object() =>
        Validator.Validate(new SignUp()).Should().BeEmpty("every property of the default SignUp satisfies its rules");

    [Fact]
    public void Validate_returns_every_error_not_only_the_first()
    {
        var signUp = new SignUp { UserName = null, Email = "ada", Age = 12, Budget = -1m, Tags = [] };

        var errors = Validator.Validate(signUp);

        errors.Select(e => (e.Path, e.Rule)).Should().BeEquivalentTo(
            [("UserName", "Required"), ("Email", "Pattern"), ("Age", "Range"), ("Budget", "Range"), ("Tags", "Length")],
            "five properties are wrong and the user deserves to hear about all five at once");
        errors.Should().OnlyContain(e => e.Message.Contains(e.Path), "each message names the property it is about");
    }

    [Fact]
    public void Validate_reports_every_failing_rule_on_one_property()
    {
        var errors = Validator.Validate(new SignUp { UserName = "A!" });

        errors.Select(e => (e.Path, e.Rule)).Should().BeEquivalentTo([("UserName", "Length"), ("UserName", "Pattern")],
            "\"A!\" is too short and has characters outside [a-z0-9_]: two rules broken, two errors");
    }

    [Fact]
    public void Validate_applies_a_rule_declared_on_an_overridden_base_property()
    {
        var errors = Validator.Validate(new Invoice { Title = null });

        errors.Should().ContainSingle("Document.Title is [Required] and Invoice.Title only overrides it")
            .Which.Should().Be(errors[0] with { Path = "Title", Rule = "Required" },
                "PropertyInfo.GetCustomAttributes(inherit: true) ignores `inherit` for properties; " +
                "Attribute.GetCustomAttributes(property, inherit: true) walks the overridden declarations");
    }

    [Fact]
    public void Validate_skips_indexers()
    {
        var act = () => Validator.Validate(new Grid());

        act.Should().NotThrow("an indexer is a property with parameters; reading it without an index throws " +
                              "TargetParameterCountException")
            .Which.Should().ContainSingle().Which.Path.Should().Be("Size");
    }

    [Fact]
    public void Validate_walks_nested_objects_and_collections_with_paths()
    {
        var order = new Order
        {
            Customer = new Contact { Email = "ada" },
            Lines = [new OrderLine("A-1", 2), new OrderLine("B-2", 0), new OrderLine("C-3", 100)],
            Billing = new Address { Zip = "1234 AB" },
        };

        Validator.Validate(order).Select(e => e.Path).Should().BeEquivalentTo(
            ["Customer.Email", "Lines[1].Quantity", "Lines[2].Quantity"],
            "nested errors carry the path to them; Referrer is not [ValidateNested], so its bad email is not looked at; " +
            "Shipping is null, so there is nothing inside it to validate");
    }

    [Fact]
    public void Validate_reports_equal_records_and_shared_objects_under_each_path()
    {
        var sharedAddress = new Address { Zip = "not a zip" };
        var order = new Order
        {
            Lines = [new OrderLine("A-1", 0), new OrderLine("A-1", 0)],
            Billing = sharedAddress,
            Shipping = sharedAddress,
        };

        Validator.Validate(order).Select(e => e.Path).Should().BeEquivalentTo(
            ["Lines[0].Quantity", "Lines[1].Quantity", "Billing.Zip", "Shipping.Zip"],
            "the two lines are equal records but two objects (compare by reference, not Equals), and the shared " +
            "address is wrong for billing and for shipping: a 'visited' set that lives for the whole call hides both");
    }

    [Fact]
    public void Validate_stops_at_a_cycle_and_still_reports_its_errors()
    {
        var a = new Node { Name = null };
        var b = new Node { Name = "b" };
        a.Next = b;
        b.Next = a;

        var errors = Validator.Validate(a);

        errors.Should().ContainSingle("a has no name; going round the cycle a -> b -> a must not report it twice")
            .Which.Path.Should().Be("Name");
    }

    [Fact]
    public void Validate_looks_inside_an_overridden_property_marked_on_the_base_class()
    {
        var errors = Validator.Validate(new ExpressParcel { To = new Address { Zip = "nowhere" } });

        errors.Should().ContainSingle("Parcel.To is [ValidateNested] and ExpressParcel.To only overrides it")
            .Which.Path.Should().Be("To.Zip", "the marker is inherited like the rules are");
    }

    [Fact]
    public void Validate_names_a_rule_without_the_Attribute_suffix_by_its_whole_class_name()
    {
        Validator.Validate(new Pair()).Should().ContainSingle()
            .Which.Rule.Should().Be("Even", "only a suffix that is there is cut off: \"Even\" is not \"Attribute\" long");
    }

    [Fact]
    public void Validate_refuses_null_by_name()
    {
        var act = () => Validator.Validate(null!);

        act.Should().Throw<ArgumentNullException>("there is no object to validate, which is not the same as a valid one")
            .WithParameterName("instance");
    }

    [Fact]
    public void Length_includes_both_bounds_for_strings_and_collections()
    {
        var length = new LengthAttribute(2, 3);

        length.Check("ab").Should().BeNull("the lower bound is included");
        length.Check("abc").Should().BeNull("the upper bound is included");
        length.Check("abcd").Should().NotBeNull("one past the upper bound");
        length.Check("a").Should().NotBeNull("one below the lower bound");
        length.Check(new[] { 1, 2, 3 }).Should().BeNull("a collection's length is its count");
        length.Check(new List<int> { 1, 2, 3, 4 }).Should().NotBeNull();
    }

    [Fact]
    public void Validate_reports_a_missing_nested_object_through_Required_only()
    {
        var errors = Validator.Validate(new Shipment { Destination = null });

        errors.Should().ContainSingle("a null Destination breaks [Required]; there is nothing inside it to look at")
            .Which.Rule.Should().Be("Required");
    }

    [Fact]
    public void Required_treats_null_and_blank_strings_as_missing_and_zero_as_present()
    {
        var required = new RequiredAttribute();

        required.Check(null).Should().NotBeNull();
        required.Check("").Should().NotBeNull();
        required.Check(" \t").Should().NotBeNull("white space is not a name");
        required.Check("x").Should().BeNull();
        required.Check(0).Should().BeNull("0 is a value, not the absence of one");
        required.Check(false).Should().BeNull("false is a value, not the absence of one");
    }

    [Fact]
    public void Range_includes_its_bounds_for_every_numeric_type_and_leaves_null_to_Required()
    {
        var range = new RangeAttribute(1, 10);

        range.Check(1).Should().BeNull("the bounds are included");
        range.Check(10L).Should().BeNull();
        range.Check(10.0m).Should().BeNull("decimal is a number too");
        range.Check(10.5).Should().NotBeNull();
        range.Check(0.99f).Should().NotBeNull();
        range.Check((byte)11).Should().NotBeNull();
        range.Check(null).Should().BeNull("absence is [Required]'s business: an optional number may be missing");
    }

    [Fact]
    public void Range_refuses_to_check_a_string_even_one_that_looks_like_a_number()
    {
        var act = () => new RangeAttribute(1, 10).Check("5");

        act.Should().Throw<InvalidOperationException>(
            "[Range] on a string property is a bug in the model; Convert.ToDouble(\"5\") would hide it");
    }

    [Fact]
    public void Pattern_must_match_the_whole_value()
    {
        var lowercase = new PatternAttribute("[a-z]+");

        lowercase.Check("abc").Should().BeNull();
        lowercase.Check("abc1").Should().NotBeNull("IsMatch finds \"abc\" inside \"abc1\": the rule is about the whole value");
        lowercase.Check("1abc").Should().NotBeNull();
        lowercase.Check("abc\n").Should().NotBeNull("^...$ lets a trailing newline through; the whole value means \\A...\\z");
        lowercase.Check("ab|cd").Should().NotBeNull();
    }

    [Fact]
    public void Pattern_survives_a_catastrophic_backtracking_pattern()
    {
        // The textbook ReDoS pattern: a backtracking engine takes about 2^n steps to reject 'a' * n + '!'. With n = 64
        // that never finishes; a linear-time engine answers at once.
        var evil = new PatternAttribute("(a+)+");
        var act = () => evil.Check(new string('a', 64) + "!");

        act.Should().NotThrow("a pattern check must not hang or throw on hostile input: a validator that throws turns " +
                              "a bad value into a server error (this test process stops any regex without a timeout " +
                              "of its own after 2 s, so a backtracking match fails here instead of hanging)")
            .Which.Should().NotBeNull("'!' is not an 'a'");
    }
}
