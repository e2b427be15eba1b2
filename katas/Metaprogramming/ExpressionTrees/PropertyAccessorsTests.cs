using System.Reflection;

namespace Koans.Metaprogramming.ExpressionTrees;

public class PropertyAccessorsTests
{
    public sealed class Account
    {
        public string Owner { get; set; } = "Ada";
        public int Balance { get; set; } = 36;
        public decimal Rate { get; set; } = 1.5m;
        public string Id { get; } = "acc-1";
        public int Secret { get; private set; } = 7;
        public int Pin { private get; set; } = 1234;
        public int this[int index] => index;
    }

    public class Animal
    {
        public int Level { get; set; } = 1;
    }

    public sealed class Dog : Animal
    {
        public new string Level { get; set; } = "good dog";
    }

    [Fact]
    public void A_getter_reads_the_same_values_as_reflection()
    {
        var account = new Account { Owner = "Grace", Balance = 120, Rate = 2.25m };

        PropertyAccessors.CompileGetter<Account, string>("Owner")(account).Should().Be(
            (string?)typeof(Account).GetProperty("Owner")!.GetValue(account), "the getter reads the property");
        PropertyAccessors.CompileGetter<Account, int>("Balance")(account).Should().Be(120);
        PropertyAccessors.CompileGetter<Account, decimal>("Rate")(account).Should().Be(2.25m);
        PropertyAccessors.CompileGetter<Account, string>("Id")(account).Should().Be("acc-1",
            "a get-only property can be read");
    }

    [Fact]
    public void A_getter_may_return_a_value_type_property_as_object()
    {
        var read = PropertyAccessors.CompileGetter<Account, object>("Balance");

        read(new Account { Balance = 42 }).Should().Be(42,
            "an int property read as object needs a conversion (a box) in the tree: the lambda's body must have the " +
            "delegate's return type");
    }

    [Fact]
    public void A_setter_writes_the_property()
    {
        var account = new Account();
        PropertyAccessors.CompileSetter<Account, int>("Balance")(account, 99);
        PropertyAccessors.CompileSetter<Account, string>("Owner")(account, "Grace");

        account.Balance.Should().Be(99);
        account.Owner.Should().Be("Grace");
    }

    [Fact]
    public void A_compiled_getter_and_setter_do_not_allocate_per_call()
    {
        var account = new Account();
        var read = PropertyAccessors.CompileGetter<Account, int>("Balance");
        var write = PropertyAccessors.CompileSetter<Account, int>("Balance");
        read(account); write(account, 1); // warm up (JIT)

        long total = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            write(account, i);
            total += read(account);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        total.Should().Be(499_500);
        allocated.Should().Be(0,
            "a compiled accessor is plain code; PropertyInfo.GetValue/SetValue box the int on every call " +
            "(24 bytes each), which is the cost this kata removes");
    }

    [Theory]
    [InlineData("Missing")]
    [InlineData("balance")] // exact name: C# is case-sensitive, unlike the filter language
    [InlineData("Item")]    // the indexer is not a property you can read without an index
    public void A_getter_for_a_property_that_does_not_exist_is_an_ArgumentException(string name)
    {
        var compile = () => PropertyAccessors.CompileGetter<Account, int>(name);
        compile.Should().Throw<ArgumentException>($"Account has no readable property called {name}")
            .WithParameterName("propertyName", "the exception names the argument the caller must fix");
    }

    [Fact]
    public void A_getter_whose_type_does_not_fit_is_an_ArgumentException()
    {
        var compile = () => PropertyAccessors.CompileGetter<Account, string>("Balance");
        compile.Should().Throw<ArgumentException>(
                "Balance is an int; an int is not a string, and the error belongs at compile time, not at the first call")
            .WithParameterName("propertyName");
    }

    [Fact]
    public void A_setter_for_a_get_only_property_is_an_ArgumentException()
    {
        var compile = () => PropertyAccessors.CompileSetter<Account, string>("Id");
        compile.Should().Throw<ArgumentException>("Id has no setter at all").WithParameterName("propertyName");
    }

    [Fact]
    public void A_setter_for_a_property_with_a_private_setter_is_an_ArgumentException()
    {
        var compile = () => PropertyAccessors.CompileSetter<Account, int>("Secret");
        compile.Should().Throw<ArgumentException>(
            "Secret's setter is private: an expression tree could call it, but an accessor that writes past the " +
            "type's own encapsulation is a bug waiting to happen").WithParameterName("propertyName");
    }

    [Fact]
    public void A_setter_whose_value_type_is_not_the_property_type_is_an_ArgumentException()
    {
        var compile = () => PropertyAccessors.CompileSetter<Account, long>("Balance");
        compile.Should().Throw<ArgumentException>("Balance is an int; the setter takes exactly the property's type")
            .WithParameterName("propertyName",
                "check the type yourself, before building the tree: Expression.Assign's own complaint about an int " +
                "and a long names no argument, so the caller cannot tell which one to fix");
    }

    [Fact]
    public void A_null_property_name_is_an_ArgumentNullException()
    {
        var compile = () => PropertyAccessors.CompileGetter<Account, int>(null!);
        compile.Should().Throw<ArgumentNullException>().WithParameterName("propertyName");
    }

    [Fact]
    public void A_getter_for_a_property_whose_getter_is_private_is_an_ArgumentException()
    {
        // PropertyInfo.CanRead is true for Pin, and Expression.Property would compile a call to its private getter.
        var compile = () => PropertyAccessors.CompileGetter<Account, int>("Pin");
        compile.Should().Throw<ArgumentException>(
                "Pin's getter is private: CanRead says true, but code outside Account could not read it, and an " +
                "accessor must not read past the type's encapsulation either")
            .WithParameterName("propertyName");

        var account = new Account();
        PropertyAccessors.CompileSetter<Account, int>("Pin")(account, 4321);
        typeof(Account).GetProperty("Pin")!.GetValue(account).Should().Be(4321, "Pin's setter is public: it may be written");
    }

    [Fact]
    public void A_property_hidden_with_new_is_the_most_derived_declaration()
    {
        var dog = new Dog();

        PropertyAccessors.CompileGetter<Dog, string>("Level")(dog).Should().Be("good dog",
            "Dog.Level hides Animal.Level; reflection sees both (GetProperty(\"Level\") throws " +
            "AmbiguousMatchException), and the one C# means by dog.Level is the most derived");
        PropertyAccessors.CompileSetter<Dog, string>("Level")(dog, "best dog");
        dog.Level.Should().Be("best dog", "the setter writes the same, most derived, property");
        PropertyAccessors.CompileGetter<Animal, int>("Level")(dog).Should().Be(1,
            "through an Animal, Level is Animal's int, as ((Animal)dog).Level is in C#");

        var readTheHiddenOne = () => PropertyAccessors.CompileGetter<Dog, int>("Level");
        readTheHiddenOne.Should().Throw<ArgumentException>(
            "on a Dog, Level is the string; the hidden int is not what the name means there").WithParameterName("propertyName");
    }

    // Reflection is the oracle for the values; this keeps the comparison honest for every readable property.
    [Fact]
    public void Getters_as_object_agree_with_reflection_for_every_readable_property()
    {
        var account = new Account { Owner = "Linus", Balance = -3, Rate = 0.1m };
        foreach (var property in typeof(Account).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true }))
        {
            PropertyAccessors.CompileGetter<Account, object>(property.Name)(account).Should().Be(
                property.GetValue(account), $"the compiled getter of {property.Name} reads what reflection reads");
        }
    }
}
