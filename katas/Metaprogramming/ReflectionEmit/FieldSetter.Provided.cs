namespace Koans.Metaprogramming.ReflectionEmit;

/// <summary>
/// Writes a field of <paramref name="target"/>. The target is passed by reference so that a setter for a struct changes
/// the caller's struct, not a copy of it.
/// </summary>
public delegate void FieldSetter<T, in TField>(ref T target, TField value);
