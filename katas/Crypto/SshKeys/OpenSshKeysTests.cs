using System.Text;

namespace Koans.Crypto.SshKeys;

public class OpenSshKeysTests
{
    // Generated with OpenSSH_9.2p1 (Debian 12):
    //   ssh-keygen -t ed25519 -N "" -C koans@example -f koans_ed25519
    // A throwaway test key: never use it for anything else.
    private const string PublicKeyLine =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILKJAOy4NaCYscF7BBiW6wj5gvRJOXjN/2oc6KhHBqE7 koans@example";

    private const string PrivateKeyFile = """
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
        QyNTUxOQAAACCyiQDsuDWgmLHBewQYlusI+YL0STl4zf9qHOioRwahOwAAAJCDkS02g5Et
        NgAAAAtzc2gtZWQyNTUxOQAAACCyiQDsuDWgmLHBewQYlusI+YL0STl4zf9qHOioRwahOw
        AAAEAcc061cfeoT3fTKOqB5iOMkjsjBrA053L6aX/lejYQebKJAOy4NaCYscF7BBiW6wj5
        gvRJOXjN/2oc6KhHBqE7AAAADWtvYW5zQGV4YW1wbGU=
        -----END OPENSSH PRIVATE KEY-----
        """;

    //   ssh-keygen -lf koans_ed25519.pub
    //   256 SHA256:zzUYaHCEFnHG6QtIPzjJn2frcnEzIRY5fwduq7LeqTY koans@example (ED25519)
    private const string Fingerprint = "SHA256:zzUYaHCEFnHG6QtIPzjJn2frcnEzIRY5fwduq7LeqTY";

    //   printf 'Koans SSHSIG test message\n' > message.txt
    //   ssh-keygen -Y sign -f koans_ed25519 -n file message.txt        (writes message.txt.sig)
    // checked with: ssh-keygen -Y verify -f allowed_signers -I koans@example -n file -s message.txt.sig < message.txt
    //   Good "file" signature for koans@example with ED25519 key SHA256:zzUYaHCEFnHG6QtIPzjJn2frcnEzIRY5fwduq7LeqTY
    private static readonly byte[] SignedMessage = Encoding.ASCII.GetBytes("Koans SSHSIG test message\n");
    private const string SshSignature = """
        -----BEGIN SSH SIGNATURE-----
        U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgsokA7Lg1oJixwXsEGJbrCPmC9E
        k5eM3/ahzoqEcGoTsAAAAEZmlsZQAAAAAAAAAGc2hhNTEyAAAAUwAAAAtzc2gtZWQyNTUx
        OQAAAEDyH+a3mxkLghZs/cZr7iql66HGw/9X/g6DVqGnSzKUU8ontSeIjqVSB53qtSFTys
        oxKgCBmotpHF51tVjenSoI
        -----END SSH SIGNATURE-----
        """;

    //   ssh-keygen -t ed25519 -N "correct horse" -C koans@example -f koans_encrypted
    private const string EncryptedPrivateKeyFile = """
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABCMbvZJOp
        tWGdS1u08ktfZpAAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIAlGc/1ixP2xtyAM
        Af8Hj6zmYqVCIwrUCEVbhbiX87fmAAAAkCAXpuY2ugPzgNdLRcjbgJNTaCDAMzPENiRmXn
        oxTH6KRAMAj/NbEQ4QhF9TQcrlrPWydUwu8r/LXXyzaT5WyLgeluqNPpDpGdWwdnENi9dl
        bdWC/w3d8M1cfvjOV/YT+LF2YCrsElubkkQ35RAxLACWvlWvr0VbxhRbatEhJE2JsSZHyL
        HSm+Gh3SBgKTfTJQ==
        -----END OPENSSH PRIVATE KEY-----
        """;

    //   ssh-keygen -t ecdsa -b 256 -N "" -C koans@example -f koans_ecdsa      (koans_ecdsa.pub)
    private const string EcdsaPublicKeyLine =
        "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEKAdzlF9v61pJpRnbfjavlzD6BBNgylofAUSaz4qvnMYWKcrenYhM+lCfpLMUoCZIvraxy+3Y4cVw81gXvR2Vo= koans@example";

    private static string BlobOf(string line) => line.Split(' ')[1];

    [Fact]
    public void ParsePublicKey_reads_the_key_and_comment_of_an_ssh_keygen_line()
    {
        var key = OpenSshKeys.ParsePublicKey(PublicKeyLine);

        key.Key.Should().HaveCount(32, "an Ed25519 public key is 32 bytes");
        key.Comment.Should().Be("koans@example", "the comment is everything after the blob");
        OpenSshKeys.EncodePublicKeyBlob(key).Should().Equal(Convert.FromBase64String(BlobOf(PublicKeyLine)),
            "re-encoding gives back the blob: string \"ssh-ed25519\", string key");
    }

    [Fact]
    public void Fingerprint_matches_ssh_keygen_lf()
    {
        var key = OpenSshKeys.ParsePublicKey(PublicKeyLine);

        OpenSshKeys.Fingerprint(key).Should().Be(Fingerprint,
            "ssh-keygen -lf prints SHA256: and the unpadded base64 of SHA-256 over the key blob (see the command in the comment)");
    }

