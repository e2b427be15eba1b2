namespace Koans.Concurrency.ParallelCpu;

/// <summary>
/// Kata concurrency.parallel-cpu, part 2: fix the racy counter (<c>RacyCounter</c> in the tests file).
/// </summary>
/// <remarks>
/// <para><c>_count++</c> is read, add, write: two threads read 41, both write 42, one increment is lost. Python's
/// GIL hides many such races for simple operations (though <c>+=</c> on a shared int is not atomic in Python either);
/// in .NET they happen at full speed on every core. Make the increment one indivisible step, without a lock.</para>
/// </remarks>
public sealed class SafeCounter
{
    /// <summary>Adds one, atomically.</summary>
    public void Increment() => throw new NotImplementedException();

    /// <summary>The current count. A <c>long</c> is two machine words on 32-bit platforms: a plain read there can see
    /// half of an update.</summary>
    public long Value => throw new NotImplementedException();
}
