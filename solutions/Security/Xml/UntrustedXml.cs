using System.Xml;
using System.Xml.Linq;

namespace Koans.Security.Xml;

/// <summary>Reference solution for security.xml.</summary>
public static class UntrustedXml
{
    public const int MaxBytes = 1 << 20;

    public const int MaxDepth = 64;

    public static XmlReaderSettings CreateReaderSettings() => new()
    {
        // Refuse, do not ignore: DtdProcessing.Ignore would silently drop the DOCTYPE and leave "&x;" undefined.
        DtdProcessing = DtdProcessing.Prohibit,
        // Nothing is resolved: no file://, no http://, no schema or DTD fetch, whatever a future setting turns on.
        XmlResolver = null,
        // Characters of the whole document (a UTF-8 byte is at most one character, so this is at least as strict as the
        // byte bound in Load), and none from entities since there are none.
        MaxCharactersInDocument = MaxBytes,
        MaxCharactersFromEntities = 0,
        CloseInput = false,
    };

    public static XDocument Load(Stream xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var buffered = ReadBounded(xml);

        // Pass 1 streams through the document checking depth; nothing is built, so a million levels cost nothing but
        // the refusal. Pass 2 builds the tree from the same bytes, now known to be within every bound.
        using (var reader = XmlReader.Create(buffered, CreateReaderSettings()))
        {
            while (reader.Read())
            {
                // XmlReader.Depth is 0 for the root element.
                if (reader.NodeType == XmlNodeType.Element && reader.Depth >= MaxDepth)
                {
                    throw new XmlException($"Elements are nested deeper than {MaxDepth} levels.");
                }
            }
        }

        buffered.Position = 0;
        using var second = XmlReader.Create(buffered, CreateReaderSettings());
        return XDocument.Load(second);
    }

    private static MemoryStream ReadBounded(Stream xml)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = xml.Read(chunk)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new XmlException($"The document is larger than {MaxBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }
}
