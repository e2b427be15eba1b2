namespace Koans.Performance.Simd;

/// <summary>
/// Kata performance.simd: the loops NumPy runs for you, written with SIMD in C#: one instruction on 8, 16 or 32 values
/// at a time.
/// </summary>
/// <remarks>
/// <para>A modern x64 core adds eight ints (256 bits, AVX2) or sixteen (512 bits, AVX-512) in one instruction; an ARM
/// core four (128 bits, NEON). .NET exposes this portably: fixed-width vector types for 128, 256 and 512 bits, a
/// variable-width vector whose size is the machine's best, and a library of ready-made vectorized span operations.
/// Each method here must use them (a test inspects the compiled code): a plain element-by-element loop is correct, and
/// it is not this kata.</para>
/// <para>The standard to meet:</para>
/// <list type="bullet">
/// <item><description>Exactly the scalar answer for <b>every length</b> from 0 to 300 and every start offset: the values
/// left over after the last whole vector (the tail) are where SIMD code goes wrong.</description></item>
/// <item><description>Correct on a machine <b>without</b> the wide instructions: the tests run again with
/// <c>DOTNET_EnableAVX2=0</c> (no 256-bit vectors) and with <c>DOTNET_EnableHWIntrinsic=0</c> (no SIMD at
/// all).</description></item>
/// <item><description>No allocation: no arrays, no LINQ (the tests measure bytes allocated).</description></item>
/// </list>
/// <para><see cref="NaiveVectorMath"/> is the LINQ version; `./run-katas.sh bench performance.simd` measures yours
/// against it.</para>
/// </remarks>
public static class VectorMath
{
    /// <summary>
    /// The exact sum of <paramref name="values"/> as a 64-bit integer: 300 copies of <see cref="int.MaxValue"/> sum to
    /// 644 245 094 100, not to a number that wrapped around in a 32-bit lane. The empty sum is 0.
    /// </summary>
    public static long Sum(ReadOnlySpan<int> values) => throw new NotImplementedException();

    /// <summary>
    /// The dot product <c>a[0]*b[0] + a[1]*b[1] + ...</c>; 0 for empty spans. The additions may happen in any order
    /// (floating-point rounding may then differ in the last bits from a left-to-right loop).
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => throw new NotImplementedException();

    /// <summary>The smallest and the largest value, found in one pass over <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty: it has no minimum.</exception>
    public static (int Min, int Max) MinMax(ReadOnlySpan<int> values) => throw new NotImplementedException();

    /// <summary>How many bytes of <paramref name="bytes"/> equal <paramref name="value"/> (any value 0..255).</summary>
    public static int Count(ReadOnlySpan<byte> bytes, byte value) => throw new NotImplementedException();
}
