using System.Dynamic;
using System.Text.Json;
using Microsoft.CSharp.RuntimeBinder;

namespace Koans.Metaprogramming.Dynamic;

public class DynamicJsonTests
{
    private const string Order = """
        {
          "id": 9007199254740993,
          "user": { "name": "Ada", "age": 36, "middleName": null, "first-name": "Augusta", "admin": false },
          "items": [ { "sku": "A-1", "price": 9.99 }, { "sku": "B-2", "price": 1e3 } ],
          "ratio": 0.5,
          "huge": 18446744073709551616
        }
        """;

    [Fact]
    public void Member_access_walks_the_document_and_returns_plain_values()
    {
        var doc = DynamicJson.Parse(Order)!;

        string name = doc.user.name;
        name.Should().Be("Ada");
        ((object)doc.user.age).Should().Be(36L, "an integer that fits is a long");
        ((object)doc.user.admin).Should().Be(false);
        ((object)doc.ratio).Should().Be(0.5, "a number with a fraction is a double");
        ((object)doc.items[1].price).Should().Be(1000.0, "1e3 is written as a real number, so it is a double");
        ((object)doc.huge).Should().Be(18446744073709551616.0, "2^64 does not fit in a long");
    }

    [Fact]
    public void Integers_keep_every_digit()
    {
        var doc = DynamicJson.Parse(Order)!;

        ((object)doc.id).Should().Be(9007199254740993L,
            "2^53 + 1 is not a double: parsing every number as double silently gives 9007199254740992, a different id");
    }

    [Fact]
    public void A_member_that_is_null_is_null_and_a_missing_member_is_an_error_with_its_path()
    {
        var doc = DynamicJson.Parse(Order)!;

        ((object?)doc.user.middleName).Should().BeNull("middleName is present, with the value null");
        Action typo = () => _ = doc.user.nmae;

        var error = typo.Should().Throw<DynamicJsonException>(
            "a typo that returns null travels far before anything notices; say where, at once").Which;
        error.Path.Should().Be("$.user.nmae");
        error.Message.Should().Contain("name").And.Contain("age", "listing the members there makes the typo obvious");
    }

    [Theory]
    [InlineData("nmae", "$.user.nmae")]
    [InlineData("_links", "$.user._links")]
    [InlineData("middle_nmae2", "$.user.middle_nmae2")]
    [InlineData("first-nmae", "$.user[\"first-nmae\"]")]
    [InlineData("1st", "$.user[\"1st\"]")]
    [InlineData("", "$.user[\"\"]")]
    public void A_missing_members_path_uses_dot_notation_only_for_identifiers(string name, string path)
    {
        var doc = DynamicJson.Parse(Order)!;

        Action lookup = () => _ = doc.user[name];

        lookup.Should().Throw<DynamicJsonException>().Which.Path.Should().Be(path,
            "$.user.first-nmae reads as a subtraction and $.user. as nothing: a name that is not an identifier " +
            "(a letter or _, then letters, digits or _) is written in brackets");
    }

    [Fact]
    public void True_is_a_bool_and_an_object_or_array_converts_to_nothing_else()
    {
        var doc = DynamicJson.Parse("""{ "ok": true, "list": [1], "map": { "a": 1 } }""")!;

        ((object)doc.ok).Should().Be(true);
        Action objectAsSequence = () => { foreach (var _ in doc.map) { } };
        Action arrayAsString = () => _ = (string)doc.list;

        objectAsSequence.Should().Throw<RuntimeBinderException>(
            "only an array is a sequence; an object's members are reached by name, so foreach over one is the " +
            "runtime binder's 'cannot convert' error, not a crash inside the conversion");
        arrayAsString.Should().Throw<RuntimeBinderException>("an array is not a string: TryConvert returns false");
        ((DynamicObject)doc.list).GetDynamicMemberNames().Should().BeEmpty("an array has elements, not members");
    }

    [Fact]
    public void Member_names_are_case_sensitive()
    {
        var doc = DynamicJson.Parse(Order)!;

        Action wrongCase = () => _ = doc.User;

        wrongCase.Should().Throw<DynamicJsonException>("JSON keys are case-sensitive: \"User\" is not \"user\"")
            .Which.Path.Should().Be("$.User");
    }

    [Fact]
    public void Indexers_reach_keys_that_are_not_identifiers_and_array_elements()
    {
        var doc = DynamicJson.Parse(Order)!;

        ((object)doc.user["first-name"]).Should().Be("Augusta", "first-name cannot be written as a member access");
        ((object)doc.items[0].sku).Should().Be("A-1");
        ((object)doc.items[1]["sku"]).Should().Be("B-2");
    }

