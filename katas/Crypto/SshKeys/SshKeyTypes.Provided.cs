namespace Koans.Crypto.SshKeys;

/// <summary>An Ed25519 public key read from OpenSSH: the raw 32-byte key and the comment. (Given: the kata is the parser.)</summary>
public sealed record SshEd25519PublicKey(byte[] Key, string Comment);

/// <summary>
/// An Ed25519 private key read from an unencrypted "openssh-key-v1" file: the 32-byte seed (the first half of OpenSSH's
/// 64-byte private field, whose second half repeats the public key), the 32-byte public key, and the comment.
/// (Given: the kata is the parser.)
/// </summary>
public sealed record SshEd25519PrivateKey(byte[] Seed, byte[] PublicKey, string Comment);
