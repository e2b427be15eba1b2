namespace Koans.Metaprogramming.ReflectionEmit;

/// <summary>
/// Kata metaprogramming.reflection-emit, part 2: a new type, built at run time, that implements an interface of
/// read/write properties (the trick behind mocking libraries and "just give me an implementation of this DTO
/// interface").
/// </summary>
/// <remarks>
/// <para>The type lives in a new dynamic assembly per call, and that assembly is <em>collectible</em>: once nothing
/// references the type, its instances or its assembly, the garbage collector unloads it. A non-collectible dynamic
/// assembly stays in memory until the process ends, so a program that builds types on demand would leak.</para>
/// <para>The type is a public sealed class with a public parameterless constructor; each property of the interface, and
/// of every interface it extends, is backed by its own instance field and starts at its default value.</para>
/// </remarks>
public static class PropertyBagEmitter
{
    /// <summary>Builds a class that implements <paramref name="interfaceType"/> and returns it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="interfaceType"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="interfaceType"/> is not an interface.</exception>
    /// <exception cref="NotSupportedException">The interface (or one it extends) has a member that is not a read/write,
    /// non-indexed property: a method, an event, a get-only property, an indexer. The message names the member.</exception>
    public static Type Implement(Type interfaceType) => throw new NotImplementedException();
}
