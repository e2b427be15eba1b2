using System.Text;
using System.Text.Json;

namespace Koans.Security.Deserialization;

/// <summary>A temp file that a deserialization gadget will try to delete.</summary>
public sealed class Victim : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("koans-deser-").FullName;

    public Victim() => File.WriteAllText(Path, "precious");

    public string Path => System.IO.Path.Combine(directory, "precious.txt");

    public string JsonPath => JsonSerializer.Serialize(Path);

    public bool Deleted => !File.Exists(Path);

    public void Dispose() => Directory.Delete(directory, recursive: true);
}

public class SafeJsonTests
{
    private static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    private static string Nested(int groups) =>
        """{"name":"deep","shapes":[""" + string.Concat(Enumerable.Repeat("""{"$type":"group","children":[""", groups))
        + """{"$type":"circle","radius":1}""" + string.Concat(Enumerable.Repeat("]}", groups)) + "]}";

    [Fact]
    public void Deserialize_reads_a_drawing_of_allowed_shapes()
    {
        var json = """
            {"name":"logo","shapes":[
              {"$type":"circle","radius":2.5},
              {"$type":"square","side":4},
              {"$type":"group","children":[{"$type":"circle","radius":1}]}
            ]}
            """;

        var drawing = SafeJson.Deserialize(Utf8(json));

        drawing.Name.Should().Be("logo");
        drawing.Shapes.Should().HaveCount(3);
        drawing.Shapes[0].Should().Be(new Circle(2.5));
        drawing.Shapes[1].Should().Be(new Square(4));
        drawing.Shapes[2].Should().BeOfType<Group>().Which.Children.Should().Equal([new Circle(1)]);
    }

    [Fact]
    public void A_type_name_in_the_payload_runs_a_gadget_in_JsonNET_and_is_refused_here()
    {
        using var victim = new Victim();
        var json = $$"""{"name":"x","shapes":[{"$type":"{{typeof(CleanupShape).AssemblyQualifiedName}}","path":{{victim.JsonPath}}}]}""";
        NaiveJson.WithTypeNames(json);
        victim.Deleted.Should().BeTrue("TypeNameHandling.Auto created the type the payload named and ran its setter");

        using var again = new Victim();
        var payload = $$"""{"name":"x","shapes":[{"$type":"{{typeof(CleanupShape).AssemblyQualifiedName}}","path":{{again.JsonPath}}}]}""";
        var act = () => SafeJson.Deserialize(Utf8(payload));

        act.Should().Throw<JsonException>("a type name is not one of the three discriminators");
        again.Deleted.Should().BeFalse("no gadget was created");
    }

    [Fact]
    public void A_subtype_registered_by_reflection_is_a_gadget_and_is_refused_here()
    {
        using var victim = new Victim();
        NaiveJson.WithEverySubtype($$"""{"name":"x","shapes":[{"$type":"cleanup","path":{{victim.JsonPath}}}]}""");
        victim.Deleted.Should().BeTrue("registering every subtype found by reflection is an allow-list that allows the gadget");

        using var again = new Victim();
        var act = () => SafeJson.Deserialize(Utf8($$"""{"name":"x","shapes":[{"$type":"cleanup","path":{{again.JsonPath}}}]}"""));

        act.Should().Throw<JsonException>("only circle, square and group are shapes on the wire, whatever subtypes the assembly has");
        again.Deleted.Should().BeFalse();
    }

    [Theory]
    [InlineData("triangle")]
    [InlineData("System.IO.FileInfo, System.IO.FileSystem")]
    [InlineData("Circle")]
    [InlineData("")]
    public void Deserialize_refuses_an_unknown_discriminator(string discriminator)
    {
        var act = () => SafeJson.Deserialize(Utf8($$"""{"name":"x","shapes":[{"$type":{{JsonSerializer.Serialize(discriminator)}},"radius":1}]}"""));

        act.Should().Throw<JsonException>($"'{discriminator}' is not on the list (discriminators are exact, case included)");
    }

    [Fact]
    public void Deserialize_refuses_a_shape_without_a_discriminator_with_the_documented_exception()
    {
        var act = () => SafeJson.Deserialize(Utf8("""{"name":"x","shapes":[{"radius":1}]}"""));

        act.Should().Throw<JsonException>("the serializer says NotSupportedException (abstract type); the caller was promised JsonException")
            .Which.Should().BeOfType<JsonException>();
    }

