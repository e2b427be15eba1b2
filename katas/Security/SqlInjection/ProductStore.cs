using Microsoft.Data.Sqlite;

namespace Koans.Security.SqlInjection;

/// <summary>
/// Kata security.sql-injection: the shop's product queries against a real SQLite database, safe against every input.
/// </summary>
/// <remarks>
/// <para>Every value that comes from a user (a category, a search fragment, a new name) reaches SQLite as data, never
/// as SQL text: no quote, comment, <c>UNION</c> or <c>;</c> in it can change what the statement does. Escaping quotes
/// by hand is not the answer; the driver already has a way to send values separately from the statement.</para>
/// <para>Two places where that way is not enough, and the tests attack both:</para>
/// <list type="bullet">
/// <item><description>A <c>LIKE</c> pattern has its own wildcards (<c>%</c> and <c>_</c>): a fragment is matched
/// literally, so searching <c>%</c> finds names that contain a percent sign, not every product.</description></item>
/// <item><description>An <c>ORDER BY</c> column cannot be a bound value. The sort key comes from a fixed set of
/// spellings, each mapped to SQL text written in this class: anything else is refused.</description></item>
/// </list>
/// <para>Hidden products (<c>hidden = 1</c>) are never returned. Results come in the order stated per method.</para>
/// </remarks>
public sealed class ProductStore
{
    private readonly SqliteConnection connection;

    /// <summary>A store over an open connection to a database made by <see cref="CatalogDatabase.Create"/>.</summary>
    public ProductStore(SqliteConnection connection) =>
        this.connection = connection ?? throw new ArgumentNullException(nameof(connection));

    /// <summary>The sort keys <see cref="Search"/> accepts: by name or by price, ascending, or descending with a leading
    /// <c>-</c>.</summary>
    public static IReadOnlyList<string> SortKeys { get; } = ["name", "-name", "price", "-price"];

    /// <summary>The visible products whose category is exactly <paramref name="category"/>, ordered by id.</summary>
    public IReadOnlyList<Product> FindByCategory(string category) => throw new NotImplementedException();

    /// <summary>
    /// The visible products whose name contains <paramref name="nameFragment"/> literally (ASCII letters compared
    /// case-insensitively, as SQLite's <c>LIKE</c> does), sorted by <paramref name="sortBy"/>, then by id.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="sortBy"/> is not one of <see cref="SortKeys"/>.</exception>
    public IReadOnlyList<Product> Search(string nameFragment, string sortBy) => throw new NotImplementedException();

    /// <summary>Renames product <paramref name="id"/> to exactly <paramref name="newName"/>; returns the number of rows
    /// changed (1, or 0 when there is no such product).</summary>
    public int Rename(long id, string newName) => throw new NotImplementedException();
}
