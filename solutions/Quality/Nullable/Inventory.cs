using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace Koans.Quality.Nullable;

/// <summary>A product in the inventory. Older products were imported without a description.</summary>
public sealed class Product
{
    /// <param name="sku">The stock-keeping unit, never null.</param>
    /// <param name="name">The display name, never null.</param>
    /// <param name="description">The description, or null for products imported from the old system.</param>
    public Product(string sku, string name, string? description)
    {
        Sku = sku ?? throw new ArgumentNullException(nameof(sku));
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Description = description;
    }

    public string Sku { get; }

    public string Name { get; }

    /// <summary>Null for products imported from the old system.</summary>
    public string? Description { get; }
}

/// <summary>Kata quality.nullable: the legacy library, annotated (reference solution). Behaviour unchanged.</summary>
public sealed class Inventory
{
    private readonly Dictionary<string, Product> _bySku = new(StringComparer.Ordinal);
    // Created on the first change; null before. StartAuditLog's [MemberNotNull] tells the compiler it is set after.
    private List<string>? _auditLog;

    /// <summary>The product chosen by <see cref="Select"/>; null until then.</summary>
    public Product? Current { get; private set; }

    /// <summary>Every change so far, oldest first; empty before the first change.</summary>
    public IReadOnlyList<string> AuditLog => _auditLog ?? (IReadOnlyList<string>)Array.Empty<string>();

    /// <summary>Adds or replaces a product, keyed by its normalized SKU.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="product"/> is null.</exception>
    public void Add(Product product)
    {
        if (product == null)
        {
            throw new ArgumentNullException(nameof(product));
        }

        var sku = Normalize(product.Sku);
        _bySku[sku] = product;
        StartAuditLog();
        _auditLog.Add("add " + sku);
    }

    /// <summary>The product with this SKU (normalized first), or null if there is none.</summary>
    public Product? Find(string sku)
    {
        _bySku.TryGetValue(Normalize(sku), out var product);
        return product;
    }

    /// <summary>True and the product if this SKU (normalized first) is known; false and null otherwise.</summary>
    public bool TryFind(string sku, [NotNullWhen(true)] out Product? product) => _bySku.TryGetValue(Normalize(sku), out product);

    /// <summary>Makes the product with this SKU the <see cref="Current"/> one.</summary>
    /// <exception cref="KeyNotFoundException">No product has this SKU.</exception>
    [MemberNotNull(nameof(Current))]
    public void Select(string sku)
    {
        Current = Find(sku) ?? throw new KeyNotFoundException($"No product with SKU '{sku}'.");
    }

    /// <summary>The description of the product with this SKU, or "(no description)" if it has none or is unknown.</summary>
    public string DescribeOrDefault(string sku) => Find(sku)?.Description ?? "(no description)";

    /// <summary>A SKU trimmed and upper-cased; null stays null (legacy callers pass null through).</summary>
    // Null in, null out; a string in, a string out: callers holding a string never have to check the result.
    [return: NotNullIfNotNull(nameof(sku))]
    public static string? Normalize(string? sku) => sku == null ? null : sku.Trim().ToUpperInvariant();

    /// <summary>True if <paramref name="value"/> is null, empty or only white space.</summary>
    public static bool IsBlank([NotNullWhen(false)] string? value) => string.IsNullOrWhiteSpace(value);

    [MemberNotNull(nameof(_auditLog))]
    private void StartAuditLog()
    {
        if (_auditLog == null)
        {
            _auditLog = new List<string>();
        }
    }
}
