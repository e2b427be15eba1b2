using System.Reflection;
using System.Runtime.CompilerServices;

namespace Koans.Metaprogramming.ReflectionEmit;

public class PropertyBagEmitterTests
{
    public interface INamed
    {
        string? Name { get; set; }
    }

    public interface IPerson : INamed
    {
        int Age { get; set; }
        decimal? Balance { get; set; }
        DateTime Born { get; set; }
    }

    public interface IWithMethod
    {
        int Count { get; set; }
        void Reset();
    }

    public interface IReadOnlyThing
    {
        int Count { get; }
    }

    public interface IWithIndexer
    {
        int this[int index] { get; set; }
    }

    public interface IWithEvent
    {
        event EventHandler Changed;
    }

    [Fact]
    public void The_runtime_type_implements_the_interface_and_its_base()
    {
        var type = PropertyBagEmitter.Implement(typeof(IPerson));

        type.IsClass.Should().BeTrue();
        type.IsSealed.Should().BeTrue();
        type.GetInterfaces().Should().Contain([typeof(IPerson), typeof(INamed)],
            "a class implementing IPerson implements INamed too: its Name property needs a body as well");
        type.GetConstructor(Type.EmptyTypes).Should().NotBeNull("the type has a public parameterless constructor");
    }

    [Fact]
    public void Properties_start_at_their_defaults_and_keep_what_is_stored()
    {
        var person = (IPerson)Activator.CreateInstance(PropertyBagEmitter.Implement(typeof(IPerson)))!;
        person.Name.Should().BeNull();
        person.Age.Should().Be(0);
        person.Balance.Should().BeNull();

        var born = new DateTime(1815, 12, 10, 0, 0, 0, DateTimeKind.Utc);
        person.Name = "Ada";
        person.Age = 36;
        person.Balance = 12.5m;
        person.Born = born;

        person.Name.Should().Be("Ada");
        person.Age.Should().Be(36);
        person.Balance.Should().Be(12.5m);
        person.Born.Should().Be(born, "every property has its own field, of its own type");
        ((INamed)person).Name.Should().Be("Ada");
    }

    [Fact]
    public void Each_instance_has_its_own_state_and_reflection_sees_the_same_values()
    {
        var type = PropertyBagEmitter.Implement(typeof(IPerson));
        var first = (IPerson)Activator.CreateInstance(type)!;
        var second = (IPerson)Activator.CreateInstance(type)!;
        first.Age = 1;
        second.Age = 2;

        first.Age.Should().Be(1, "instance fields, not static ones: two instances never share a value");
        second.Age.Should().Be(2);

        // Plain reflection over the interface's property agrees with the typed call on the emitted object.
        typeof(IPerson).GetProperty(nameof(IPerson.Age))!.GetValue(first).Should().Be(1);
        typeof(INamed).GetProperty(nameof(INamed.Name))!.SetValue(second, "Grace");
        second.Name.Should().Be("Grace");
        type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(p => p.GetMethod is null || p.SetMethod is null).Select(p => p.Name).Should().BeEmpty(
                "a property the class declares is tied to its get and set methods; without them a debugger or a " +
                "serializer walking the class's own properties sees a property it can neither read nor write");
    }

    [Fact]
    public void The_type_lives_in_a_collectible_assembly_that_unloads_when_unreferenced()
    {
        var assembly = BuildUseAndForget();

        // Bounded: a collectible assembly goes after a few collections once nothing references it; a non-collectible
        // one never does. No timing involved: the loop ends on a count.
        for (var attempt = 0; attempt < 20 && assembly.IsAlive; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        assembly.IsAlive.Should().BeFalse(
            "a dynamic assembly built to run and collect is unloaded by the GC; one built only to run stays until " +
            "the process exits, and a program that builds types on demand leaks them");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference BuildUseAndForget()
    {
        var type = PropertyBagEmitter.Implement(typeof(INamed));
        type.Assembly.IsCollectible.Should().BeTrue("the dynamic assembly must be collectible");
        var named = (INamed)Activator.CreateInstance(type)!;
        named.Name = "temporary";
        named.Name.Should().Be("temporary");
        return new WeakReference(type.Assembly);
    }

    [Fact]
    public void Each_call_builds_a_new_assembly()
    {
        var first = PropertyBagEmitter.Implement(typeof(INamed));
        var second = PropertyBagEmitter.Implement(typeof(INamed));

        second.Assembly.Should().NotBeSameAs(first.Assembly,
            "one dynamic assembly per call, so each can be collected on its own");
    }

    [Fact]
    public void A_null_interface_type_is_an_ArgumentNullException_by_name()
    {
        var implement = () => PropertyBagEmitter.Implement(null!);
        implement.Should().Throw<ArgumentNullException>().WithParameterName("interfaceType");
    }

    [Fact]
    public void A_class_is_not_an_interface()
    {
        var implement = () => PropertyBagEmitter.Implement(typeof(string));
        implement.Should().Throw<ArgumentException>("only an interface can be implemented");
    }

    [Theory]
    [InlineData(typeof(IWithMethod), "Reset")]
    [InlineData(typeof(IReadOnlyThing), "Count")]
    [InlineData(typeof(IWithIndexer), "Item")]
    [InlineData(typeof(IWithEvent), "Changed")]
    public void A_member_that_is_not_a_read_write_property_is_NotSupportedException_naming_it(Type interfaceType, string member)
    {
        var implement = () => PropertyBagEmitter.Implement(interfaceType);
        implement.Should().Throw<NotSupportedException>(
                $"{interfaceType.Name}.{member} cannot be a field-backed property; CreateType would otherwise fail " +
                "with a TypeLoadException that names nothing useful")
            .WithMessage($"*{member}*");
    }
}
