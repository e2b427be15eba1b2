using Microsoft.Data.Sqlite;

namespace Koans.Security.SqlInjection;

/// <summary>A real SQLite file in a temp directory of its own, deleted afterwards.</summary>
public sealed class TempCatalog : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("koans-sqli-").FullName;

    public TempCatalog()
    {
        // Pooling off, so disposing the connection closes the file and the directory can be deleted.
        Connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, "shop.db"),
            Pooling = false,
        }.ToString());
        Connection.Open();
        CatalogDatabase.Create(Connection);
    }

    public SqliteConnection Connection { get; }

    /// <summary>The schema and every row of every table, as text: equal snapshots mean nothing changed.</summary>
    public IReadOnlyList<string> Snapshot()
    {
        var lines = new List<string>();
        var tables = new List<string>();
        using (var schema = Connection.CreateCommand())
        {
            schema.CommandText = "SELECT type, name, sql FROM sqlite_master ORDER BY name";
            using var reader = schema.ExecuteReader();
            while (reader.Read())
            {
                lines.Add($"{reader.GetString(0)} {reader.GetString(1)}: {reader.GetValue(2)}");
                if (reader.GetString(0) == "table")
                {
                    tables.Add(reader.GetString(1));
                }
            }
        }

        foreach (var table in tables)
        {
            using var rows = Connection.CreateCommand();
            rows.CommandText = $"SELECT * FROM \"{table}\" ORDER BY rowid"; // table names read from sqlite_master above
            using var reader = rows.ExecuteReader();
            while (reader.Read())
            {
                lines.Add(table + ": " + string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue)));
            }
        }

        return lines;
    }

    public bool TableExists(string name)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", name);
        return (long)command.ExecuteScalar()! == 1;
    }

    public string NameOf(long id)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "SELECT name FROM products WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return (string)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        Connection.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}

public class ProductStoreTests
{
    private static IEnumerable<long> Ids(IEnumerable<Product> products) => products.Select(p => p.Id);

    [Fact]
    public void FindByCategory_returns_the_visible_products_of_that_category()
    {
        using var shop = new TempCatalog();

        new ProductStore(shop.Connection).FindByCategory("tools").Should().Equal(
            [new Product(1, "Hammer", "tools", 1500), new Product(2, "Screwdriver set", "tools", 2500)],
            "the hidden prototype drill (id 3) is a tool too, but hidden products are never listed");
    }

    [Theory]
    [InlineData("' OR '1'='1")]
    [InlineData("' OR 1=1 --")]
    [InlineData("tools' OR hidden = 1 --")]
    public void FindByCategory_is_not_fooled_by_a_tautology(string category)
    {
        using (var target = new TempCatalog())
        {
            Ids(new NaiveProductStore(target.Connection).FindByCategory(category)).Should().Contain(3,
                "pasted into the SQL text, the quote closes the string and OR makes the WHERE clause true: the hidden product leaks");
        }

        using var shop = new TempCatalog();
        new ProductStore(shop.Connection).FindByCategory(category).Should().BeEmpty(
            $"no category is literally named {category}: a value must reach SQLite as data, not as SQL");
    }

    [Theory]
    [InlineData("' UNION SELECT id, name, password_hash, 0 FROM users --")]
    [InlineData("x' UNION ALL SELECT 0, name, password_hash, 0 FROM users /*")]
    public void FindByCategory_does_not_leak_another_table_through_UNION(string category)
    {
        using (var target = new TempCatalog())
        {
            new NaiveProductStore(target.Connection).FindByCategory(category).Select(p => p.Category).Should().Contain(
                CatalogDatabase.AdminPasswordHash, "UNION appends rows from any table: the admin's password hash comes back as a product");
        }

        using var shop = new TempCatalog();
        new ProductStore(shop.Connection).FindByCategory(category).Should().BeEmpty(
            "the whole string is one category name, and no product has it");
    }

    [Theory]
    [InlineData("'; DROP TABLE users; --")]
    [InlineData("x'; DROP TABLE users; SELECT 1, 2, 3, 4 WHERE '1'='1")]
    public void FindByCategory_does_not_run_a_stacked_statement(string category)
    {
        using (var target = new TempCatalog())
        {
            new NaiveProductStore(target.Connection).FindByCategory(category);
            target.TableExists("users").Should().BeFalse(
                "Microsoft.Data.Sqlite runs every statement in CommandText, so the injected DROP TABLE really ran");
        }

        using var shop = new TempCatalog();
        var before = shop.Snapshot();

        new ProductStore(shop.Connection).FindByCategory(category).Should().BeEmpty();

        shop.Snapshot().Should().Equal(before, "a query for products must not change any table");
    }

    [Theory]
    [InlineData("pwned' --")]
    [InlineData("free', price_cents = 0, hidden = 0 --")]
    public void Rename_changes_exactly_one_name_to_exactly_the_text_given(string newName)
    {
        using (var target = new TempCatalog())
        {
            new NaiveProductStore(target.Connection).Rename(1, newName).Should().Be(8,
                "the quote ends the string and -- comments out WHERE id = 1: every product was rewritten");
        }

        using var shop = new TempCatalog();
        var before = shop.Snapshot();

        new ProductStore(shop.Connection).Rename(1, newName).Should().Be(1, "only product 1 was asked for");

        shop.NameOf(1).Should().Be(newName, "the new name is stored exactly as given, quote and dashes included");
        shop.Snapshot().Except(before).Should().ContainSingle("only one row changed, and only its name")
            .Which.Should().StartWith("products: 1 | ");
    }

