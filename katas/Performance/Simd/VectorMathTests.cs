using System.Numerics;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using Koans.Testing;

namespace Koans.Performance.Simd;

public class VectorMathTests
{
    /// <summary>Set in the child runs of <see cref="VectorMathFallbackTests"/>: the variable that switched SIMD off.</summary>
    internal const string ChildRunVariable = "KOANS_SIMD_CHILD_RUN";

    private const int MaxLength = 300;
    private const int MaxOffset = 3;

    // Deterministic inputs: a fixed seed, so a failure names a length and offset that reproduce.
    private static readonly int[] Ints = RandomInts(MaxLength + MaxOffset, 20261130);
    private static readonly byte[] Bytes = RandomBytes(MaxLength + MaxOffset, 7);

    // Small integers as floats: every product and partial sum is exact, so the order of the additions cannot matter.
    private static readonly float[] FloatsA = RandomInts(MaxLength + MaxOffset, 1).Select(v => (float)(v % 9)).ToArray();
    private static readonly float[] FloatsB = RandomInts(MaxLength + MaxOffset, 2).Select(v => (float)(v % 7)).ToArray();

    [Fact]
    public void Fixed_examples_give_the_textbook_answers()
    {
        VectorMath.Sum(Enumerable.Range(1, 100).ToArray()).Should().Be(5050, "1 + 2 + ... + 100 = 100 * 101 / 2");
        VectorMath.Dot([1f, 2f, 3f], [4f, 5f, 6f]).Should().Be(32f, "1*4 + 2*5 + 3*6");
        VectorMath.MinMax([3, -7, 12, 0]).Should().Be((-7, 12));
        VectorMath.Count("hello world"u8, (byte)'o').Should().Be(2, "'o' occurs in hello and in world");
    }

    [Fact]
    public void Sum_is_exact_for_every_length_and_offset()
    {
        for (var offset = 0; offset <= MaxOffset; offset++)
        {
            for (var length = 0; length <= MaxLength; length++)
            {
                var values = Ints.AsSpan(offset, length);
                var (actual, expected) = (VectorMath.Sum(values), NaiveVectorMath.Sum(values));
                if (actual != expected) // FluentAssertions only on a mismatch: 1204 checks stay fast
                {
                    actual.Should().Be(expected,
                        $"the sum of {length} values from offset {offset} must include every tail element exactly once");
                }
            }
        }
    }

    [Fact]
    public void Sum_does_not_overflow_in_32_bit_lanes()
    {
        for (var length = 0; length <= MaxLength; length++)
        {
            var maxima = Enumerable.Repeat(int.MaxValue, length).ToArray();
            var sum = VectorMath.Sum(maxima);
            if (sum != (long)int.MaxValue * length)
            {
                sum.Should().Be((long)int.MaxValue * length,
                    $"{length} copies of int.MaxValue: accumulate in 64-bit lanes (widen), or two values already wrap around");
            }
            var minima = Enumerable.Repeat(int.MinValue, length).ToArray();
            sum = VectorMath.Sum(minima);
            if (sum != (long)int.MinValue * length)
            {
                sum.Should().Be((long)int.MinValue * length, $"{length} copies of int.MinValue");
            }
        }
    }

    [Fact]
    public void Dot_matches_the_scalar_product_for_every_length_and_offset()
    {
        for (var offset = 0; offset <= MaxOffset; offset++)
        {
            for (var length = 0; length <= MaxLength; length++)
            {
                var a = FloatsA.AsSpan(offset, length);
                var b = FloatsB.AsSpan(offset, length);
                var (actual, expected) = (VectorMath.Dot(a, b), NaiveVectorMath.Dot(a, b));
                if (actual != expected)
                {
                    actual.Should().Be(expected,
                        $"length {length}, offset {offset}: with small integers every partial sum is exact, so any order agrees");
                }
            }
        }
    }

    [Fact]
    public void Dot_rejects_spans_of_different_lengths()
    {
        var act = () => VectorMath.Dot(new float[17], new float[16]);
        act.Should().Throw<ArgumentException>("a dot product of a 17-vector and a 16-vector is undefined, not the first 16 terms");
    }

    [Fact]
    public void MinMax_finds_an_extreme_at_every_position_of_every_length()
    {
        for (var length = 1; length <= MaxLength; length++)
        {
            // Move a unique minimum and maximum through every position: the last few are the tail a vector loop skips.
            for (var position = 0; position < length; position++)
            {
                var values = Ints.AsSpan(0, length).ToArray();
                var other = length - 1 - position;
                values[position] = int.MinValue;
                if (other != position)
                {
                    values[other] = int.MaxValue;
                }

                var expected = NaiveVectorMath.MinMax(values);
                var actual = VectorMath.MinMax(values);
                if (actual != expected)
                {
                    actual.Should().Be(expected,
                        $"length {length}: the minimum at index {position} and the maximum at index {other} must both be seen");
                }
            }
        }
    }

    [Fact]
    public void MinMax_of_nothing_is_an_error()
    {
        var act = () => VectorMath.MinMax([]);
        act.Should().Throw<ArgumentException>("an empty span has no minimum; returning (0, 0) or (int.MaxValue, int.MinValue) is a made-up answer");
    }

