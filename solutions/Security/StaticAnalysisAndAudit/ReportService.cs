using System;
using System.Data.Common;
using System.Security.Cryptography;

namespace Koans.Security.StaticAnalysisAndAudit;

public static class ReportService
{
    // CA5351: MD5 collides in seconds on a laptop; SHA-256 is the default collision-resistant digest.
    public static string Fingerprint(byte[] report) => Convert.ToHexStringLower(SHA256.HashData(report));

    // CA5350: SHA-1 collided in practice (SHAttered, 2017); an integrity check is worth nothing if it can be forged.
    public static string Checksum(byte[] report) => Convert.ToHexStringLower(SHA256.HashData(report));

    // CA5394: System.Random is predictable from a few outputs; tokens come from the operating system's CSPRNG.
    public static string NewDownloadToken() => RandomNumberGenerator.GetHexString(64, lowercase: true);

    // CA2100: the SQL text is a constant; the customer name travels as a bound parameter, never as SQL.
    public static DbDataReader FindReports(DbConnection connection, string customer)
    {
        var command = connection.CreateCommand();
        command.CommandText = "SELECT id, title FROM reports WHERE customer = @customer";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@customer";
        parameter.Value = customer;
        command.Parameters.Add(parameter);
        return command.ExecuteReader();
    }
}
