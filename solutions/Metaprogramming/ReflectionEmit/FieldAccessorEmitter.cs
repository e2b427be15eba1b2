using System.Reflection;
using System.Reflection.Emit;

namespace Koans.Metaprogramming.ReflectionEmit;

/// <summary>Field accessors written in IL with <see cref="DynamicMethod"/>.</summary>
public static class FieldAccessorEmitter
{
    /// <summary>A delegate that returns the value of an instance field.</summary>
    public static Func<T, TField> EmitGetter<T, TField>(FieldInfo field)
    {
        Check<T, TField>(field);
        // Owner typeof(T) + skipVisibility: the method may read T's private fields (and its bases'), as if it were
        // declared inside T. A DynamicMethod is collected with its delegate: no assembly to unload.
        var method = new DynamicMethod($"get_{field.Name}", typeof(TField), [typeof(T)], typeof(T), skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);     // the object reference, or the struct value itself
        il.Emit(OpCodes.Ldfld, field); // ldfld accepts both: no box for a struct target
        il.Emit(OpCodes.Ret);          // TField is exactly the field's type: no box/unbox.any for a value-type field
        return method.CreateDelegate<Func<T, TField>>();
    }

    /// <summary>A delegate that stores into an instance field through a reference to the target.</summary>
    public static FieldSetter<T, TField> EmitSetter<T, TField>(FieldInfo field)
    {
        Check<T, TField>(field);
        if (field.IsInitOnly)
        {
            throw new ArgumentException($"{field.DeclaringType!.Name}.{field.Name} is readonly.", nameof(field));
        }

        var method = new DynamicMethod($"set_{field.Name}", typeof(void), [typeof(T).MakeByRefType(), typeof(TField)],
            typeof(T), skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0); // T&: for a struct, the address of the caller's variable, which stfld writes through
        if (!typeof(T).IsValueType)
        {
            il.Emit(OpCodes.Ldind_Ref); // for a class, load the object reference the variable holds
        }
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Stfld, field);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<FieldSetter<T, TField>>();
    }

    /// <summary>IL is not verified here: a wrong owner or type reads or writes the wrong memory, so check first.</summary>
    private static void Check<T, TField>(FieldInfo field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.IsStatic)
        {
            throw new ArgumentException($"{field.Name} is static.", nameof(field));
        }
        if (field.DeclaringType is null || !field.DeclaringType.IsAssignableFrom(typeof(T)))
        {
            throw new ArgumentException($"{field.Name} is a field of {field.DeclaringType?.Name}, not of {typeof(T).Name}.",
                nameof(field));
        }
        if (field.FieldType != typeof(TField))
        {
            throw new ArgumentException($"{field.Name} is {field.FieldType.Name}, not {typeof(TField).Name}.", nameof(field));
        }
    }
}
