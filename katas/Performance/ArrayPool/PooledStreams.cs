using System.Buffers;

namespace Koans.Performance.ArrayPool;

/// <summary>
/// Kata performance.array-pool: process streams in buffers borrowed from an <see cref="ArrayPool{T}"/> instead of
/// allocating a fresh array per call, and give every buffer back, whatever happens.
/// </summary>
/// <remarks>
/// <para>A service that allocates an 80 KB buffer per request makes the garbage collector do 80 KB of work per request;
/// borrowing one from a pool and returning it makes the steady state allocate nothing. The price is discipline, and
/// the tests check it with a counting pool:</para>
/// <list type="bullet">
/// <item><description>Every buffer rented is returned exactly once, also when the stream throws, the data is truncated
/// or the operation is cancelled.</description></item>
/// <item><description>A pool may hand out an array <b>longer</b> than asked for (the shared pool rounds up to a power of
/// two). Only the part you asked for is yours to use as data.</description></item>
/// <item><description>Rent once per call, not once per chunk.</description></item>
/// <item><description><see cref="Stream.Read(Span{byte})"/> may return fewer bytes than asked for, anywhere in the
/// stream; 0 means the end.</description></item>
/// </list>
/// <para>Each method takes the pool to use (the tests pass a counting one; production code passes
/// <c>ArrayPool&lt;byte&gt;.Shared</c>). A null stream or pool is refused with <see cref="ArgumentNullException"/> naming
/// the parameter, before anything is rented.</para>
/// </remarks>
public static class PooledStreams
{
    /// <summary>The buffer size to rent for chunked reading and copying.</summary>
    public const int ChunkSize = 16 * 1024;

    /// <summary>The largest record <see cref="HashRecord"/> accepts: 1 MiB.</summary>
    public const int MaxRecordLength = 1024 * 1024;

    /// <summary>How many bytes of <paramref name="source"/>, read to its end, equal <paramref name="value"/>.</summary>
    public static long CountByte(Stream source, byte value, ArrayPool<byte> pool) => throw new NotImplementedException();

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/> with the ASCII letters a-z made upper case (every
    /// other byte, including all of UTF-8's multi-byte sequences, unchanged), and returns the number of bytes copied.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<long> CopyUpperAsciiAsync(Stream source, Stream destination, ArrayPool<byte> pool, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>
    /// Reads one record (a 4-byte big-endian length, then that many bytes of payload) and returns the SHA-256 of the
    /// payload as lowercase hex. The payload may be secret: the buffer that held it is cleared before it goes back to the
    /// pool.
    /// </summary>
    /// <exception cref="InvalidDataException">The length is negative or above <see cref="MaxRecordLength"/> (checked
    /// before anything is rented: an attacker must not make you borrow 2 GB).</exception>
    /// <exception cref="EndOfStreamException">The stream ends inside the length or the payload.</exception>
    public static string HashRecord(Stream source, ArrayPool<byte> pool) => throw new NotImplementedException();
}
