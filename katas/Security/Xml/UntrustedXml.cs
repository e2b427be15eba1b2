using System.Xml;
using System.Xml.Linq;

namespace Koans.Security.Xml;

/// <summary>
/// Kata security.xml: parse XML from an untrusted source (an upload, a SAML response, a SOAP body) without letting the
/// document read local files, make the server fetch URLs, or expand itself into gigabytes.
/// </summary>
/// <remarks>
/// <para>Everything dangerous in XML comes through the document type declaration (<c>&lt;!DOCTYPE ...&gt;</c>):
/// external entities (<c>SYSTEM "file:///etc/passwd"</c>, XXE), external DTDs and parameter entities (outbound requests,
/// out-of-band exfiltration), and nested internal entities (the "billion laughs" expansion). A document that needs
/// none of that, which is every document an API accepts, is parsed with DTDs refused outright and nothing resolved.
/// Refusing is better than ignoring: the caller learns the document was hostile.</para>
/// <para>Bounds: at most <see cref="MaxBytes"/> bytes of input and <see cref="MaxDepth"/> levels of nested elements (the
/// root is level 1). Anything refused, malformed or over a bound raises <see cref="XmlException"/> and only that, for
/// any bytes.</para>
/// </remarks>
public static class UntrustedXml
{
    /// <summary>The largest input accepted, in bytes.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>The deepest element nesting accepted: the root is at level 1.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Reader settings for untrusted XML: a DTD anywhere is an <see cref="XmlException"/>, nothing is resolved
    /// (no file, no URL), and no document may exceed <see cref="MaxBytes"/> characters. Usable with
    /// <c>XmlReader.Create</c> for any consumer (<c>XDocument</c>, <c>XmlDocument</c>, <c>XmlSerializer</c>).
    /// </summary>
    public static XmlReaderSettings CreateReaderSettings() => throw new NotImplementedException();

    /// <summary>Parses untrusted XML from <paramref name="xml"/> into an <see cref="XDocument"/>, within the bounds above.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="xml"/> is null.</exception>
    /// <exception cref="XmlException">A DTD, malformed XML, more than <see cref="MaxBytes"/> bytes, or nesting deeper than
    /// <see cref="MaxDepth"/>.</exception>
    public static XDocument Load(Stream xml) => throw new NotImplementedException();
}