    [Fact]
    public void Indexing_outside_the_array_or_with_the_wrong_kind_of_index_is_an_error_with_its_path()
    {
        var doc = DynamicJson.Parse(Order)!;

        Action pastTheEnd = () => _ = doc.items[2];
        Action negative = () => _ = doc.items[-1];
        Action numberOnObject = () => _ = doc.user[0];
        Action nameOnArray = () => _ = doc.items["sku"];
        Action memberOfArray = () => _ = doc.items.sku;

        pastTheEnd.Should().Throw<DynamicJsonException>("there are two items").Which.Path.Should().Be("$.items[2]");
        negative.Should().Throw<DynamicJsonException>("no Python-style negative indexes").Which.Path.Should().Be("$.items[-1]");
        numberOnObject.Should().Throw<DynamicJsonException>().Which.Path.Should().Be("$.user");
        nameOnArray.Should().Throw<DynamicJsonException>().Which.Path.Should().Be("$.items");
        memberOfArray.Should().Throw<DynamicJsonException>("items is an array; which element's sku?")
            .Which.Path.Should().Be("$.items");
    }

    [Fact]
    public void An_array_can_be_enumerated_with_foreach()
    {
        var doc = DynamicJson.Parse(Order)!;
        var skus = new List<string>();

        foreach (var item in doc.items)
        {
            skus.Add((string)item.sku);
        }

        skus.Should().Equal(["A-1", "B-2"]);
    }

    [Fact]
    public void The_document_is_read_only_and_lists_its_member_names()
    {
        var doc = DynamicJson.Parse(Order)!;

        Action assign = () => doc.user.name = "Grace";

        assign.Should().Throw<NotSupportedException>("a parsed document is a view of the JSON, not a mutable model");
        ((DynamicObject)doc.user)!.GetDynamicMemberNames().Should().Equal(["name", "age", "middleName", "first-name", "admin"],
            "in document order");
    }

    [Theory]
    [InlineData("{\"a\": 1", "unterminated object")]
    [InlineData("{\"a\": 1} {\"b\": 2}", "trailing content after the document")]
    [InlineData("{\"role\": \"user\", \"role\": \"admin\"}", "a duplicate key: one parser reads user, another admin")]
    [InlineData("", "no document at all")]
    public void Parse_refuses_malformed_or_ambiguous_json(string json, string why)
    {
        var act = () => DynamicJson.Parse(json);

        act.Should().Throw<JsonException>(why);
    }

    [Fact]
    public void Parse_refuses_nesting_deeper_than_64_levels()
    {
        var act = () => DynamicJson.Parse(new string('[', 10_000) + new string(']', 10_000));

        act.Should().Throw<JsonException>("untrusted input must not choose how deep the parser (or later code) recurses");
        ((object?)DynamicJson.Parse(new string('[', 64) + new string(']', 64))).Should().NotBeNull("64 levels are allowed");
    }

    [Fact]
    public void FromJson_builds_mutable_expandos_at_every_depth()
    {
        dynamic order = JsonExpando.FromJson(Order);

        ((object)order.user.name).Should().Be("Ada");
        ((object)order.id).Should().Be(9007199254740993L);
        ((object)order.items[1].sku).Should().Be("B-2", "objects inside arrays become expandos too");
        ((object)order.items).Should().BeOfType<List<object?>>();
        ((IDictionary<string, object?>)order.user)["first-name"].Should().Be("Augusta",
            "an expando is also a dictionary, which is how to reach a key that is not an identifier");

        order.user.name = "Grace";
        order.user.email = "grace@example.org";
        ((object)order.user.name).Should().Be("Grace");
        ((IDictionary<string, object?>)order.user).Keys.Should().Equal(["name", "age", "middleName", "first-name", "admin", "email"],
            "members keep document order, and new ones come last");
    }

    [Fact]
    public void A_missing_expando_member_is_the_runtime_binders_error()
    {
        dynamic user = JsonExpando.FromJson("""{"name": "Ada"}""");

        Action typo = () => _ = user.nmae;

        typo.Should().Throw<RuntimeBinderException>(
            "ExpandoObject answers a missing member with the C# runtime binder's error (no path, no list of members): " +
            "the reason DynamicJson throws its own");
    }

    [Fact]
    public void FromJson_refuses_a_root_that_is_not_an_object()
    {
        var act = () => JsonExpando.FromJson("[1, 2]");

        act.Should().Throw<JsonException>("an array has no members for an expando to hold");
    }

    [Fact]
    public void ToJson_writes_compact_json_in_insertion_order()
    {
        dynamic user = new ExpandoObject();
        user.name = "Ada";
        user.tags = new List<object?> { "math", 1L, true, null, 0.5 };
        dynamic address = new ExpandoObject();
        address.city = "London";
        user.address = address;

        string json = JsonExpando.ToJson(user);

        json.Should().Be("""{"name":"Ada","tags":["math",1,true,null,0.5],"address":{"city":"London"}}""");
    }

    [Fact]
    public void FromJson_then_ToJson_gives_back_the_same_compact_document()
    {
        const string compact = """{"a":{"b":[1,{"c":null}],"d":"x\u00E9"},"e":-2.5}""";

        JsonExpando.ToJson(JsonExpando.FromJson(compact)).Should().Be("""{"a":{"b":[1,{"c":null}],"d":"x\u00E9"},"e":-2.5}""",
            "System.Text.Json escapes non-ASCII by default, so \\u00E9 comes back as it went in");
    }
}