    [Fact]
    public void ParsePrivateKey_reads_the_seed_and_the_public_key_that_matches_the_pub_file()
    {
        var privateKey = OpenSshKeys.ParsePrivateKey(PrivateKeyFile);
        var publicKey = OpenSshKeys.ParsePublicKey(PublicKeyLine);

        privateKey.Seed.Should().HaveCount(32, "the first half of OpenSSH's 64-byte private field is the seed");
        privateKey.PublicKey.Should().Equal(publicKey.Key, "ssh-keygen wrote both files from one key pair");
        privateKey.Comment.Should().Be("koans@example", "the comment is stored in the private section too");
    }

    [Fact]
    public void A_signature_with_the_parsed_private_key_verifies_with_the_pub_file_and_not_for_other_data()
    {
        var privateKey = OpenSshKeys.ParsePrivateKey(PrivateKeyFile);
        var publicKey = OpenSshKeys.ParsePublicKey(PublicKeyLine);
        var data = "deploy build 1234"u8.ToArray();

        var signature = OpenSshKeys.Sign(privateKey, data);

        signature.Should().HaveCount(64, "Ed25519 signatures are 64 bytes");
        OpenSshKeys.Verify(publicKey, data, signature).Should().BeTrue("the seed and the .pub key belong together");
        OpenSshKeys.Verify(publicKey, "deploy build 1235"u8, signature).Should().BeFalse("the signature covers the exact data");
    }

    [Fact]
    public void VerifySshSignature_accepts_the_ssh_keygen_Y_sign_signature()
    {
        var key = OpenSshKeys.ParsePublicKey(PublicKeyLine);

        OpenSshKeys.VerifySshSignature(key, SignedMessage, SshSignature, "file").Should().BeTrue(
            "ssh-keygen -Y sign made this signature over the message in namespace \"file\" (commands in the comment)");
    }

    [Fact]
    public void VerifySshSignature_rejects_another_namespace_and_another_message()
    {
        var key = OpenSshKeys.ParsePublicKey(PublicKeyLine);

        OpenSshKeys.VerifySshSignature(key, SignedMessage, SshSignature, "git").Should().BeFalse(
            "the namespace separates domains: a signature made for files must not pass as a git commit signature");
        OpenSshKeys.VerifySshSignature(key, "Koans SSHSIG test message!\n"u8, SshSignature, "file").Should().BeFalse(
            "the signature covers the message's hash");
    }

    [Fact]
    public void ParsePublicKey_rejects_another_key_type()
    {
        var act = () => OpenSshKeys.ParsePublicKey(EcdsaPublicKeyLine);

        act.Should().Throw<FormatException>("this kata reads ssh-ed25519 keys only; an ECDSA key is not one");
    }

    [Fact]
    public void ParsePublicKey_rejects_a_blob_whose_inner_type_contradicts_the_line()
    {
        var act = () => OpenSshKeys.ParsePublicKey("ssh-ed25519 " + BlobOf(EcdsaPublicKeyLine));

        act.Should().Throw<FormatException>("the type inside the blob is what the key really is, and it says ecdsa-sha2-nistp256");
    }

    [Theory]
    [InlineData(1, "the last byte of the key missing")]
    [InlineData(20, "the key cut short")]
    [InlineData(40, "the key's length field promising bytes that are not there")]
    public void ParsePublicKey_rejects_a_truncated_blob(int bytesCut, string what)
    {
        var blob = Convert.FromBase64String(BlobOf(PublicKeyLine));
        var truncated = Convert.ToBase64String(blob.AsSpan(0, blob.Length - bytesCut));

        var act = () => OpenSshKeys.ParsePublicKey($"ssh-ed25519 {truncated} koans@example");

        act.Should().Throw<FormatException>($"the blob has {what}");
    }

    [Fact]
    public void ParsePrivateKey_refuses_an_encrypted_key_with_a_clear_exception()
    {
        var act = () => OpenSshKeys.ParsePrivateKey(EncryptedPrivateKeyFile);

        act.Should().Throw<NotSupportedException>("the key is encrypted with aes256-ctr and bcrypt; say so instead of failing to parse")
            .WithMessage("*encrypt*");
    }

    [Fact]
    public void ParsePrivateKey_rejects_check_ints_that_differ()
    {
        // Offset of the first check int: 15 (magic) + 8 ("none") + 8 ("none") + 4 (empty kdfoptions) + 4 (key count)
        // + 4 + 51 (public key blob) + 4 (private section length) = 98; the second follows at 102.
        var body = Convert.FromBase64String(string.Concat(PrivateKeyFile.Split('\n').Where(l => !l.StartsWith("-----"))).Trim());
        body[98] ^= 0x01;
        var corrupted = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Convert.ToBase64String(body) + "\n-----END OPENSSH PRIVATE KEY-----\n";

        var act = () => OpenSshKeys.ParsePrivateKey(corrupted);

        act.Should().Throw<FormatException>("the two check ints must be equal (for an encrypted key, a mismatch means a wrong passphrase)");
    }

    [Fact]
    public void ParsePrivateKey_rejects_text_that_is_not_an_openssh_key()
    {
        var act = () => OpenSshKeys.ParsePrivateKey("-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n");

        act.Should().Throw<FormatException>("the body must start with the magic \"openssh-key-v1\\0\"");
    }
}
