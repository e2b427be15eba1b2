namespace Koans.Crypto.SshKeys;

/// <summary>
/// Kata crypto.ssh-keys: read OpenSSH Ed25519 keys by hand, print their fingerprint as ssh-keygen does, and sign and
/// verify with a vetted Ed25519 implementation.
/// </summary>
/// <remarks>
/// <para>The SSH wire encoding (RFC 4251 section 5) is all you need: <c>uint32</c> is 4 bytes big-endian; a <c>string</c> is a <c>uint32</c> length then that many bytes. Every
/// length must be checked against what is left: a length that runs past the end is a truncated or hostile input,
/// reported as <see cref="FormatException"/>, never an <c>IndexOutOfRangeException</c>.</para>
/// <list type="bullet">
/// <item><description>A public key line is <c>ssh-ed25519 BASE64 [comment]</c>. The base64 is the <em>key blob</em>:
/// <c>string "ssh-ed25519", string key(32 bytes)</c>. The type in the blob must match the type on the line
/// (RFC 4253 section 6.6).</description></item>
/// <item><description>The fingerprint is <c>"SHA256:" + base64(SHA-256(blob))</c> <em>without</em> '=' padding,
/// exactly what <c>ssh-keygen -lf</c> prints.</description></item>
/// <item><description>A private key file (PROTOCOL.key in OpenSSH's source) is PEM-like armour
/// ("-----BEGIN OPENSSH PRIVATE KEY-----") around base64 of: <c>"openssh-key-v1\0"</c>, string ciphername,
/// string kdfname, string kdfoptions, uint32 number of keys (1), string public key blob, string private section.
/// The private section is: uint32 checkint, uint32 checkint (equal: for an encrypted key, this is how a wrong passphrase is
/// detected), string "ssh-ed25519", string public key (32), string private key (64: seed || public key), string
/// comment, then padding bytes 1, 2, 3, ... up to a multiple of 8.</description></item>
/// <item><description>This kata reads only unencrypted keys (ciphername "none"). An encrypted key is refused with a
/// <see cref="NotSupportedException"/> whose message says so (and how to decrypt it: <c>ssh-keygen -p</c>), not a
/// confusing parse error.</description></item>
/// </list>
/// <para>Every method throws <see cref="ArgumentNullException"/>, naming the parameter, for a null argument.</para>
/// </remarks>
public static class OpenSshKeys
{
    /// <summary>Parses an <c>ssh-ed25519</c> public key line (authorized_keys / .pub format).</summary>
    /// <exception cref="FormatException">Another key type, bad base64, a truncated or over-long blob, a type mismatch
    /// inside the blob, or a key that is not 32 bytes.</exception>
    public static SshEd25519PublicKey ParsePublicKey(string line) => throw new NotImplementedException();

    /// <summary>The SSH key blob of <paramref name="key"/>: string "ssh-ed25519", string key.</summary>
    public static byte[] EncodePublicKeyBlob(SshEd25519PublicKey key) => throw new NotImplementedException();

    /// <summary>"SHA256:" and the unpadded base64 SHA-256 of the key blob, as <c>ssh-keygen -lf</c> prints it.</summary>
    public static string Fingerprint(SshEd25519PublicKey key) => throw new NotImplementedException();

    /// <summary>Parses an unencrypted "openssh-key-v1" Ed25519 private key file.</summary>
    /// <exception cref="NotSupportedException">The key is encrypted (ciphername is not "none").</exception>
    /// <exception cref="FormatException">Bad armour or base64, wrong magic, truncated fields, more than one key, another
    /// key type, check ints that differ, a public key in the private section that differs from the outer one, or bad
    /// padding.</exception>
    public static SshEd25519PrivateKey ParsePrivateKey(string pem) => throw new NotImplementedException();

    /// <summary>An Ed25519 signature (64 bytes, RFC 8032) of <paramref name="data"/>.</summary>
    public static byte[] Sign(SshEd25519PrivateKey key, ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <summary>True if <paramref name="signature"/> is a valid Ed25519 signature of <paramref name="data"/> by <paramref name="key"/>.</summary>
    public static bool Verify(SshEd25519PublicKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        throw new NotImplementedException();

    /// <summary>
    /// Verifies an <c>ssh-keygen -Y sign</c> signature (PROTOCOL.sshsig): the armoured blob is "SSHSIG", uint32 version 1,
    /// string public key blob, string namespace, string reserved, string hash algorithm ("sha256" or "sha512"), string
    /// signature (itself string "ssh-ed25519", string 64-byte signature). What was signed is "SSHSIG", string namespace,
    /// string reserved, string hash algorithm, string H(message). True only if the embedded public key equals
    /// <paramref name="key"/>, the namespace equals <paramref name="expectedNamespace"/>, and the signature verifies.
    /// </summary>
    /// <exception cref="FormatException">The armour or the blob is malformed.</exception>
    public static bool VerifySshSignature(SshEd25519PublicKey key, ReadOnlySpan<byte> message, string armoredSignature,
        string expectedNamespace) => throw new NotImplementedException();
}
