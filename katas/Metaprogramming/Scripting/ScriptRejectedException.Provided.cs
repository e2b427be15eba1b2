namespace Koans.Metaprogramming.Scripting;

/// <summary>A script was refused before it ran because it uses an API scripts may not use.</summary>
public sealed class ScriptRejectedException(string forbiddenApi, int line, int column)
    : Exception($"The script uses {forbiddenApi} (line {line}, column {column}), which scripts may not use.")
{
    /// <summary>The forbidden namespace, type or member, as Roslyn displays it (e.g. <c>System.IO.File.Delete(string)</c>).</summary>
    public string ForbiddenApi { get; } = forbiddenApi;

    /// <summary>1-based line of the first place in the script that uses it.</summary>
    public int Line { get; } = line;

    /// <summary>1-based column of that place.</summary>
    public int Column { get; } = column;
}