    [Fact]
    public void Rename_stores_an_apostrophe_that_breaks_the_naive_statement()
    {
        using (var target = new TempCatalog())
        {
            var naive = () => new NaiveProductStore(target.Connection).Rename(7, "O'Brien's guide");
            naive.Should().Throw<SqliteException>(
                "an honest apostrophe is a syntax error to concatenated SQL: the first sign that input is being run as code");
        }

        using var shop = new TempCatalog();
        new ProductStore(shop.Connection).Rename(7, "O'Brien's guide").Should().Be(1);
        shop.NameOf(7).Should().Be("O'Brien's guide");
    }

    [Fact]
    public void Rename_of_a_missing_product_changes_nothing()
    {
        using var shop = new TempCatalog();
        var before = shop.Snapshot();

        new ProductStore(shop.Connection).Rename(42, "ghost").Should().Be(0, "there is no product 42");
        shop.Snapshot().Should().Equal(before);
    }

    [Theory]
    [InlineData("%", new long[] { 4 })]       // only "100% Cotton Shirt" contains a percent sign
    [InlineData("t_v", new long[] { 5 })]     // only "Shirt_v2" contains "t_v"; "Tshirt-v2" contains "t-v"
    [InlineData("_", new long[] { 5 })]
    public void Search_matches_LIKE_wildcards_literally(string fragment, long[] expected)
    {
        using (var target = new TempCatalog())
        {
            new NaiveProductStore(target.Connection).Search(fragment, "id").Count.Should().BeGreaterThan(expected.Length,
                "the value is bound as a parameter, which stops injection, but LIKE still reads % and _ in it as wildcards");
        }

        using var shop = new TempCatalog();
        Ids(new ProductStore(shop.Connection).Search(fragment, "name")).Should().BeEquivalentTo(expected,
            $"'{fragment}' is text to find, not a pattern: escape LIKE's wildcards and say which escape character you used");
    }

    [Fact]
    public void Search_escapes_its_own_escape_character()
    {
        using var shop = new TempCatalog();

        new ProductStore(shop.Connection).Search("\\", "name").Should().BeEmpty(
            "no name contains a backslash; a backslash left unescaped would escape the closing % and find '100% Cotton Shirt'");
    }

    [Fact]
    public void Search_finds_a_name_with_an_apostrophe_ignoring_ASCII_case()
    {
        using var shop = new TempCatalog();

        Ids(new ProductStore(shop.Connection).Search("o'reilly", "name")).Should().Equal([7L],
            "the apostrophe is just a character of the fragment, and LIKE compares ASCII letters case-insensitively");
    }

    [Theory]
    [InlineData("name", new long[] { 4, 8, 1, 7, 2, 5, 6 })]
    [InlineData("-name", new long[] { 6, 5, 2, 7, 1, 8, 4 })]
    [InlineData("price", new long[] { 8, 7, 1, 6, 4, 5, 2 })]
    [InlineData("-price", new long[] { 2, 5, 4, 6, 1, 7, 8 })]
    public void Search_sorts_by_each_allowed_key(string sortBy, long[] expected)
    {
        using var shop = new TempCatalog();

        Ids(new ProductStore(shop.Connection).Search("", sortBy)).Should().Equal(expected,
            $"'{sortBy}' sorts the visible products {(sortBy.StartsWith('-') ? "descending" : "ascending")}");
    }

    [Fact]
    public void Search_ORDER_BY_injection_leaks_a_secret_one_guess_at_a_time_in_the_naive_store()
    {
        // Boolean-blind injection: the order of the results answers a yes/no question about the admin's hash.
        static string Guess(string prefix) =>
            $"CASE WHEN (SELECT substr(password_hash, 1, {prefix.Length}) FROM users WHERE name = 'admin') = '{prefix}' THEN price_cents ELSE -price_cents END";

        using (var target = new TempCatalog())
        {
            var naive = new NaiveProductStore(target.Connection);
            Ids(naive.Search("", Guess("pbkdf2"))).First().Should().Be(8, "a right guess sorts the cheapest first");
            Ids(naive.Search("", Guess("bcrypt"))).First().Should().Be(2, "a wrong guess sorts the dearest first: one bit leaked");
        }

        using var shop = new TempCatalog();
        var act = () => new ProductStore(shop.Connection).Search("", Guess("pbkdf2"));
        act.Should().Throw<ArgumentException>("only the listed sort keys are accepted; ORDER BY cannot take a bound value");
    }

    [Theory]
    [InlineData("price; DROP TABLE users")]
    [InlineData("name --")]
    [InlineData("(SELECT password_hash FROM users)")]
    [InlineData("NAME")]
    [InlineData("")]
    public void Search_refuses_a_sort_key_that_is_not_on_the_list(string sortBy)
    {
        using var shop = new TempCatalog();
        var before = shop.Snapshot();

        var act = () => new ProductStore(shop.Connection).Search("", sortBy);

        act.Should().Throw<ArgumentException>($"'{sortBy}' is not one of {string.Join(", ", ProductStore.SortKeys)}");
        shop.Snapshot().Should().Equal(before);
    }
}
