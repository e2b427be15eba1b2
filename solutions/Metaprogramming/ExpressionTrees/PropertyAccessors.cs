using System.Linq.Expressions;
using System.Reflection;

namespace Koans.Metaprogramming.ExpressionTrees;

/// <summary>Property getters and setters compiled once from expression trees.</summary>
public static class PropertyAccessors
{
    /// <summary>A delegate that reads a public instance property, as <typeparamref name="TValue"/>.</summary>
    public static Func<T, TValue> CompileGetter<T, TValue>(string propertyName)
    {
        var property = FindProperty<T>(propertyName);
        if (property.GetMethod is not { IsPublic: true })
        {
            throw new ArgumentException($"{typeof(T).Name}.{propertyName} has no public getter.", nameof(propertyName));
        }
        // Reference and boxing conversions only: an int read as object is fine, an int read as string is a bug that
        // belongs here, at compile time, not at the first call.
        if (!typeof(TValue).IsAssignableFrom(property.PropertyType))
        {
            throw new ArgumentException(
                $"{typeof(T).Name}.{propertyName} is {property.PropertyType.Name}, which does not convert to {typeof(TValue).Name}.",
                nameof(propertyName));
        }

        var target = Expression.Parameter(typeof(T), "target");
        Expression body = Expression.Property(target, property);
        if (property.PropertyType != typeof(TValue))
        {
            // The lambda's body must have the delegate's return type: box (or up-cast) explicitly.
            body = Expression.Convert(body, typeof(TValue));
        }
        return Expression.Lambda<Func<T, TValue>>(body, target).Compile();
    }

    /// <summary>A delegate that writes a public instance property of exactly type <typeparamref name="TValue"/>.</summary>
    public static Action<T, TValue> CompileSetter<T, TValue>(string propertyName) where T : class
    {
        var property = FindProperty<T>(propertyName);
        // Expression.Property would happily call a private setter: check the accessibility ourselves.
        if (property.SetMethod is not { IsPublic: true })
        {
            throw new ArgumentException($"{typeof(T).Name}.{propertyName} has no public setter.", nameof(propertyName));
        }
        if (property.PropertyType != typeof(TValue))
        {
            throw new ArgumentException(
                $"{typeof(T).Name}.{propertyName} is {property.PropertyType.Name}, not {typeof(TValue).Name}.",
                nameof(propertyName));
        }

        var target = Expression.Parameter(typeof(T), "target");
        var value = Expression.Parameter(typeof(TValue), "value");
        var assign = Expression.Assign(Expression.Property(target, property), value);
        return Expression.Lambda<Action<T, TValue>>(assign, target, value).Compile();
    }

    private static PropertyInfo FindProperty<T>(string propertyName)
    {
        ArgumentNullException.ThrowIfNull(propertyName);
        // From the most derived class up, one class at a time: a `new` property hides the base one of the same name,
        // and GetProperty(name) would see both and throw AmbiguousMatchException (GetProperties' order is not
        // documented, so "the first one it returns" is no answer either).
        for (var type = typeof(T); type is not null; type = type.BaseType)
        {
            var declared = type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .FirstOrDefault(p => p.Name == propertyName && p.GetIndexParameters().Length == 0);
            if (declared is not null)
            {
                return declared;
            }
        }
        throw new ArgumentException($"{typeof(T).Name} has no public instance property {propertyName}.",
            nameof(propertyName));
    }
}
