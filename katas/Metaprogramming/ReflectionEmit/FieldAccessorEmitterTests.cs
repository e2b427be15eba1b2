using System.Reflection;

namespace Koans.Metaprogramming.ReflectionEmit;

public class FieldAccessorEmitterTests
{
    public class Entity
    {
        private int _version = 3;
        private string _name = "ada";
        protected decimal Balance = 12.5m;
        public readonly Guid Id = Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff");
        public static int Instances = 1;

        public int Version => _version;
        public string Name => _name;
    }

    public sealed class DerivedEntity : Entity
    {
        private long _ticks = 99;
        public long Ticks => _ticks;
    }

    public struct Point
    {
        public int X;
        public int Y;
#pragma warning disable CS0649 // written only by the emitted setter, which the compiler cannot see
        private double _weight;
#pragma warning restore CS0649
        public readonly double Weight => _weight;
    }

    private const BindingFlags AnyInstance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    private static FieldInfo Field<T>(string name) => typeof(T).GetField(name, AnyInstance | BindingFlags.Static)!;

    private static readonly MethodInfo EmitGetterDefinition = typeof(FieldAccessorEmitter).GetMethod(nameof(FieldAccessorEmitter.EmitGetter))!;

    [Fact]
    public void Emitted_getters_agree_with_reflection_for_every_field_of_a_class_and_its_base()
    {
        var entity = new DerivedEntity();
        var fields = typeof(DerivedEntity).GetFields(AnyInstance)
            .Concat(typeof(Entity).GetFields(AnyInstance).Where(f => f.IsPrivate))
            .ToArray();
        fields.Select(f => f.Name).Should().Contain(["_ticks", "_version", "_name", "Balance", "Id"]);

        foreach (var field in fields)
        {
            var getter = (Delegate)EmitGetterDefinition.MakeGenericMethod(typeof(DerivedEntity), field.FieldType)
                .Invoke(null, [field])!;
            getter.DynamicInvoke(entity).Should().Be(field.GetValue(entity),
                $"the emitted getter of {field.DeclaringType!.Name}.{field.Name} reads what FieldInfo.GetValue reads");
        }
    }

    [Fact]
    public void An_emitted_setter_writes_a_private_field_of_a_class()
    {
        var entity = new Entity();
        var setVersion = FieldAccessorEmitter.EmitSetter<Entity, int>(Field<Entity>("_version"));
        var setName = FieldAccessorEmitter.EmitSetter<Entity, string>(Field<Entity>("_name"));

        setVersion(ref entity, 42);
        setName(ref entity, "grace");

        entity.Version.Should().Be(42, "private fields are what emitted accessors are for");
        entity.Name.Should().Be("grace");
    }

    [Fact]
    public void An_emitted_setter_writes_a_private_field_of_a_base_class()
    {
        Entity entity = new DerivedEntity();
        var setVersion = FieldAccessorEmitter.EmitSetter<DerivedEntity, int>(Field<Entity>("_version"));
        var derived = (DerivedEntity)entity;

        setVersion(ref derived, 7);

        entity.Version.Should().Be(7,
            "the field may be declared by a base class, private to it: the setter takes the DerivedEntity by " +
            "reference and stores into the Entity part of the same object");
    }

    [Fact]
    public void An_emitted_setter_changes_the_callers_struct_not_a_copy()
    {
        var point = new Point { X = 1, Y = 2 };
        FieldAccessorEmitter.EmitSetter<Point, int>(Field<Point>("X"))(ref point, 10);
        FieldAccessorEmitter.EmitSetter<Point, double>(Field<Point>("_weight"))(ref point, 0.5);

        point.X.Should().Be(10, "the setter got the struct by reference: storing into a copy would leave X at 1");
        point.Y.Should().Be(2, "only X was written");
        point.Weight.Should().Be(0.5);
        FieldAccessorEmitter.EmitGetter<Point, int>(Field<Point>("Y"))(point).Should().Be(2);
    }

    [Fact]
    public void Emitted_accessors_for_value_types_do_not_box()
    {
        var point = new Point { X = 1 };
        var entity = new Entity();
        var getX = FieldAccessorEmitter.EmitGetter<Point, int>(Field<Point>("X"));
        var setX = FieldAccessorEmitter.EmitSetter<Point, int>(Field<Point>("X"));
        var getVersion = FieldAccessorEmitter.EmitGetter<Entity, int>(Field<Entity>("_version"));
        var setVersion = FieldAccessorEmitter.EmitSetter<Entity, int>(Field<Entity>("_version"));
        setX(ref point, getX(point)); setVersion(ref entity, getVersion(entity)); // warm up (JIT)

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            setX(ref point, getX(point) + 1);
            setVersion(ref entity, getVersion(entity) + 1);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        point.X.Should().Be(1_001);
        entity.Version.Should().Be(1_003);
        allocated.Should().Be(0,
            "ldfld/stfld on the right address need no box; a box/unbox.any pair (or FieldInfo.GetValue) allocates " +
            "on every call");
    }

    [Fact]
    public void A_readonly_field_gets_no_setter()
    {
        var emit = () => FieldAccessorEmitter.EmitSetter<Entity, Guid>(Field<Entity>("Id"));
        emit.Should().Throw<ArgumentException>(
            "IL may store into an initonly field, but the compiler and the JIT assume readonly fields never change");
        FieldAccessorEmitter.EmitGetter<Entity, Guid>(Field<Entity>("Id"))(new Entity()).Should().Be(new Entity().Id,
            "reading a readonly field is fine");
    }

    [Fact]
    public void A_field_of_the_wrong_type_owner_or_kind_is_an_ArgumentException()
    {
        var wrongType = () => FieldAccessorEmitter.EmitGetter<Entity, long>(Field<Entity>("_version"));
        wrongType.Should().Throw<ArgumentException>("_version is an int; unverifiable IL would read it as a long");

        var wrongOwner = () => FieldAccessorEmitter.EmitGetter<Entity, long>(Field<DerivedEntity>("_ticks"));
        wrongOwner.Should().Throw<ArgumentException>(
            "_ticks is a field of DerivedEntity; an Entity may not have it, and ldfld would read past the object");

        var wrongOwnerSetter = () => FieldAccessorEmitter.EmitSetter<Point, int>(Field<Entity>("_version"));
        wrongOwnerSetter.Should().Throw<ArgumentException>("_version is not a field of Point");

        var isStatic = () => FieldAccessorEmitter.EmitGetter<Entity, int>(Field<Entity>("Instances"));
        isStatic.Should().Throw<ArgumentException>("a static field has no instance to read it from");

        var isNull = () => FieldAccessorEmitter.EmitGetter<Entity, int>(null!);
        isNull.Should().Throw<ArgumentNullException>();
    }
}
