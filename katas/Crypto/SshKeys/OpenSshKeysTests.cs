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

    //   cp koans_ed25519 koans_mentor && ssh-keygen -c -C mentor@example -f koans_mentor
    // The same key with a 14-byte comment, so the private section ends in the padding bytes 1..7.
    private const string PaddedPrivateKeyFile = """
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
        QyNTUxOQAAACCyiQDsuDWgmLHBewQYlusI+YL0STl4zf9qHOioRwahOwAAAJhg0MiLYNDI
        iwAAAAtzc2gtZWQyNTUxOQAAACCyiQDsuDWgmLHBewQYlusI+YL0STl4zf9qHOioRwahOw
        AAAEAcc061cfeoT3fTKOqB5iOMkjsjBrA053L6aX/lejYQebKJAOy4NaCYscF7BBiW6wj5
        gvRJOXjN/2oc6KhHBqE7AAAADm1lbnRvckBleGFtcGxlAQIDBAUGBw==
        -----END OPENSSH PRIVATE KEY-----
        """;

    //   ssh-keygen -Y sign -f koans_ed25519 -n file -O hashalg=sha256 message.txt
    // checked with ssh-keygen -Y verify as above: Good "file" signature for koans@example
    private const string SshSignatureSha256 = """
        -----BEGIN SSH SIGNATURE-----
        U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgsokA7Lg1oJixwXsEGJbrCPmC9E
        k5eM3/ahzoqEcGoTsAAAAEZmlsZQAAAAAAAAAGc2hhMjU2AAAAUwAAAAtzc2gtZWQyNTUx
        OQAAAEDxIsZXnvXmRGASt1aNisiiv9sCNQUsSnPjgOpk6ijFjwRgtoLeerLYXjB0r7Ixjn
        NwF7MUfKTP4LBVmuJmt0AK
        -----END SSH SIGNATURE-----
        """;

    //   ssh-keygen -t ed25519 -N "" -C other@example -f other && ssh-keygen -Y sign -f other -n file message.txt
    // A valid signature of the same message in the same namespace, by another key (which it carries inside).
    private const string SshSignatureByAnotherKey = """
        -----BEGIN SSH SIGNATURE-----
        U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAg0JybFWeZmau2gw6TCOtThInP2u
        xKmCN8rP/Ju/b8V8IAAAAEZmlsZQAAAAAAAAAGc2hhNTEyAAAAUwAAAAtzc2gtZWQyNTUx
        OQAAAECU91r9Mhb9jm4fGDZPJHbW/L49yXMD05vZZUUA998Ulfi/Wkw3jeQ6uuIolaZMEq
        O5gLL42pZ6lniFg8oP4HcN
        -----END SSH SIGNATURE-----
        """;

    private static string BlobOf(string line) => line.Split(' ')[1];

    private static byte[] BodyOf(string armoured) =>
        Convert.FromBase64String(string.Concat(armoured.Split('\n').Where(l => !l.Contains("-----", StringComparison.Ordinal))).Trim());

    private static string PrivateKeyArmour(byte[] body) =>
        "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Convert.ToBase64String(body) + "\n-----END OPENSSH PRIVATE KEY-----\n";

    private static string SignatureArmour(byte[] body) =>
        "-----BEGIN SSH SIGNATURE-----\n" + Convert.ToBase64String(body) + "\n-----END SSH SIGNATURE-----\n";

    private static byte[] SshString(ReadOnlySpan<byte> bytes)
    {
        var field = new byte[4 + bytes.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(field, (uint)bytes.Length);
        bytes.CopyTo(field.AsSpan(4));
        return field;
    }

    // Offsets in the body of PrivateKeyFile (all fields are RFC 4251 strings: a 4-byte length, then the bytes):
    // magic 0..15, "none" 15..23, "none" 23..31, kdfoptions 31..35, key count 35..39, outer public blob 39..94 (its key
    // at 62..94), private section length 94..98, check ints 98..106, "ssh-ed25519" 106..121, public key 125..157,
    // private field 161..225 (seed 161..193, public copy 193..225), comment 225..242.
    private const int KeyCountOffset = 35;
    private const int OuterPublicKeyOffset = 62;
    private const int InnerTypeOffset = 110;
    private const int InnerPublicKeyOffset = 125;
    private const int PublicCopyInPrivateFieldOffset = 193;

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
        var body = BodyOf(PrivateKeyFile);
        body[98] ^= 0x01;

        var act = () => OpenSshKeys.ParsePrivateKey(PrivateKeyArmour(body));

        act.Should().Throw<FormatException>("the two check ints must be equal (for an encrypted key, a mismatch means a wrong passphrase)");
    }

    [Fact]
    public void ParsePrivateKey_rejects_text_that_is_not_an_openssh_key()
    {
        var act = () => OpenSshKeys.ParsePrivateKey("-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n");

        act.Should().Throw<FormatException>("the body must start with the magic \"openssh-key-v1\\0\"");
    }

    [Fact]
    public void ParsePublicKey_keeps_a_comment_with_spaces_and_gives_an_empty_comment_when_there_is_none()
    {
        var blob = BlobOf(PublicKeyLine);

        OpenSshKeys.ParsePublicKey($"ssh-ed25519 {blob} koans laptop 2026").Comment.Should().Be("koans laptop 2026",
            "the comment is everything after the blob, spaces included (split the line into at most three parts)");
        OpenSshKeys.ParsePublicKey($"ssh-ed25519 {blob}").Comment.Should().Be("", "the comment is optional");
        OpenSshKeys.ParsePublicKey($"  ssh-ed25519 {blob} koans@example\n").Key.Should().Equal(Convert.FromBase64String(blob)[^32..],
            "a line read from a file still has its newline, and leading or trailing whitespace is not part of any field");
    }

    [Theory]
    [InlineData("", "an empty line")]
    [InlineData("ssh-ed25519", "a type without a blob")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILKJ!Oy4", "a blob that is not base64")]
    public void ParsePublicKey_rejects_a_line_that_is_not_type_blob_comment(string line, string what)
    {
        var act = () => OpenSshKeys.ParsePublicKey(line);

        act.Should().Throw<FormatException>($"{what} is not a public key line; FormatException is the one documented exception");
    }

    [Theory]
    [InlineData(31, 0, "a 31-byte key")]
    [InlineData(33, 0, "a 33-byte key")]
    [InlineData(32, 1, "a 32-byte key followed by a stray byte")]
    public void ParsePublicKey_rejects_a_well_formed_blob_with_a_key_of_the_wrong_size_or_bytes_after_it(int keyLength, int extra, string what)
    {
        var blob = SshString("ssh-ed25519"u8).Concat(SshString(new byte[keyLength])).Concat(new byte[extra]).ToArray();

        var act = () => OpenSshKeys.ParsePublicKey("ssh-ed25519 " + Convert.ToBase64String(blob));

        act.Should().Throw<FormatException>($"a blob with {what} is not an Ed25519 key blob (RFC 8709: exactly 32 bytes, nothing after)");
    }

    [Fact]
    public void EncodePublicKeyBlob_writes_the_type_and_the_key_as_length_prefixed_strings()
    {
        var key = new SshEd25519PublicKey(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(), "any");

        var expected = new byte[] { 0, 0, 0, 11 }.Concat("ssh-ed25519"u8.ToArray()).Concat(new byte[] { 0, 0, 0, 32 }).Concat(key.Key);
        OpenSshKeys.EncodePublicKeyBlob(key).Should().Equal(expected,
            "RFC 4251 strings: a big-endian uint32 length, then the bytes; the comment is not part of the blob");
    }

    [Fact]
    public void ParsePrivateKey_accepts_padding_1_to_7_and_rejects_any_other_padding()
    {
        OpenSshKeys.ParsePrivateKey(PaddedPrivateKeyFile).Comment.Should().Be("mentor@example",
            "this file's private section ends in the padding bytes 01 02 03 04 05 06 07");

        var body = BodyOf(PaddedPrivateKeyFile);
        foreach (var position in new[] { body.Length - 7, body.Length - 1 })
        {
            var corrupted = (byte[])body.Clone();
            corrupted[position] ^= 0x08;

            var act = () => OpenSshKeys.ParsePrivateKey(PrivateKeyArmour(corrupted));

            act.Should().Throw<FormatException>(
                $"padding byte {position - (body.Length - 7) + 1} must be {position - (body.Length - 7) + 1}: PROTOCOL.key pads with 1, 2, 3, ... and a reader checks it");
        }
    }

    [Fact]
    public void ParsePrivateKey_rejects_a_file_that_claims_two_keys()
    {
        var body = BodyOf(PrivateKeyFile);
        body[KeyCountOffset + 3] = 2;

        var act = () => OpenSshKeys.ParsePrivateKey(PrivateKeyArmour(body));

        act.Should().Throw<FormatException>("the key count is 1 in every file ssh-keygen writes; the documented contract refuses more");
    }

    [Theory]
    [InlineData(OuterPublicKeyOffset, "the outer public key blob")]
    [InlineData(InnerPublicKeyOffset, "the public key in the private section")]
    [InlineData(PublicCopyInPrivateFieldOffset, "the second half of the 64-byte private field")]
    public void ParsePrivateKey_rejects_a_file_whose_public_key_copies_disagree(int offset, string which)
    {
        var body = BodyOf(PrivateKeyFile);
        body[offset + 5] ^= 0x01;

        var act = () => OpenSshKeys.ParsePrivateKey(PrivateKeyArmour(body));

        act.Should().Throw<FormatException>(
            $"one bit changed in {which}: the three copies of the public key must agree, or the file was spliced together");
    }

    [Fact]
    public void ParsePrivateKey_rejects_another_key_type_in_the_private_section()
    {
        var body = BodyOf(PrivateKeyFile);
        body[InnerTypeOffset + 10] = (byte)'8'; // "ssh-ed25519" -> "ssh-ed25518"

        var act = () => OpenSshKeys.ParsePrivateKey(PrivateKeyArmour(body));

        act.Should().Throw<FormatException>("the key type is repeated inside the private section, and it must be ssh-ed25519 there too");
    }

    [Fact]
    public void ParsePrivateKey_rejects_bytes_after_the_private_section()
    {
        var body = BodyOf(PrivateKeyFile).Concat(new byte[] { 0 }).ToArray();

        var act = () => OpenSshKeys.ParsePrivateKey(PrivateKeyArmour(body));

        act.Should().Throw<FormatException>("the private section is the last field: anything after it means the file is not what it claims");
    }

    [Fact]
    public void ParsePrivateKey_raises_only_FormatException_for_the_file_cut_at_every_length()
    {
        var body = BodyOf(PrivateKeyFile);
        for (var length = 0; length < body.Length; length++)
        {
            var act = () => OpenSshKeys.ParsePrivateKey(PrivateKeyArmour(body[..length]));

            act.Should().Throw<FormatException>(
                $"the file cut to {length} of {body.Length} bytes is truncated: every length must be checked against what is left");
        }
    }

    [Fact]
    public void ParsePrivateKey_raises_only_its_documented_exceptions_for_any_single_corrupted_byte()
    {
        var body = BodyOf(PrivateKeyFile);
        for (var position = 0; position < body.Length; position++)
        {
            var corrupted = (byte[])body.Clone();
            corrupted[position] ^= 0xA5;
            try
            {
                OpenSshKeys.ParsePrivateKey(PrivateKeyArmour(corrupted));
            }
            catch (Exception e) when (e is FormatException or NotSupportedException)
            {
            }
            catch (Exception e) when (e is not NotImplementedException)
            {
                throw new Xunit.Sdk.XunitException(
                    $"byte {position} corrupted made ParsePrivateKey throw {e.GetType().Name}: {e.Message}. Untrusted input may only raise " +
                    "FormatException (or NotSupportedException for an encrypted key); check each length before using it.");
            }
        }
    }

    [Theory]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n", "no END line")]
    [InlineData("b3BlbnNzaC1rZXktdjEA\n-----END OPENSSH PRIVATE KEY-----\n", "no BEGIN line")]
    [InlineData("-----END OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n-----BEGIN OPENSSH PRIVATE KEY-----\n", "END before BEGIN")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\nnot base64!\n-----END OPENSSH PRIVATE KEY-----\n", "a body that is not base64")]
    public void ParsePrivateKey_rejects_broken_armour(string pem, string what)
    {
        var act = () => OpenSshKeys.ParsePrivateKey(pem);

        act.Should().Throw<FormatException>($"{what}: the armour is BEGIN line, base64, END line");
    }

    [Fact]
    public void VerifySshSignature_accepts_a_sha256_signature_and_hashes_the_message_with_the_algorithm_it_names()
    {
        var key = OpenSshKeys.ParsePublicKey(PublicKeyLine);

        OpenSshKeys.VerifySshSignature(key, SignedMessage, SshSignatureSha256, "file").Should().BeTrue(
            "ssh-keygen -Y sign -O hashalg=sha256 made it (see the comment): the hash algorithm is read from the signature, not assumed");
        OpenSshKeys.VerifySshSignature(key, "another message\n"u8, SshSignatureSha256, "file").Should().BeFalse(
            "a sha256 signature still covers exactly its message");
    }

    [Fact]
    public void VerifySshSignature_rejects_a_valid_signature_by_another_key()
    {
        var key = OpenSshKeys.ParsePublicKey(PublicKeyLine);

        OpenSshKeys.VerifySshSignature(key, SignedMessage, SshSignatureByAnotherKey, "file").Should().BeFalse(
            "the signature is valid for the key it carries, which is not the key we trust: verifying with the embedded key " +
            "lets anyone sign anything (compare it with the expected key first)");
    }

    [Fact]
    public void VerifySshSignature_rejects_a_signature_with_one_flipped_bit()
    {
        var key = OpenSshKeys.ParsePublicKey(PublicKeyLine);
        var body = BodyOf(SshSignature);
        body[^1] ^= 0x01;

        OpenSshKeys.VerifySshSignature(key, SignedMessage, SignatureArmour(body), "file").Should().BeFalse(
            "the Ed25519 signature itself must be checked, not only the key and namespace around it");
    }

    [Theory]
    [InlineData(0, (byte)'X', "the magic is not SSHSIG")]
    [InlineData(9, 2, "the version is 2")]
    [InlineData(84, (byte)'3', "the hash algorithm is sha312 (neither sha256 nor sha512)")]
    [InlineData(98, (byte)'X', "the signature's own type is not ssh-ed25519")]
    public void VerifySshSignature_rejects_a_malformed_signature_blob(int offset, byte value, string what)
    {
        var key = OpenSshKeys.ParsePublicKey(PublicKeyLine);
        var body = BodyOf(SshSignature);
        body[offset] = value;

        var act = () => OpenSshKeys.VerifySshSignature(key, SignedMessage, SignatureArmour(body), "file");

        act.Should().Throw<FormatException>($"{what}: PROTOCOL.sshsig fixes these fields, and a malformed blob is a FormatException, not false");
    }

    [Fact]
    public void VerifySshSignature_rejects_bytes_after_the_signature()
    {
        var key = OpenSshKeys.ParsePublicKey(PublicKeyLine);
        var body = BodyOf(SshSignature).Concat(new byte[] { 0 }).ToArray();

        var act = () => OpenSshKeys.VerifySshSignature(key, SignedMessage, SignatureArmour(body), "file");

        act.Should().Throw<FormatException>("the signature is the last field: a stray byte after it is a malformed blob");
    }

    [Fact]
    public void Every_method_refuses_null_by_the_parameter_name()
    {
        var key = new SshEd25519PublicKey(new byte[32], "");

        FluentActions.Invoking(() => OpenSshKeys.ParsePublicKey(null!)).Should().Throw<ArgumentNullException>().WithParameterName("line");
        FluentActions.Invoking(() => OpenSshKeys.EncodePublicKeyBlob(null!)).Should().Throw<ArgumentNullException>().WithParameterName("key");
        FluentActions.Invoking(() => OpenSshKeys.Fingerprint(null!)).Should().Throw<ArgumentNullException>().WithParameterName("key");
        FluentActions.Invoking(() => OpenSshKeys.ParsePrivateKey(null!)).Should().Throw<ArgumentNullException>().WithParameterName("pem");
        FluentActions.Invoking(() => OpenSshKeys.Sign(null!, "x"u8)).Should().Throw<ArgumentNullException>().WithParameterName("key");
        FluentActions.Invoking(() => OpenSshKeys.Verify(null!, "x"u8, new byte[64])).Should().Throw<ArgumentNullException>().WithParameterName("key");
        FluentActions.Invoking(() => OpenSshKeys.VerifySshSignature(null!, "x"u8, SshSignature, "file")).Should().Throw<ArgumentNullException>().WithParameterName("key");
        FluentActions.Invoking(() => OpenSshKeys.VerifySshSignature(key, "x"u8, null!, "file")).Should().Throw<ArgumentNullException>().WithParameterName("armoredSignature");
        FluentActions.Invoking(() => OpenSshKeys.VerifySshSignature(key, "x"u8, SshSignature, null!)).Should().Throw<ArgumentNullException>().WithParameterName("expectedNamespace");
    }

    [Fact]
    public void ParsePublicKey_rejects_a_line_whose_type_is_not_ssh_ed25519_even_if_the_blob_is()
    {
        var act = () => OpenSshKeys.ParsePublicKey("ssh-rsa " + BlobOf(PublicKeyLine));

        act.Should().Throw<FormatException>("the type on the line and the type in the blob must both be ssh-ed25519 (RFC 4253 section 6.6)");
    }

    [Fact]
    public void ParsePublicKey_rejects_a_blob_of_another_type_even_with_a_32_byte_key()
    {
        var blob = SshString("ssh-ed448"u8).Concat(SshString(new byte[32])).ToArray();

        var act = () => OpenSshKeys.ParsePublicKey("ssh-ed25519 " + Convert.ToBase64String(blob));

        act.Should().Throw<FormatException>("the blob says ssh-ed448: its type is checked, not only its length");
    }

    [Theory]
    [InlineData(0, (byte)'O', null, "the magic is \"Openssh-key-v1\"")]
    [InlineData(30, (byte)'f', "kdf", "the key derivation is \"nonf\" while the cipher is \"none\"")]
    public void ParsePrivateKey_checks_the_magic_and_both_the_cipher_and_the_key_derivation(int offset, byte value, string? encrypted, string what)
    {
        var body = BodyOf(PrivateKeyFile);
        body[offset] = value;

        var act = () => OpenSshKeys.ParsePrivateKey(PrivateKeyArmour(body));

        if (encrypted is null)
        {
            act.Should().Throw<FormatException>($"{what}: an otherwise perfect key file with the wrong magic is not an openssh-key-v1 file");
        }
        else
        {
            act.Should().Throw<NotSupportedException>($"{what}: a key is unencrypted only if both are \"none\"");
        }
    }
}
