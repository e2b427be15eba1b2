using System.Reflection;

namespace Koans.Metaprogramming.ReflectionEmit;

/// <summary>
/// Kata metaprogramming.reflection-emit, part 1: field accessors written in IL at run time, the way serializers and
/// mappers read private fields fast.
/// </summary>
/// <remarks>
/// <para>Emit each accessor as a small method whose body you write instruction by instruction, and return it as a
/// delegate. It must read and write <em>any</em> instance field of <typeparamref name="T"/> or its base classes, private
/// ones included (that is why serializers emit code instead of compiling C#).</para>
/// <para><typeparamref name="T"/> may be a class or a struct, and <typeparamref name="TField"/> is exactly the field's
/// type. For value types the emitted code must neither box nor unbox: a call allocates nothing (a test counts the bytes).
/// For a struct, the setter changes the caller's variable, which is why it takes the target by reference.</para>
/// </remarks>
public static class FieldAccessorEmitter
{
    /// <summary>A delegate that returns the value of the instance field <paramref name="field"/> of its argument.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="field"/> is null.</exception>
    /// <exception cref="ArgumentException">The field is static, is not a field of <typeparamref name="T"/> (or a base
    /// class), or its type is not exactly <typeparamref name="TField"/>.</exception>
    public static Func<T, TField> EmitGetter<T, TField>(FieldInfo field) => throw new NotImplementedException();

    /// <summary>A delegate that stores a value into the instance field <paramref name="field"/> of its target.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="field"/> is null.</exception>
    /// <exception cref="ArgumentException">As for <see cref="EmitGetter{T, TField}"/>, and also when the field is
    /// <c>readonly</c>: IL can write it, but code compiled against it (and the JIT) assume it never changes.</exception>
    public static FieldSetter<T, TField> EmitSetter<T, TField>(FieldInfo field) => throw new NotImplementedException();
}