    [Fact]
    public void Deserialize_refuses_a_property_the_type_does_not_have()
    {
        var json = """{"name":"x","shapes":[],"isAdmin":true}""";
        NaiveJson.WithTypeNames(json).Should().NotBeNull("Json.NET ignores what it does not know: over-posting goes unnoticed");

        var act = () => SafeJson.Deserialize(Utf8(json));

        act.Should().Throw<JsonException>("an unexpected property is an error, not something to skip silently");
    }

    [Theory]
    [InlineData("""{"shapes":[]}""")]
    [InlineData("""{"name":null,"shapes":[]}""")]
    [InlineData("""{"name":"x"}""")]
    [InlineData("""{"name":"x","shapes":[{"$type":"circle"}]}""")]
    public void Deserialize_refuses_missing_and_null_required_values(string json)
    {
        var act = () => SafeJson.Deserialize(Utf8(json));

        act.Should().Throw<JsonException>("every constructor parameter is required and non-null");
    }

    [Fact]
    public void Deserialize_accepts_nesting_within_the_depth_limit() =>
        SafeJson.Deserialize(Utf8(Nested(5))).Shapes.Should().ContainSingle().Which.Should().BeOfType<Group>();

    [Theory]
    [InlineData(20)]
    [InlineData(10_000)]
    public void Deserialize_refuses_nesting_deeper_than_the_limit(int groups)
    {
        var act = () => SafeJson.Deserialize(Utf8(Nested(groups)));

        act.Should().Throw<JsonException>($"{groups} nested groups are deeper than {SafeJson.MaxDepth} levels");
    }

    [Fact]
    public void Deserialize_refuses_a_document_over_the_size_limit()
    {
        var shapes = string.Join(',', Enumerable.Repeat("""{"$type":"circle","radius":1}""", SafeJson.MaxBytes / 20));
        var json = $$"""{"name":"big","shapes":[{{shapes}}]}""";
        NaiveJson.WithEverySubtype(json)!.Shapes.Should().HaveCountGreaterThan(3000, "without a bound, the sender decides how much you allocate");

        var act = () => SafeJson.Deserialize(Utf8(json));

        act.Should().Throw<JsonException>($"the document is over {SafeJson.MaxBytes} bytes");
    }

    [Fact]
    public void Options_are_read_only_and_bound_the_depth()
    {
        SafeJson.Options.IsReadOnly.Should().BeTrue("shared options must not be changed by whoever uses them next");
        SafeJson.Options.MaxDepth.Should().Be(SafeJson.MaxDepth);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("\"drawing\"")]
    [InlineData("""{"name":1,"shapes":[]}""")]
    [InlineData("""{"name":"x","shapes":[],}""")]
    [InlineData("""{"name":"x","shapes":[{"radius":1,"$type":"circle"}]}""")]
    public void Deserialize_raises_only_JsonException_for_malformed_input(string json)
    {
        var act = () => SafeJson.Deserialize(Utf8(json));

        act.Should().ThrowExactly<JsonException>("any bytes the sender can choose end in the one documented exception");
    }

    [Fact]
    public void Deserialize_reads_a_document_of_exactly_the_size_limit_and_refuses_one_byte_more()
    {
        // JSON allows whitespace after the value: pad a small drawing to the exact byte count.
        var drawing = """{"name":"edge","shapes":[{"$type":"circle","radius":1}]}""";
        var atLimit = Utf8(drawing + new string(' ', SafeJson.MaxBytes - drawing.Length));
        var overLimit = Utf8(drawing + new string(' ', SafeJson.MaxBytes - drawing.Length + 1));

        SafeJson.Deserialize(atLimit).Name.Should().Be("edge", $"a document of exactly {SafeJson.MaxBytes} bytes is within the limit");
        FluentActions.Invoking(() => SafeJson.Deserialize(overLimit)).Should().Throw<JsonException>(
            $"{SafeJson.MaxBytes + 1} bytes are one over the limit: the bound is inclusive, and off by one either way is a bug");
    }
}
