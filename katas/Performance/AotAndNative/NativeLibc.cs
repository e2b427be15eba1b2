namespace Koans.Performance.AotAndNative;

/// <summary>
/// Kata performance.aot-and-native, part 2: three functions of the C library (libc, on Linux and macOS), called from
/// C# the way trimmed and Native AOT code calls native code.
/// </summary>
/// <remarks>
/// <para>
/// Declare each native function with the attribute whose marshalling code is written by a source generator at compile
/// time (the older attribute leaves that work to the runtime, which builds the stub when the call is first made). The
/// tests check your source uses it, and only it, for every native call. The class is <c>partial</c> so the generated
/// half can join it.
/// </para>
/// <para>
/// Marshalling is the lesson: C strings are bytes ending in a NUL, in UTF-8 here, while a .NET string is UTF-16; and
/// <c>errno</c> is overwritten by the runtime's own native calls unless the stub saves it the moment the function
/// returns.
/// </para>
/// </remarks>
public static partial class NativeLibc
{
    /// <summary>
    /// The number of bytes <paramref name="text"/> takes in UTF-8, as the C function <c>strlen</c> counts them (it
    /// reads up to the terminating NUL). <c>"naïve ☕"</c> is 7 characters and 10 bytes.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static long Utf8ByteCount(string text) => throw new NotImplementedException();

    /// <summary>This process's id, from the C function <c>getpid</c>.</summary>
    public static int CurrentProcessId() => throw new NotImplementedException();

    /// <summary>
    /// Closes the file descriptor <paramref name="fileDescriptor"/> with the C function <c>close</c>.
    /// </summary>
    /// <exception cref="System.ComponentModel.Win32Exception">
    /// <c>close</c> failed; <see cref="System.ComponentModel.Win32Exception.NativeErrorCode"/> is the <c>errno</c> it set
    /// (<c>EBADF</c>, 9 on Linux, for a descriptor that is not open).
    /// </exception>
    public static void CloseDescriptor(int fileDescriptor) => throw new NotImplementedException();
}
