using System.Reflection;
using System.Reflection.Emit;

namespace Koans.Metaprogramming.ReflectionEmit;

/// <summary>Builds, at run time, a class implementing an interface of read/write properties.</summary>
public static class PropertyBagEmitter
{
    private const MethodAttributes AccessorAttributes =
        MethodAttributes.Public | MethodAttributes.Virtual | MethodAttributes.Final | MethodAttributes.NewSlot |
        MethodAttributes.HideBySig | MethodAttributes.SpecialName;

    /// <summary>Builds a class that implements <paramref name="interfaceType"/> and returns it.</summary>
    public static Type Implement(Type interfaceType)
    {
        ArgumentNullException.ThrowIfNull(interfaceType);
        if (!interfaceType.IsInterface)
        {
            throw new ArgumentException($"{interfaceType.Name} is not an interface.", nameof(interfaceType));
        }

        // The interface and every interface it extends: a class implementing IPerson : INamed owes INamed's members.
        Type[] interfaces = [interfaceType, .. interfaceType.GetInterfaces()];
        var properties = interfaces.SelectMany(i => CheckMembers(i).Select(p => (Interface: i, Property: p))).ToArray();

        // One assembly per call, RunAndCollect: the GC unloads it once nothing references it. With Run it would stay
        // until the process exits.
        var assembly = AssemblyBuilder.DefineDynamicAssembly(
            new AssemblyName($"PropertyBag_{interfaceType.Name}_{Guid.NewGuid():N}"), AssemblyBuilderAccess.RunAndCollect);
        var module = assembly.DefineDynamicModule("PropertyBag");
        var type = module.DefineType($"{interfaceType.Name.TrimStart('I')}PropertyBag",
            TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class | TypeAttributes.AutoLayout,
            typeof(object), interfaces);
        // No constructor defined: CreateType gives the class a public parameterless one that calls object's.

        foreach (var (owner, property) in properties)
        {
            // Explicit names (Owner.Property) keep two interfaces with a same-named property apart.
            var name = $"{owner.FullName}.{property.Name}";
            var field = type.DefineField($"<{name}>k__BackingField", property.PropertyType, FieldAttributes.Private);
            var builder = type.DefineProperty(name, PropertyAttributes.None, property.PropertyType, null);

            var getter = type.DefineMethod($"{owner.FullName}.get_{property.Name}", AccessorAttributes,
                property.PropertyType, Type.EmptyTypes);
            var il = getter.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, field);
            il.Emit(OpCodes.Ret);
            type.DefineMethodOverride(getter, property.GetMethod!);
            builder.SetGetMethod(getter);

            var setter = type.DefineMethod($"{owner.FullName}.set_{property.Name}", AccessorAttributes,
                typeof(void), [property.PropertyType]);
            il = setter.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Stfld, field);
            il.Emit(OpCodes.Ret);
            type.DefineMethodOverride(setter, property.SetMethod!);
            builder.SetSetMethod(setter);
        }

        return type.CreateType();
    }

    /// <summary>The interface's properties, after refusing anything a backing field cannot implement.</summary>
    private static IEnumerable<PropertyInfo> CheckMembers(Type interfaceType)
    {
        var properties = interfaceType.GetProperties();
        foreach (var property in properties)
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is null || property.SetMethod is null)
            {
                throw new NotSupportedException(
                    $"{interfaceType.Name}.{property.Name} is not a read/write property without parameters.");
            }
        }
        var accessors = properties.SelectMany(p => new[] { p.GetMethod, p.SetMethod }).ToHashSet();
        foreach (var member in interfaceType.GetMembers())
        {
            var isAccessor = member is MethodInfo method && accessors.Contains(method);
            if (member is not PropertyInfo && !isAccessor)
            {
                throw new NotSupportedException(
                    $"{interfaceType.Name}.{member.Name} is a {member.MemberType}: only read/write properties can be implemented.");
            }
        }
        return properties;
    }
}
