using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Koans.Performance.ArrayPool;

public static class PooledStreams
{
    public const int ChunkSize = 16 * 1024;

    public const int MaxRecordLength = 1024 * 1024;

    public static long CountByte(Stream source, byte value, ArrayPool<byte> pool)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(pool);
        var buffer = pool.Rent(ChunkSize);
        try
        {
            long count = 0;
            int read;
            // Read into the part we asked for; the pool may have handed out a longer array.
            while ((read = source.Read(buffer.AsSpan(0, ChunkSize))) > 0)
            {
                count += buffer.AsSpan(0, read).Count(value);
            }

            return count;
        }
        finally
        {
            // finally: the buffer goes back on every path, exceptions included. Not cleared: these bytes are not secret.
            pool.Return(buffer);
        }
    }

    public static async Task<long> CopyUpperAsciiAsync(Stream source, Stream destination, ArrayPool<byte> pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(pool);
        var buffer = pool.Rent(ChunkSize);
        try
        {
            long copied = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                // Not Ascii.ToUpperInPlace: it stops at the first non-ASCII byte (é, ß...), and everything after it must
                // still be converted.
                UpperAscii(buffer.AsSpan(0, read));
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                copied += read;
            }

            return copied;
        }
        finally
        {
            pool.Return(buffer);
        }
    }

    public static string HashRecord(Stream source, ArrayPool<byte> pool)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(pool);
        Span<byte> header = stackalloc byte[4];
        source.ReadExactly(header);
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        // Checked before renting: the length is the sender's claim, not a fact.
        if (length is < 0 or > MaxRecordLength)
        {
            throw new InvalidDataException($"A record of {length} bytes is out of range (0..{MaxRecordLength}).");
        }

        var buffer = pool.Rent(length);
        try
        {
            var payload = buffer.AsSpan(0, length);
            source.ReadExactly(payload);
            return Convert.ToHexStringLower(SHA256.HashData(payload));
        }
        finally
        {
            // The payload may be secret: the next renter of this array must not be able to read it.
            pool.Return(buffer, clearArray: true);
        }
    }

    private static void UpperAscii(Span<byte> bytes)
    {
        foreach (ref var b in bytes)
        {
            if ((uint)(b - 'a') <= 'z' - 'a')
            {
                b -= 'a' - 'A';
            }
        }
    }
}
