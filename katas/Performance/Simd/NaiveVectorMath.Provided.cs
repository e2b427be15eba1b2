namespace Koans.Performance.Simd;

/// <summary>
/// The baseline, written the way a Python programmer reaches for sum(), zip() and min(): LINQ over a copied array.
/// Correct, one element at a time, and it allocates. The tests use it as the scalar oracle and to prove the allocation
/// budget bites; `./run-katas.sh bench` measures <see cref="VectorMath"/> against it.
/// </summary>
public static class NaiveVectorMath
{
    public static long Sum(ReadOnlySpan<int> values) => values.ToArray().Sum(v => (long)v);

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("The spans differ in length.", nameof(b));
        }

        return a.ToArray().Zip(b.ToArray(), (x, y) => x * y).Sum();
    }

    public static (int Min, int Max) MinMax(ReadOnlySpan<int> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("An empty span has no minimum.", nameof(values));
        }

        var array = values.ToArray();
        return (array.Min(), array.Max());
    }

    public static int Count(ReadOnlySpan<byte> bytes, byte value) => bytes.ToArray().Count(b => b == value);
}
