using System;
using System.Data.Common;
using System.Security.Cryptography;

namespace Koans.Security.StaticAnalysisAndAudit;

/// <summary>
/// A small service as it was found in an old code base: it compiles, it works, and the .NET security analyzers flag
/// four lines of it once they are switched on. Make it clean under every rule in
/// <see cref="SecurityAnalysis.SecurityRuleIds"/> while keeping every public member and what it promises:
/// <list type="bullet">
/// <item><see cref="Fingerprint"/>: a collision-resistant hex digest of the report bytes.</item>
/// <item><see cref="Checksum"/>: an integrity check of the bytes (the consumer only compares it; pick a digest no one can collide).</item>
/// <item><see cref="NewDownloadToken"/>: an unguessable token for a download link.</item>
/// <item><see cref="FindReports"/>: the reports of one customer; the customer name comes from the query string.</item>
/// </list>
/// </summary>
public static class ReportService
{
    public static string Fingerprint(byte[] report) => Convert.ToHexStringLower(MD5.HashData(report));

    public static string Checksum(byte[] report) => Convert.ToHexStringLower(SHA1.HashData(report));

    public static string NewDownloadToken()
    {
        var bytes = new byte[32];
        new Random().NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public static DbDataReader FindReports(DbConnection connection, string customer)
    {
        var command = connection.CreateCommand();
        command.CommandText = "SELECT id, title FROM reports WHERE customer = '" + customer + "'";
        return command.ExecuteReader();
    }
}
