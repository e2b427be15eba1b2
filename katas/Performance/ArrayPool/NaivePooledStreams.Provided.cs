using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Koans.Performance.ArrayPool;

/// <summary>The usual first version: a new buffer on every call. Correct, and 16 KB or more of garbage each time.</summary>
public static class NaivePooledStreams
{
    public static long CountByte(Stream source, byte value)
    {
        var buffer = new byte[PooledStreams.ChunkSize];
        long count = 0;
        int read;
        while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
        {
            count += buffer.AsSpan(0, read).Count(value);
        }

        return count;
    }

    public static string HashRecord(Stream source)
    {
        var header = new byte[4];
        source.ReadExactly(header);
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length is < 0 or > PooledStreams.MaxRecordLength)
        {
            throw new InvalidDataException($"A record of {length} bytes is out of range.");
        }

        var payload = new byte[length];
        source.ReadExactly(payload);
        return Convert.ToHexStringLower(SHA256.HashData(payload));
    }
}
