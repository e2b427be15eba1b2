using Microsoft.Data.Sqlite;

namespace Koans.Security.SqlInjection;

/// <summary>A row of <c>products</c>. Prices are in cents.</summary>
public sealed record Product(long Id, string Name, string Category, long PriceCents);

/// <summary>
/// Provided: creates the shop's database in a real SQLite file. <c>products</c> has visible and hidden rows (hidden ones
/// are unreleased and must never be listed); <c>users</c> holds a password hash no product query may reveal.
/// </summary>
public static class CatalogDatabase
{
    /// <summary>The password hash stored for <c>admin</c>: a query that returns it has leaked it.</summary>
    public const string AdminPasswordHash = "pbkdf2-sha256$600000$c2FsdA$aGFzaC1vZi1hZG1pbg";

    public static void Create(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            CREATE TABLE products (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                category TEXT NOT NULL,
                price_cents INTEGER NOT NULL,
                hidden INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL);
            INSERT INTO products (id, name, category, price_cents, hidden) VALUES
                (1, 'Hammer', 'tools', 1500, 0),
                (2, 'Screwdriver set', 'tools', 2500, 0),
                (3, 'Prototype drill', 'tools', 99900, 1),
                (4, '100% Cotton Shirt', 'clothing', 2000, 0),
                (5, 'Shirt_v2', 'clothing', 2200, 0),
                (6, 'Tshirt-v2', 'clothing', 1800, 0),
                (7, 'O''Reilly Pocket Guide', 'books', 1200, 0),
                (8, 'Cotton socks', 'clothing', 500, 0);
            INSERT INTO users (id, name, password_hash) VALUES (1, 'admin', $hash);
            """;
        command.Parameters.AddWithValue("$hash", AdminPasswordHash);
        command.ExecuteNonQuery();
    }
}

/// <summary>
/// Provided: the store as it is too often written, by string concatenation (and one query that uses a parameter but
/// forgets that LIKE has wildcards of its own). The tests run every attack against it first, to show the attack is real.
/// </summary>
public sealed class NaiveProductStore(SqliteConnection connection)
{
    public IReadOnlyList<Product> FindByCategory(string category) =>
        Query($"SELECT id, name, category, price_cents FROM products WHERE hidden = 0 AND category = '{category}' ORDER BY id");

    public IReadOnlyList<Product> Search(string nameFragment, string sortBy)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT id, name, category, price_cents FROM products WHERE hidden = 0 AND name LIKE '%' || $fragment || '%' ORDER BY {sortBy}";
        command.Parameters.AddWithValue("$fragment", nameFragment);
        return Read(command);
    }

    public int Rename(long id, string newName)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE products SET name = '{newName}' WHERE id = {id}";
        return command.ExecuteNonQuery();
    }

    private IReadOnlyList<Product> Query(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Read(command);
    }

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
