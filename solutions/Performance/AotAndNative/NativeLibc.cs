using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Koans.Performance.AotAndNative;

/// <summary>
/// The reference: [LibraryImport] declarations. The interop source generator writes each marshalling stub at compile
/// time (visible under Dependencies/Analyzers in an IDE), so nothing is generated at run time and the trimmer sees it all.
/// </summary>
public static partial class NativeLibc
{
    // "libc" is resolved by the runtime's probing (libc.so.6 on glibc Linux, libSystem on macOS).
    private const string Libc = "libc";

    public static long Utf8ByteCount(string text)
    {
        // The marshaller passes a null string as a NULL pointer, and strlen(NULL) crashes the process: refuse it here.
        // No test can watch this guard go missing (the test host would die with it), hence the mutation exclusion.
        // Stryker disable once Statement : without the guard the observable effect is a segfault of the test host
        ArgumentNullException.ThrowIfNull(text);
        // size_t is nuint; a string's UTF-8 length fits a long on every 64-bit platform .NET runs on.
        return (long)StrLen(text);
    }

    public static int CurrentProcessId() => GetPid();

    public static void CloseDescriptor(int fileDescriptor)
    {
        if (Close(fileDescriptor) != 0)
        {
            // SetLastError = true made the stub save errno right after close returned; read it before anything else
            // can make a native call on this thread.
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }
    }

    // Utf8: the generator converts the UTF-16 string to a NUL-terminated UTF-8 buffer (on the stack when small).
    [LibraryImport(Libc, EntryPoint = "strlen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nuint StrLen(string text);

    // getpid cannot fail and does not touch errno: no SetLastError.
    [LibraryImport(Libc, EntryPoint = "getpid")]
    private static partial int GetPid();

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fileDescriptor);
}
