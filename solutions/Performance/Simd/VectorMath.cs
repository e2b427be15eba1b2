using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Koans.Performance.Simd;

public static class VectorMath
{
    public static long Sum(ReadOnlySpan<int> values)
    {
        long sum = 0;
        var i = 0;
        // Vector<T> is the machine's widest accelerated vector (8 ints with AVX2). When it is not accelerated it still
        // works, in software and slowly, so the scalar loop below is the better fallback.
        // Stryker disable once equality,logical,boolean : path selection, equivalent for every result (NOTES.md, Mutation score)
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<int>.Count)
        {
            // Widen each vector of ints into two vectors of longs before adding: in 32-bit lanes two int.MaxValue
            // already wrap around. TensorPrimitives.Sum<int> keeps int lanes, so it cannot be used here.
            var total = Vector<long>.Zero;
            for (; i <= values.Length - Vector<int>.Count; i += Vector<int>.Count)
            {
                Vector.Widen(new Vector<int>(values[i..]), out var low, out var high);
                total += low + high;
            }

            sum = Vector.Sum(total);
        }

        // The tail: fewer values than one vector holds.
        for (; i < values.Length; i++)
        {
            sum += values[i];
        }

        return sum;
    }

    // TensorPrimitives picks Vector512/256/128 or scalar code itself and handles the tail; it throws ArgumentException
    // for spans of different lengths. This is what NumPy's np.dot is to Python.
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.Dot(a, b);

    public static (int Min, int Max) MinMax(ReadOnlySpan<int> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("An empty span has no minimum.", nameof(values));
        }

        // One pass, two running vectors. (TensorPrimitives.Min and .Max would be two passes over memory.)
        // Stryker disable once equality,block : path selection, equivalent for every result (NOTES.md, Mutation score)
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<int>.Count)
        {
            return MinMax256(values);
        }

        // Stryker disable once equality,block : path selection, equivalent for every result (NOTES.md, Mutation score)
        if (Vector128.IsHardwareAccelerated && values.Length >= Vector128<int>.Count)
        {
            return MinMax128(values);
        }

        var (min, max) = (values[0], values[0]);
        foreach (var value in values)
        {
            (min, max) = (Math.Min(min, value), Math.Max(max, value));
        }

        return (min, max);
    }

    // MemoryExtensions.Count is vectorized in the runtime (Vector512/256/128 with a scalar tail): the library call is
    // the senior answer. MinMax above shows what such code looks like inside.
    public static int Count(ReadOnlySpan<byte> bytes, byte value) => bytes.Count(value);

    private static (int Min, int Max) MinMax256(ReadOnlySpan<int> values)
    {
        var min = Vector256.Create(values);
        var max = min;
        var i = Vector256<int>.Count;
        // Stryker disable once equality : path selection, equivalent for every result (NOTES.md, Mutation score)
        for (; i <= values.Length - Vector256<int>.Count; i += Vector256<int>.Count)
        {
            var next = Vector256.Create(values[i..]);
            min = Vector256.Min(min, next);
            max = Vector256.Max(max, next);
        }

        // The tail: one more vector ending exactly at the end. It overlaps values already seen, which min and max do
        // not mind (a sum would count them twice).
        var last = Vector256.Create(values[^Vector256<int>.Count..]);
        return Fold(Vector256.Min(min, last), Vector256.Max(max, last));
    }

    private static (int Min, int Max) MinMax128(ReadOnlySpan<int> values)
    {
        var min = Vector128.Create(values);
        var max = min;
        var i = Vector128<int>.Count;
        // Stryker disable once equality : path selection, equivalent for every result (NOTES.md, Mutation score)
        for (; i <= values.Length - Vector128<int>.Count; i += Vector128<int>.Count)
        {
            var next = Vector128.Create(values[i..]);
            min = Vector128.Min(min, next);
            max = Vector128.Max(max, next);
        }

        var last = Vector128.Create(values[^Vector128<int>.Count..]);
        return Fold(Vector128.Min(min, last), Vector128.Max(max, last));
    }

    // The horizontal step, once per call: fold the lanes of the last vectors into one value.
    private static (int Min, int Max) Fold(Vector256<int> min, Vector256<int> max)
    {
        var (lowest, highest) = (min[0], max[0]);
        for (var lane = 1; lane < Vector256<int>.Count; lane++)
        {
            (lowest, highest) = (Math.Min(lowest, min[lane]), Math.Max(highest, max[lane]));
        }

        return (lowest, highest);
    }

    private static (int Min, int Max) Fold(Vector128<int> min, Vector128<int> max)
    {
        var (lowest, highest) = (min[0], max[0]);
        for (var lane = 1; lane < Vector128<int>.Count; lane++)
        {
            (lowest, highest) = (Math.Min(lowest, min[lane]), Math.Max(highest, max[lane]));
        }

        return (lowest, highest);
    }
}
