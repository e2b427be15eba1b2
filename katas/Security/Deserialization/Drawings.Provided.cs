using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Newtonsoft.Json;

namespace Koans.Security.Deserialization;

/// <summary>A shape of a drawing. Which subtypes may arrive over the wire is the deserializer's decision.</summary>
public abstract record Shape;

public sealed record Circle(double Radius) : Shape;

public sealed record Square(double Side) : Shape;

/// <summary>A group of shapes: the one recursive type, so nesting depth is up to the sender.</summary>
public sealed record Group(IReadOnlyList<Shape> Children) : Shape;

/// <summary>A drawing as the API receives it.</summary>
public sealed record Drawing(string Name, IReadOnlyList<Shape> Shapes);

/// <summary>
/// Also a <see cref="Shape"/>, used internally to tidy up temp files: setting <see cref="Path"/> deletes that file.
/// Every real application has types like this (the "gadgets" of deserialization exploits): harmless when your code
/// creates them, an attack primitive when the sender chooses to.
/// </summary>
public sealed record CleanupShape : Shape
{
    public string? Path
    {
        get => null;
        init
        {
            if (value is not null)
            {
                File.Delete(value);
            }
        }
    }
}

/// <summary>
/// Provided: the two naive ways to receive polymorphic JSON. The tests run every attack against them first, to show
/// the attack is real.
/// </summary>
public static class NaiveJson
{
    /// <summary>Json.NET with <c>TypeNameHandling.Auto</c>: "$type" names any .NET type assignable to the target.</summary>
    public static Drawing? WithTypeNames(string json) =>
        JsonConvert.DeserializeObject<Drawing>(json, new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.Auto });

    /// <summary>System.Text.Json with every <see cref="Shape"/> subtype in the assembly registered by reflection,
    /// discriminated by its lower-cased name without "Shape": an allow-list that allows everything.</summary>
    public static Drawing? WithEverySubtype(string json)
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(info =>
        {
            if (info.Type != typeof(Shape))
            {
                return;
            }

            info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "$type" };
            foreach (var type in typeof(Shape).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Shape)) && !t.IsAbstract))
            {
                var name = type.Name.Replace("Shape", "", StringComparison.Ordinal).ToLowerInvariant();
                info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, name));
            }
        });
        return System.Text.Json.JsonSerializer.Deserialize<Drawing>(json,
            new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = resolver });
    }
}