    [Fact]
    public void Count_is_exact_for_every_length_offset_and_byte_value()
    {
        for (var offset = 0; offset <= MaxOffset; offset++)
        {
            for (var length = 0; length <= MaxLength; length++)
            {
                var bytes = Bytes.AsSpan(offset, length);
                foreach (var value in new byte[] { 0x00, 0x7F, 0x80, 0xFF, Bytes[offset + Math.Max(0, length - 1)] })
                {
                    var (actual, expected) = (VectorMath.Count(bytes, value), NaiveVectorMath.Count(bytes, value));
                    if (actual != expected)
                    {
                        actual.Should().Be(expected,
                            $"count of 0x{value:X2} in {length} bytes from offset {offset} (bytes above 0x7F are not negative)");
                    }
                }
            }
        }
    }

    [Fact]
    public void Count_sees_a_match_in_every_tail_position()
    {
        for (var length = 1; length <= MaxLength; length++)
        {
            var bytes = new byte[length];
            bytes[^1] = 0xAB;
            var (matches, zeros) = (VectorMath.Count(bytes, 0xAB), VectorMath.Count(bytes, 0));
            if (matches != 1 || zeros != length - 1)
            {
                matches.Should().Be(1, $"the only match is the last of {length} bytes");
                zeros.Should().Be(length - 1, $"the other {length - 1} bytes are zero");
            }
        }
    }

    [Fact]
    public void Nothing_allocates()
    {
        var ints = Ints.AsMemory(0, 257);
        var bytes = Bytes.AsMemory(0, 257);
        var naive = Allocations.Measure(() => NaiveVectorMath.Sum(ints.Span) + NaiveVectorMath.Count(bytes.Span, 1));
        naive.Should().BeGreaterThan(1000, "the budget must bite: the LINQ baseline copies the span to an array and enumerates it");

        Allocations.Measure(() => VectorMath.Sum(ints.Span)).Should().Be(0, "vectors live in registers and on the stack");
        Allocations.Measure(() => VectorMath.Dot(FloatsA.AsSpan(0, 257), FloatsB.AsSpan(0, 257))).Should().Be(0);
        Allocations.Measure(() => VectorMath.MinMax(ints.Span).Min).Should().Be(0);
        Allocations.Measure(() => VectorMath.Count(bytes.Span, 1)).Should().Be(0);
    }

    [Fact]
    public void Each_method_uses_vector_instructions()
    {
        VectorMath.Sum([1, 2, 3]).Should().Be(6);
        var naive = VectorisedCalls(typeof(NaiveVectorMath).GetMethod(nameof(NaiveVectorMath.Sum))!);
        naive.Should().BeEmpty("the check must bite: the LINQ baseline calls no vector API");

        foreach (var method in typeof(VectorMath).GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            VectorisedCalls(method).Should().NotBeEmpty(
                $"{method.Name} must use System.Runtime.Intrinsics (Vector128/256/512), System.Numerics.Vector<T>, " +
                "TensorPrimitives, or a vectorized MemoryExtensions method; an element-by-element loop is not this kata");
        }
    }

    [Fact]
    public void Runs_on_the_instruction_set_this_run_asks_for()
    {
        VectorMath.Count([1, 2, 1], 1).Should().Be(2);
        switch (Environment.GetEnvironmentVariable(ChildRunVariable))
        {
            case "DOTNET_EnableHWIntrinsic":
                Vector128.IsHardwareAccelerated.Should().BeFalse("this child run switched hardware intrinsics off");
                Vector.IsHardwareAccelerated.Should().BeFalse("this child run switched hardware intrinsics off");
                break;
            case "DOTNET_EnableAVX2":
                Vector256.IsHardwareAccelerated.Should().BeFalse("this child run switched AVX2 off");
                break;
        }
    }

    private static int[] RandomInts(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(int.MinValue, int.MaxValue)).ToArray();
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The vector APIs a method calls, directly or through methods of its own assembly (a few levels deep).</summary>
    private static List<string> VectorisedCalls(MethodBase method, int depth = 0)
    {
        var found = new List<string>();
        foreach (var member in IlReader.ReferencedMembers(method))
        {
            var type = member as Type ?? member.DeclaringType;
            if (type is not null && IsVectorApi(type, member))
            {
                found.Add($"{type.Name}.{member.Name}");
            }
            else if (member is MethodBase callee && callee.Module == method.Module && depth < 3)
            {
                found.AddRange(VectorisedCalls(callee, depth + 1));
            }
        }

        return found;
    }

    private static bool IsVectorApi(Type type, MemberInfo member)
    {
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return definition.Namespace == "System.Runtime.Intrinsics"
               || definition.Namespace?.StartsWith("System.Runtime.Intrinsics.", StringComparison.Ordinal) == true
               || definition == typeof(Vector) || definition == typeof(Vector<>)
               || definition.FullName == "System.Numerics.Tensors.TensorPrimitives"
               || (definition == typeof(MemoryExtensions) && member.Name is "Count" or "IndexOf" or "IndexOfAny" or "ContainsAny" or "SequenceEqual");
    }
}
