using System.Xml;
using System.Xml.Linq;

namespace Koans.Security.Xml;

/// <summary>
/// Provided: XML loading as it was configured for years (and as <c>XmlDocument</c> behaved by default before
/// .NET Framework 4.5.2): DTDs parsed, entities expanded, external resources resolved by URL. The tests run every attack
/// against it first, to show the attack is real.
/// </summary>
public static class NaiveXml
{
    public static XDocument Load(Stream xml)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse, XmlResolver = new XmlUrlResolver() };
        using var reader = XmlReader.Create(xml, settings);
        return XDocument.Load(reader);
    }
}
