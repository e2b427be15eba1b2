using System.Collections;
using System.Reflection;

namespace Koans.Metaprogramming.AttributesValidation;

/// <summary>Reference solution for metaprogramming.attributes-validation.</summary>
public static class Validator
{
    public static IReadOnlyList<ValidationError> Validate(object instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var errors = new List<ValidationError>();
        // The objects on the current path, by identity: equal records are still different objects.
        Validate(instance, prefix: "", new HashSet<object>(ReferenceEqualityComparer.Instance), errors);
        return errors;
    }

    private static void Validate(object instance, string prefix, HashSet<object> onPath, List<ValidationError> errors)
    {
        if (!onPath.Add(instance))
        {
            return; // a cycle: this object is already being validated further up
        }

        foreach (var property in instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is not { IsPublic: true })
            {
                continue; // an indexer needs arguments; a set-only property has nothing to check
            }

            // Attribute.GetCustomAttributes (or the GetCustomAttributes<T>(inherit) extension), not
            // property.GetCustomAttributes(true): MemberInfo's own method ignores `inherit` for properties, so the
            // rules on an overridden base property would be lost.
            var rules = Attribute.GetCustomAttributes(property, typeof(ValidationRuleAttribute), inherit: true)
                .Cast<ValidationRuleAttribute>();
            var value = property.GetValue(instance);
            var path = prefix + property.Name;
            foreach (var rule in rules)
            {
                if (rule.Check(value) is { } message)
                {
                    var ruleName = rule.GetType().Name;
                    errors.Add(new ValidationError(path, ruleName.EndsWith("Attribute", StringComparison.Ordinal) ? ruleName[..^"Attribute".Length] : ruleName,
                        $"{path} {message}"));
                }
            }

            if (value is null || !Attribute.IsDefined(property, typeof(ValidateNestedAttribute), inherit: true))
            {
                continue;
            }

            if (value is IEnumerable elements and not string)
            {
                var index = 0;
                foreach (var element in elements)
                {
                    if (element is not null)
                    {
                        Validate(element, $"{path}[{index}].", onPath, errors);
                    }

                    index++;
                }
            }
            else
            {
                Validate(value, path + ".", onPath, errors);
            }
        }

        // Leaving the path: the same object reached another way is validated again, under that path.
        onPath.Remove(instance);
    }
}
