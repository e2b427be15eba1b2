using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Koans.Metaprogramming.Inspect;

/// <summary>Reference solution for metaprogramming.inspect.</summary>
public static class TypeInspector
{
    // Every member of one class of the hierarchy, and nothing inherited: the walk up the hierarchy is ours, because
    // Type.GetFields(NonPublic) never returns a base class's private fields.
    private const BindingFlags DeclaredMembers =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static string FriendlyName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return FriendlyName(underlying) + "?";
        }

        if (type.IsArray)
        {
            var rank = type.GetArrayRank();
            return FriendlyName(type.GetElementType()!) + "[" + new string(',', rank - 1) + "]";
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        // "Dictionary`2" -> "Dictionary". A type nested in a generic type (Dictionary<K, V>.KeyCollection) has no arity
        // of its own but shares its outer type's arguments: it is written KeyCollection<TKey, TValue>, which is enough here.
        var arity = type.Name.IndexOf('`', StringComparison.Ordinal);
        var name = arity < 0 ? type.Name : type.Name[..arity];
        return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(FriendlyName))}>";
    }

    public static TypeDescription Describe(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);

        // inherit: true honours each attribute's AttributeUsage(Inherited = ...).
        var attributes = type.GetCustomAttributes(inherit: true).Select(a => a.GetType().Name).ToList();

        // One context per description: it caches what it has read about each module's and type's annotations.
        var nullability = new NullabilityInfoContext();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var members = new List<MemberDescription>();
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (var member in current.GetMembers(DeclaredMembers))
            {
                if (Describe(member, nullability) is { } description && seen.Add(Signature(member)))
                {
                    members.Add(description);
                }
            }
        }

        return new TypeDescription(FriendlyName(type), type.GetGenericArguments().Select(FriendlyName).ToList(), attributes, members);
    }

    public static object? GetValue(object target, string name)
    {
        ArgumentNullException.ThrowIfNull(target);
        return FindValueMember(target.GetType(), name) switch
        {
            PropertyInfo { GetMethod.IsPublic: true } property => property.GetValue(target),
            FieldInfo field => field.GetValue(target),
            _ => throw new MemberBindingException($"{FriendlyName(target.GetType())}.{name} has no public getter."),
        };
    }

    public static void SetValue(object target, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(target);
        var type = target.GetType();
        var member = FindValueMember(type, name);
        var where = $"{FriendlyName(type)}.{name}";
        var nullability = new NullabilityInfoContext();

        // PropertyInfo.SetValue happily uses a private setter, FieldInfo.SetValue writes readonly fields, and both turn
        // null into 0 for a value type: each check below closes one of those doors.
        var (memberType, writeState) = member switch
        {
            PropertyInfo { SetMethod.IsPublic: true } property => (property.PropertyType, nullability.Create(property).WriteState),
            PropertyInfo => throw new MemberBindingException($"{where} cannot be set: it has no public setter."),
            FieldInfo { IsInitOnly: true } or FieldInfo { IsLiteral: true } => throw new MemberBindingException($"{where} cannot be set: it is a readonly field."),
            FieldInfo field => (field.FieldType, nullability.Create(field).WriteState),
            _ => throw new UnreachableException(),
        };

        if (value is null)
        {
            // For a non-nullable value type the state is NotNull too, so one check covers `int` and `string`.
            if (writeState == NullabilityState.NotNull)
            {
                throw new MemberBindingException($"{where} cannot be null: it is declared as non-nullable {FriendlyName(memberType)}.");
            }
        }
        else if (!memberType.IsInstanceOfType(value))
        {
            throw new MemberBindingException(
                $"{where} is {FriendlyName(memberType)}; a {FriendlyName(value.GetType())} cannot be assigned to it.");
        }

        switch (member)
        {
            case PropertyInfo property:
                property.SetValue(target, value);
                break;
            case FieldInfo field:
                field.SetValue(target, value);
                break;
        }
    }

    public static object? Invoke(object target, string name, params object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(target);
        arguments ??= [null]; // Invoke(x, "M", null) passes a null array: treat it as one null argument.
        var type = target.GetType();
        var named = type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.Name == name).ToList();
        var argumentTypes = string.Join(", ", arguments.Select(a => a is null ? "null" : FriendlyName(a.GetType())));
        if (named.Count == 0)
        {
            throw new MemberBindingException($"{FriendlyName(type)} has no public method called {name}.");
        }

        var fitting = named.Where(m => Accepts(m.GetParameters(), arguments)).ToList();
        if (fitting.Count != 1)
        {
            var candidates = string.Join("; ", named.Select(m => $"{name}({string.Join(", ", m.GetParameters().Select(p => FriendlyName(p.ParameterType)))})"));
            var problem = fitting.Count == 0 ? "no overload accepts" : "more than one overload accepts";
            throw new MemberBindingException($"{FriendlyName(type)}.{name}: {problem} ({argumentTypes}). Candidates: {candidates}.");
        }

        // DoNotWrapExceptions: the method's own exception arrives as thrown, with its stack trace, instead of inside a
        // TargetInvocationException (and without `throw inner;`, which would restart the stack trace here).
        return fitting[0].Invoke(target, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
    }

    private static MemberInfo FindValueMember(Type type, string name) =>
        (MemberInfo?)type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
        ?? type.GetField(name, BindingFlags.Public | BindingFlags.Instance)
        ?? throw new MemberBindingException($"{FriendlyName(type)} has no public property or field called {name}.");

    private static bool Accepts(ParameterInfo[] parameters, object?[] arguments) =>
        parameters.Length == arguments.Length
        && parameters.Zip(arguments).All(pair => pair.Second is null
            ? !pair.First.ParameterType.IsValueType || Nullable.GetUnderlyingType(pair.First.ParameterType) is not null
            : pair.First.ParameterType.IsInstanceOfType(pair.Second));

    private static MemberDescription? Describe(MemberInfo member, NullabilityInfoContext nullability)
    {
        // Backing fields, the record and closure machinery: the compiler marks what it invents.
        if (member.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false))
        {
            return null;
        }

        var declaring = FriendlyName(member.DeclaringType!);
        return member switch
        {
            FieldInfo field => new MemberDescription(field.Name, MemberKind.Field, FriendlyName(field.FieldType),
                Map(nullability.Create(field).ReadState), field.IsPublic, field.IsStatic, declaring),
            PropertyInfo property when (property.GetMethod ?? property.SetMethod) is { } accessor => new MemberDescription(
                property.Name, MemberKind.Property, FriendlyName(property.PropertyType), Map(nullability.Create(property).ReadState),
                accessor.IsPublic, accessor.IsStatic, declaring),
            // IsSpecialName: get_X/set_X, add_E/remove_E, operators. Constructors are ConstructorInfo, not MethodInfo.
            MethodInfo method when !method.IsSpecialName => new MemberDescription(method.Name, MemberKind.Method,
                FriendlyName(method.ReturnType), Map(nullability.Create(method.ReturnParameter).ReadState), method.IsPublic,
                method.IsStatic, declaring),
            _ => null,
        };
    }

    // The identity that decides "redeclared in a more derived class": kind, name and, for methods, parameter types.
    private static string Signature(MemberInfo member) => member switch
    {
        // Type.ToString(): the full name, or just "T" for a generic parameter (whose FullName is null).
        MethodInfo method => $"M:{method.Name}({string.Join(",", method.GetParameters().Select(p => p.ParameterType))})",
        _ => $"{member.MemberType}:{member.Name}",
    };

    private static Nullability Map(NullabilityState state) => state switch
    {
        NullabilityState.NotNull => Nullability.NotNull,
        NullabilityState.Nullable => Nullability.Nullable,
        _ => Nullability.Unknown,
    };
}
