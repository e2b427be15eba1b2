namespace Koans.Metaprogramming.Inspect;

[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class AuditedAttribute : Attribute;

[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SealedByDesignAttribute : Attribute;

[Audited]
public abstract class Entity
{
    private readonly Guid _id = Guid.NewGuid();

    protected static int Created;

    public Guid Id => _id;

    public virtual string Label { get; set; } = "";

    private void Touch() => Created++;

    protected void Save() => Touch();
}

// Mostly non-nullable: the compiler records "not null" once for the class and marks only the exceptions.
[SealedByDesign]
public class Customer : Entity
{
    public readonly string Code = "C-1";

    public int? Score;

    public string Name { get; set; } = "";

    public string? Nickname { get; set; }

    public int Age { get; set; }

    public string Country { get; private set; } = "NL";

    public List<string> Tags { get; } = [];

    public Dictionary<string, List<int>> Visits { get; } = [];

    public override string Label { get; set; } = "customer";

    public string Greet(string? greeting) => $"{greeting ?? "Hello"}, {Name}";

    public string? FindTag(string prefix) => Tags.FirstOrDefault(t => t.StartsWith(prefix, StringComparison.Ordinal));
}

public class VipCustomer : Customer;

// Mostly nullable: now the compiler records "nullable" once for the class and marks the non-nullable member instead.
public class Draft
{
    public string? Title { get; set; }

    public string? Body { get; set; }

    public string? Author { get; set; }

    public string Slug { get; set; } = "draft";
}

#nullable disable
public class LegacyRecord
{
    public string Name { get; set; }

    public int Count { get; set; }
}
#nullable restore

public class Calculator
{
    public int Add(int a, int b) => a + b;

    public string Add(string a, string b) => a + b;

    public string Describe(object? value) => value is null ? "nothing" : $"a {value.GetType().Name}";

    public int Divide(int a, int b) => b == 0 ? throw new InvalidOperationException("division by zero") : a / b;

    public string Rate(int? stars) => stars is null ? "unrated" : new string('*', stars.Value);

    public string Show(string? text) => "text " + text;

    public string Show(Uri? link) => "link " + link;
}

public record Note(string Text);

// Overrides the ToString that the compiler wrote for Note: this one a person wrote.
public record Memo(string Text) : Note(Text)
{
    public override string ToString() => "memo: " + Text;
}

public class Vault
{
    // Set-only: a property with no getter at all is still a property somebody wrote.
    public string Secret { set { } }
}

public class TypeInspectorTests
{
    [Fact]
    public void FriendlyName_writes_generic_arguments_recursively_without_arity_or_namespaces()
    {
        TypeInspector.FriendlyName(typeof(Dictionary<string, List<int>>)).Should().Be("Dictionary<String, List<Int32>>",
            "Type.Name is \"Dictionary`2\": the backtick and arity are metadata, the arguments are what a reader needs");
        TypeInspector.FriendlyName(typeof(int?)).Should().Be("Int32?", "int? is Nullable<Int32> underneath");
        TypeInspector.FriendlyName(typeof(List<string>[])).Should().Be("List<String>[]");
    }

    [Fact]
    public void Describe_names_a_closed_generic_type_and_its_arguments()
    {
        var description = TypeInspector.Describe(typeof(Dictionary<string, List<int>>));

        description.Name.Should().Be("Dictionary<String, List<Int32>>");
        description.GenericArguments.Should().Equal(["String", "List<Int32>"]);
    }

    [Fact]
    public void Describe_names_the_type_parameters_of_an_open_generic_definition()
    {
        var description = TypeInspector.Describe(typeof(Dictionary<,>));

        description.Name.Should().Be("Dictionary<TKey, TValue>",
            "an open generic definition has type parameters where a closed type has arguments");
        description.GenericArguments.Should().Equal(["TKey", "TValue"]);
    }

    [Fact]
    public void Describe_lists_every_member_once_including_private_members_of_base_classes()
    {
        var names = TypeInspector.Describe(typeof(Customer)).Members.Select(m => m.Name);

        names.Should().BeEquivalentTo(
            ["_id", "Created", "Id", "Label", "Touch", "Save",
             "Code", "Score", "Name", "Nickname", "Age", "Country", "Tags", "Visits", "Greet", "FindTag"],
            "a Customer carries Entity's private _id and Touch too (Type.GetFields(NonPublic) does not return a base " +
            "class's private members: walk the hierarchy); Label is overridden, so it appears once; accessors " +
            "(get_Name), backing fields (<Name>k__BackingField), constructors and System.Object's methods are not " +
            "members anybody wrote here");
    }

    [Fact]
    public void Describe_lists_each_overload_as_its_own_member()
    {
        var adds = TypeInspector.Describe(typeof(Calculator)).Members.Where(m => m.Name == "Add").ToList();

        adds.Select(m => m.TypeName).Should().BeEquivalentTo(["Int32", "String"],
            "Add(int, int) and Add(string, string) are two methods: a member is its name and its parameter types");
    }

    [Fact]
    public void Describe_gives_each_member_its_declaring_class_kind_type_and_visibility()
    {
        var description = TypeInspector.Describe(typeof(Customer));

        description.Member("_id").Should().Be(new MemberDescription("_id", MemberKind.Field, "Guid", Nullability.NotNull,
            IsPublic: false, IsStatic: false, DeclaringType: "Entity"), "_id is Entity's private readonly field");
        description.Member("Created").Should().Be(new MemberDescription("Created", MemberKind.Field, "Int32",
            Nullability.NotNull, IsPublic: false, IsStatic: true, DeclaringType: "Entity"));
        description.Member("Label").DeclaringType.Should().Be("Customer",
            "Customer overrides Label: the most derived declaration is the one a call reaches");
        description.Member("Tags").Should().Be(new MemberDescription("Tags", MemberKind.Property, "List<String>",
            Nullability.NotNull, IsPublic: true, IsStatic: false, DeclaringType: "Customer"));
        description.Member("Greet").Kind.Should().Be(MemberKind.Method);
        description.Member("Greet").TypeName.Should().Be("String", "a method's type is its return type");
    }

    [Fact]
    public void Describe_reads_nullable_annotations_in_a_class_that_is_mostly_non_nullable()
    {
        var description = TypeInspector.Describe(typeof(Customer));

        description.Member("Name").Nullability.Should().Be(Nullability.NotNull, "Name is declared string");
        description.Member("Nickname").Nullability.Should().Be(Nullability.Nullable, "Nickname is declared string?");
        description.Member("Age").Nullability.Should().Be(Nullability.NotNull, "int cannot be null");
        description.Member("Score").Nullability.Should().Be(Nullability.Nullable, "int? is Nullable<int>");
        description.Member("FindTag").Nullability.Should().Be(Nullability.Nullable, "FindTag returns string?");
        description.Member("Greet").Nullability.Should().Be(Nullability.NotNull, "Greet returns string");
    }

    [Fact]
    public void Describe_reads_nullable_annotations_in_a_class_that_is_mostly_nullable()
    {
        var description = TypeInspector.Describe(typeof(Draft));

        description.Member("Title").Nullability.Should().Be(Nullability.Nullable,
            "Title is string?; in this class the compiler writes that once, as the class's nullable context, and puts " +
            "no attribute on Title itself: reading only the member's own attribute gets this wrong");
        description.Member("Slug").Nullability.Should().Be(Nullability.NotNull,
            "Slug is string, the exception in a mostly-nullable class");
    }

    [Fact]
    public void Describe_reports_unknown_nullability_for_references_compiled_without_annotations()
    {
        var description = TypeInspector.Describe(typeof(LegacyRecord));

        description.Member("Name").Nullability.Should().Be(Nullability.Unknown,
            "under #nullable disable nobody said whether Name may be null: calling it NotNull would be a guess");
        description.Member("Count").Nullability.Should().Be(Nullability.NotNull, "a non-nullable value type is never null");
    }

    [Fact]
    public void Describe_includes_inherited_attributes_only_when_their_usage_allows_it()
    {
        var attributes = TypeInspector.Describe(typeof(VipCustomer)).Attributes;

        attributes.Should().Contain("AuditedAttribute", "Entity is [Audited] and AuditedAttribute is Inherited = true");
        attributes.Should().NotContain("SealedByDesignAttribute",
            "Customer's [SealedByDesign] has Inherited = false, so VipCustomer does not have it");
    }

    [Fact]
    public void GetValue_and_SetValue_read_and_write_public_properties_and_fields_by_name()
    {
        var customer = new Customer { Name = "Ada" };

        TypeInspector.GetValue(customer, "Name").Should().Be("Ada");
        TypeInspector.GetValue(customer, "Code").Should().Be("C-1", "fields are readable by name too");
        TypeInspector.SetValue(customer, "Age", 36);
        TypeInspector.SetValue(customer, "Score", 7);
        TypeInspector.SetValue(customer, "Nickname", null);

        customer.Age.Should().Be(36);
        customer.Score.Should().Be(7);
        customer.Nickname.Should().BeNull("Nickname is string?, so null is a value it may hold");
    }

    [Fact]
    public void GetValue_refuses_a_missing_member_naming_the_type_and_the_member()
    {
        var act = () => TypeInspector.GetValue(new Customer(), "Nmae");

        act.Should().Throw<MemberBindingException>("a typo must be an error that says where, not a null")
            .Which.Message.Should().Contain("Customer").And.Contain("Nmae");
    }

    [Fact]
    public void GetValue_treats_a_private_member_as_missing()
    {
        var act = () => TypeInspector.GetValue(new Customer(), "_id");

        act.Should().Throw<MemberBindingException>("_id is private to Entity: binding by name must not open a back door");
    }

    [Fact]
    public void SetValue_refuses_a_property_whose_setter_is_private()
    {
        var customer = new Customer();

        var act = () => TypeInspector.SetValue(customer, "Country", "FR");

        act.Should().Throw<MemberBindingException>(
            "Country has a private setter; PropertyInfo.SetValue would use it anyway").Which.Message.Should().Contain("Country");
        customer.Country.Should().Be("NL");
    }

    [Fact]
    public void SetValue_refuses_a_readonly_field()
    {
        var customer = new Customer();

        var act = () => TypeInspector.SetValue(customer, "Code", "C-2");

        act.Should().Throw<MemberBindingException>("Code is readonly; FieldInfo.SetValue would overwrite it anyway");
        customer.Code.Should().Be("C-1");
    }

    [Fact]
    public void SetValue_refuses_null_for_a_member_that_cannot_be_null()
    {
        var customer = new Customer { Name = "Ada", Age = 36 };

        var nullAge = () => TypeInspector.SetValue(customer, "Age", null);
        var nullName = () => TypeInspector.SetValue(customer, "Name", null);

        nullAge.Should().Throw<MemberBindingException>("PropertyInfo.SetValue turns null into 0 for an int, silently");
        nullName.Should().Throw<MemberBindingException>("Name is annotated as never null");
        customer.Age.Should().Be(36);
        customer.Name.Should().Be("Ada");
    }

    [Fact]
    public void SetValue_refuses_a_value_of_the_wrong_type_with_a_binding_error()
    {
        var act = () => TypeInspector.SetValue(new Customer(), "Age", "36");

        act.Should().Throw<MemberBindingException>("a string is not an int; setattr-style code must not convert silently")
            .Which.Message.Should().Contain("Age");
    }

    [Fact]
    public void Invoke_chooses_the_overload_that_fits_the_arguments()
    {
        var calculator = new Calculator();

        TypeInspector.Invoke(calculator, "Add", 2, 3).Should().Be(5);
        TypeInspector.Invoke(calculator, "Add", "2", "3").Should().Be("23",
            "Add has two overloads; asking for \"the method called Add\" is ambiguous, the arguments decide");
        TypeInspector.Invoke(calculator, "Describe", [null]).Should().Be("nothing", "null fits a parameter of type object?");
        TypeInspector.Invoke(new VipCustomer { Name = "Ada" }, "Greet", "Hi").Should().Be("Hi, Ada",
            "Greet is declared on Customer: a public method of a base class is part of VipCustomer's surface");
    }

    [Fact]
    public void Invoke_refuses_arguments_that_fit_no_overload()
    {
        var wrongTypes = () => TypeInspector.Invoke(new Calculator(), "Add", 2, "3");
        var wrongCount = () => TypeInspector.Invoke(new Calculator(), "Add", 2);
        var missing = () => TypeInspector.Invoke(new Calculator(), "Multiply", 2, 3);

        wrongTypes.Should().Throw<MemberBindingException>("no overload takes (Int32, String)").Which.Message.Should().Contain("Add");
        wrongCount.Should().Throw<MemberBindingException>("no overload takes one argument");
        missing.Should().Throw<MemberBindingException>().Which.Message.Should().Contain("Multiply");
    }

    [Fact]
    public void Invoke_says_which_binding_failure_it_is_and_lists_the_candidates()
    {
        var calculator = new Calculator();

        FluentActions.Invoking(() => TypeInspector.Invoke(calculator, "Add", 2, "3"))
            .Should().Throw<MemberBindingException>().Which.Message.Should()
            .Contain("no overload").And.Contain("Int32, String").And.Contain("Add(Int32, Int32)").And.Contain("Add(String, String)",
                "the message shows what was passed and what would have fitted; one loose parameter must not make an " +
                "overload fit: every argument has to");
        FluentActions.Invoking(() => TypeInspector.Invoke(calculator, "Show", [null]))
            .Should().Throw<MemberBindingException>("null fits Show(string?) and Show(Uri?): picking one would be a guess")
            .Which.Message.Should().Contain("more than one").And.Contain("null");
        FluentActions.Invoking(() => TypeInspector.Invoke(calculator, "Multiply", 2, 3))
            .Should().Throw<MemberBindingException>().Which.Message.Should().Contain("no public method",
                "a misspelt method name is a different mistake from wrong arguments, and the message says so");
    }

    [Fact]
    public void Invoke_passes_null_to_a_nullable_value_type_and_refuses_it_for_a_plain_one()
    {
        var calculator = new Calculator();

        TypeInspector.Invoke(calculator, "Rate", [null]).Should().Be("unrated", "int? accepts null");
        TypeInspector.Invoke(calculator, "Rate", 3).Should().Be("***", "a boxed int is an int?");
        FluentActions.Invoking(() => TypeInspector.Invoke(calculator, "Divide", null, 1))
            .Should().Throw<MemberBindingException>("reflection would turn null into 0 for an int parameter, silently");
    }

    [Fact]
    public void Describe_includes_a_set_only_property_and_a_property_is_as_visible_as_its_getter()
    {
        var secret = TypeInspector.Describe(typeof(Vault)).Member("Secret");
        (secret.Kind, secret.TypeName, secret.IsPublic, secret.IsStatic).Should().Be((MemberKind.Property, "String", true, false),
            "a property with only a setter is still a property; its visibility is the setter's");
        TypeInspector.Describe(typeof(Customer)).Member("Country").IsPublic.Should().BeTrue(
            "Country has a public getter and a private setter: anyone can read it, so it is public");
    }

    [Fact]
    public void Describe_keeps_a_hand_written_override_of_a_compiler_generated_member()
    {
        TypeInspector.Describe(typeof(Memo)).Members.Where(m => m.Name == "ToString").Select(m => m.DeclaringType)
            .Should().Equal(["Memo"],
                "Memo.ToString was written by hand; only Note's own ToString is the compiler's. The marker belongs to " +
                "the declaration itself: looking it up through the overridden declarations hides Memo's");
    }

    [Fact]
    public void Every_method_refuses_a_null_target_or_type_by_name()
    {
        FluentActions.Invoking(() => TypeInspector.Describe(null!)).Should().Throw<ArgumentNullException>().WithParameterName("type");
        FluentActions.Invoking(() => TypeInspector.GetValue(null!, "Name")).Should().Throw<ArgumentNullException>(
            "a NullReferenceException from deep inside names no argument").WithParameterName("target");
        FluentActions.Invoking(() => TypeInspector.SetValue(null!, "Name", "Ada")).Should().Throw<ArgumentNullException>()
            .WithParameterName("target");
        FluentActions.Invoking(() => TypeInspector.Invoke(null!, "Add", 2, 3)).Should().Throw<ArgumentNullException>()
            .WithParameterName("target");
    }

    [Fact]
    public void Invoke_treats_protected_and_private_methods_as_missing()
    {
        var customer = new Customer();

        var protectedMethod = () => TypeInspector.Invoke(customer, "Save");
        var privateMethod = () => TypeInspector.Invoke(customer, "Touch");

        protectedMethod.Should().Throw<MemberBindingException>("Save is protected: callers by name get the public surface only");
        privateMethod.Should().Throw<MemberBindingException>("Touch is private to Entity");
    }

    [Fact]
    public void Invoke_lets_the_methods_own_exception_through_with_its_stack_trace()
    {
        var act = () => TypeInspector.Invoke(new Calculator(), "Divide", 1, 0);

        var thrown = act.Should().Throw<InvalidOperationException>(
            "the caller asked for Divide and Divide threw: a TargetInvocationException wrapper is reflection's detail").Which;
        thrown.Message.Should().Be("division by zero");
        thrown.StackTrace.Should().Contain($"{nameof(Calculator)}.{nameof(Calculator.Divide)}(",
            "`throw inner;` restarts the stack trace at the rethrow; the trace must still show where the error happened");
    }
}
