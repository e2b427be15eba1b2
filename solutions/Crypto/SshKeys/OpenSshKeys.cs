using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Koans.Crypto.SshKeys;

/// <summary>Reference solution for crypto.ssh-keys.</summary>
public static class OpenSshKeys
{
    private const string Ed25519Type = "ssh-ed25519";
    private const string PrivateKeyBegin = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private const string PrivateKeyEnd = "-----END OPENSSH PRIVATE KEY-----";
    private const string SignatureBegin = "-----BEGIN SSH SIGNATURE-----";
    private const string SignatureEnd = "-----END SSH SIGNATURE-----";
    private static readonly byte[] KeyMagic = "openssh-key-v1\0"u8.ToArray();
    private static readonly byte[] SigMagic = "SSHSIG"u8.ToArray();

    public static SshEd25519PublicKey ParsePublicKey(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            throw new FormatException("A public key line is \"<type> <base64 blob> [comment]\".");
        }

        if (parts[0] != Ed25519Type)
        {
            throw new FormatException($"Expected an {Ed25519Type} key, got {parts[0]}.");
        }

        var key = ReadPublicBlob(Base64(parts[1]));
        return new SshEd25519PublicKey(key, parts.Length == 3 ? parts[2] : "");
    }

    public static byte[] EncodePublicKeyBlob(SshEd25519PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var writer = new SshWriter();
        writer.WriteString(Encoding.ASCII.GetBytes(Ed25519Type));
        writer.WriteString(key.Key);
        return writer.ToArray();
    }

    public static string Fingerprint(SshEd25519PublicKey key) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(EncodePublicKeyBlob(key))).TrimEnd('=');

    public static SshEd25519PrivateKey ParsePrivateKey(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var reader = new SshReader(Unarmor(pem, PrivateKeyBegin, PrivateKeyEnd));
        if (!reader.ReadBytes(KeyMagic.Length).SequenceEqual(KeyMagic))
        {
            throw new FormatException("Not an openssh-key-v1 private key (bad magic).");
        }

        var cipher = reader.ReadAsciiString();
        var kdf = reader.ReadAsciiString();
        reader.ReadString(); // kdf options
        if (cipher != "none" || kdf != "none")
        {
            throw new NotSupportedException(
                $"The private key is encrypted ({cipher}, key derivation {kdf}). Decrypt a copy first: ssh-keygen -p -f <file>.");
        }

        if (reader.ReadUInt32() != 1)
        {
            throw new FormatException("Exactly one key per file is supported.");
        }

        var outerPublic = ReadPublicBlob(reader.ReadString());
        var section = new SshReader(reader.ReadString());
        reader.EnsureEnd();

        if (section.ReadUInt32() != section.ReadUInt32())
        {
            throw new FormatException("The check ints differ: the private section is corrupt (or, if encrypted, the passphrase was wrong).");
        }

        if (section.ReadAsciiString() != Ed25519Type)
        {
            throw new FormatException($"Expected an {Ed25519Type} private key.");
        }

        var innerPublic = section.ReadString();
        var privateField = section.ReadString(); // seed (32) || public key (32)
        var comment = Encoding.UTF8.GetString(section.ReadString());
        if (innerPublic.Length != 32 || privateField.Length != 64)
        {
            throw new FormatException("Ed25519 keys are 32 bytes (public) and 64 bytes (seed || public).");
        }

        // The same public key appears three times; all must agree, or someone spliced files together.
        if (!innerPublic.SequenceEqual(outerPublic) || !privateField.AsSpan(32).SequenceEqual(innerPublic))
        {
            throw new FormatException("The public key copies in the file disagree.");
        }

        var padding = section.ReadRest();
        for (var i = 0; i < padding.Length; i++)
        {
            if (padding[i] != (byte)(i + 1))
            {
                throw new FormatException("Bad padding after the private key.");
            }
        }

        return new SshEd25519PrivateKey(privateField[..32], innerPublic, comment);
    }

    public static byte[] Sign(SshEd25519PrivateKey key, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var nsecKey = Key.Import(SignatureAlgorithm.Ed25519, key.Seed, KeyBlobFormat.RawPrivateKey);
        return SignatureAlgorithm.Ed25519.Sign(nsecKey, data);
    }

    public static bool Verify(SshEd25519PublicKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, key.Key, KeyBlobFormat.RawPublicKey);
        return SignatureAlgorithm.Ed25519.Verify(publicKey, data, signature);
    }

    public static bool VerifySshSignature(SshEd25519PublicKey key, ReadOnlySpan<byte> message, string armoredSignature,
        string expectedNamespace)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(armoredSignature);
        ArgumentNullException.ThrowIfNull(expectedNamespace);

        var reader = new SshReader(Unarmor(armoredSignature, SignatureBegin, SignatureEnd));
        if (!reader.ReadBytes(SigMagic.Length).SequenceEqual(SigMagic) || reader.ReadUInt32() != 1)
        {
            throw new FormatException("Not an SSHSIG version 1 signature.");
        }

        var signerKey = ReadPublicBlob(reader.ReadString());
        var signedNamespace = reader.ReadString();
        var reserved = reader.ReadString();
        var hashAlgorithm = reader.ReadAsciiString();
        var signatureReader = new SshReader(reader.ReadString());
        reader.EnsureEnd();
        if (signatureReader.ReadAsciiString() != Ed25519Type)
        {
            throw new FormatException("Expected an ssh-ed25519 signature.");
        }

        var signature = signatureReader.ReadString();
        signatureReader.EnsureEnd();

        // Key and namespace are public values: ordinary comparisons are fine.
        if (!signerKey.AsSpan().SequenceEqual(key.Key) || Encoding.UTF8.GetString(signedNamespace) != expectedNamespace)
        {
            return false;
        }

        byte[] digest = hashAlgorithm switch
        {
            "sha256" => SHA256.HashData(message),
            "sha512" => SHA512.HashData(message),
            _ => throw new FormatException($"Unknown SSHSIG hash algorithm {hashAlgorithm}."),
        };

        var signed = new SshWriter();
        signed.WriteRaw(SigMagic);
        signed.WriteString(signedNamespace);
        signed.WriteString(reserved);
        signed.WriteString(Encoding.ASCII.GetBytes(hashAlgorithm));
        signed.WriteString(digest);
        return Verify(key, signed.ToArray(), signature);
    }

    private static byte[] ReadPublicBlob(byte[] blob)
    {
        var reader = new SshReader(blob);
        var type = reader.ReadAsciiString();
        if (type != Ed25519Type)
        {
            throw new FormatException($"The key blob says {type}, not {Ed25519Type}.");
        }

        var key = reader.ReadString();
        reader.EnsureEnd();
        return key.Length == 32 ? key : throw new FormatException("An Ed25519 public key is 32 bytes.");
    }

    private static byte[] Unarmor(string text, string begin, string end)
    {
        var start = text.IndexOf(begin, StringComparison.Ordinal);
        var stop = text.IndexOf(end, StringComparison.Ordinal);
        if (start < 0 || stop < start)
        {
            throw new FormatException($"Expected {begin} ... {end}.");
        }

        return Base64(text[(start + begin.Length)..stop]);
    }

    // Convert.FromBase64String ignores whitespace, so the armour's line breaks need no special handling, and it throws
    // FormatException for anything that is not base64: the documented exception already.
    private static byte[] Base64(string text) => Convert.FromBase64String(text);

    /// <summary>RFC 4251 section 5 reader: every length is checked against what is left.</summary>
    private sealed class SshReader(byte[] data)
    {
        private int _position;

        public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(ReadBytes(4));

        public byte[] ReadString()
        {
            var length = ReadUInt32();
            if (length > data.Length - _position)
            {
                throw new FormatException($"A field claims {length} bytes but only {data.Length - _position} are left.");
            }

            return ReadBytes((int)length);
        }

        public string ReadAsciiString() => Encoding.ASCII.GetString(ReadString());

        public byte[] ReadBytes(int count)
        {
            if (count > data.Length - _position)
            {
                throw new FormatException("Unexpected end of data.");
            }

            var result = data.AsSpan(_position, count).ToArray();
            _position += count;
            return result;
        }

        public byte[] ReadRest() => ReadBytes(data.Length - _position);

        public void EnsureEnd()
        {
            if (_position != data.Length)
            {
                throw new FormatException($"{data.Length - _position} unexpected bytes after the last field.");
            }
        }
    }

    private sealed class SshWriter
    {
        private readonly MemoryStream _buffer = new();

        public void WriteRaw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

        public void WriteString(ReadOnlySpan<byte> bytes)
        {
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
            _buffer.Write(length);
            _buffer.Write(bytes);
        }

        public byte[] ToArray() => _buffer.ToArray();
    }
}
