namespace Koans.Quality.Nullable;

/// <summary>One nullable warning: which source (0-based index into the sources analyzed), which line (1-based), the
/// compiler's id (such as CS8602) and its message.</summary>
public sealed record NullableWarning(int Source, int Line, string Id, string Message);
