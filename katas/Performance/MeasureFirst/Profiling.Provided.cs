using System.Globalization;

namespace Koans.Performance.MeasureFirst;

/// <summary>What the code under measurement sees of a probe.</summary>
public interface IStageProbe
{
    T Measure<T>(string stage, Func<T> work);

    void Measure(string stage, Action work);
}

/// <summary>One stage's totals in an <see cref="AllocationProbe"/> report.</summary>
public sealed record StageProfile(string Stage, int Calls, long InclusiveBytes, long ExclusiveBytes);

/// <summary>A probe that measures nothing: the baseline `./run-katas.sh bench` compares your probe's overhead with.</summary>
public sealed class NoProbe : IStageProbe
{
    public T Measure<T>(string stage, Func<T> work) => work();

    public void Measure(string stage, Action work) => work();
}

/// <summary>
/// The slow routine to investigate: renders an invoice report from CSV lines "id,country,amount". It is correct. Where
/// does it spend its allocations? Guess first, then measure: the stages are already wrapped.
/// </summary>
public static class InvoiceReport
{
    public static string Render(IReadOnlyList<string> csvLines, IStageProbe probe)
    {
        var report = "";
        foreach (var line in csvLines)
        {
            var order = probe.Measure("parse", () => Order.Parse(line));
            var rate = probe.Measure("tax-rate", () => TaxTable.Load()[order.Country]);
            probe.Measure("format", () =>
            {
                report += string.Create(CultureInfo.InvariantCulture, $"{order.Id,8} {order.Country} {order.Amount * (1 + rate),12:F2}\n");
            });
        }

        return report;
    }

    private sealed record Order(string Id, string Country, decimal Amount)
    {
        public static Order Parse(string line)
        {
            var fields = line.Split(',');
            return new Order(fields[0], fields[1], decimal.Parse(fields[2], CultureInfo.InvariantCulture));
        }
    }

    private static class TaxTable
    {
        private static readonly string[] Countries = ["AT", "BE", "CH", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IT", "NL", "NO", "PL", "PT", "SE"];

        // Builds the whole table on every call.
        public static Dictionary<string, decimal> Load() =>
            Countries.Select((country, i) => (country, rate: 0.15m + (i * 0.005m))).ToDictionary(p => p.country, p => p.rate);
    }
}
