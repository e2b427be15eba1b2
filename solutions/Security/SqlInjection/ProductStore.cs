using Microsoft.Data.Sqlite;

namespace Koans.Security.SqlInjection;

/// <summary>Reference solution for security.sql-injection.</summary>
public sealed class ProductStore
{
    private const string SelectVisible = "SELECT id, name, category, price_cents FROM products WHERE hidden = 0";

    // The only SQL text a caller can choose, and it is written here. The id tie-break makes every order total.
    private static readonly Dictionary<string, string> OrderBy = new(StringComparer.Ordinal)
    {
        ["name"] = "name ASC, id ASC",
        ["-name"] = "name DESC, id ASC",
        ["price"] = "price_cents ASC, id ASC",
        ["-price"] = "price_cents DESC, id ASC",
    };

    private readonly SqliteConnection connection;

    public ProductStore(SqliteConnection connection) =>
        this.connection = connection ?? throw new ArgumentNullException(nameof(connection));

    public static IReadOnlyList<string> SortKeys { get; } = ["name", "-name", "price", "-price"];

    public IReadOnlyList<Product> FindByCategory(string category)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"{SelectVisible} AND category = $category ORDER BY id";
        command.Parameters.AddWithValue("$category", category);
        return Read(command);
    }

    public IReadOnlyList<Product> Search(string nameFragment, string sortBy)
    {
        // Refused before any SQL runs; the message names the key (it is the caller's own input, not a secret).
        if (!OrderBy.TryGetValue(sortBy, out var orderBy))
        {
            throw new ArgumentException($"Unknown sort key '{sortBy}'; use one of {string.Join(", ", SortKeys)}.", nameof(sortBy));
        }

        using var command = connection.CreateCommand();
        // The parameter stops injection; escaping stops LIKE reading the fragment's own % and _ as wildcards. The escape
        // character is escaped first, or a trailing backslash would escape the closing %.
        command.CommandText = $@"{SelectVisible} AND name LIKE '%' || $pattern || '%' ESCAPE '\' ORDER BY {orderBy}";
        command.Parameters.AddWithValue("$pattern", EscapeLike(nameFragment));
        return Read(command);
    }

    public int Rename(long id, string newName)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE products SET name = $name WHERE id = $id";
        command.Parameters.AddWithValue("$name", newName);
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery();
    }

    private static string EscapeLike(string fragment) =>
        fragment.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);

    private static List<Product> Read(SqliteCommand command)
    {
        var products = new List<Product>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            products.Add(new Product(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
        }

        return products;
    }
}
