using System.Globalization;

namespace Koans.Performance.MeasureFirst;

public class AllocationProbeTests
{
    // A byte[1000] is 1024 bytes on the 64-bit heap (16-byte header and method table, 8-byte length, data rounded to
    // 8); allow a little either way so the test does not depend on the object layout of one runtime.
    private const long KilobyteArrayLow = 1000;
    private const long KilobyteArrayHigh = 1100;

    // Delegates made once, outside any stage: the compiler creates a lambda's delegate lazily on first use, and that
    // allocation would otherwise land in whichever stage happens to run it first.
    private static readonly Action AllocateKilobyte = () => GC.KeepAlive(new byte[1000]);
    private static readonly Action Nothing = () => { };
    private static readonly string[] InnerNames = Enumerable.Range(0, 20).Select(i => $"inner-{i}").ToArray();

    private static readonly string[] Lines = Enumerable.Range(1, 400)
        .Select(i => string.Create(CultureInfo.InvariantCulture, $"INV{i:D5},{(i % 3 == 0 ? "DE" : i % 3 == 1 ? "FR" : "SE")},{i * 10.25m}"))
        .ToArray();

    // The fields above (400 sample lines among them, about 44 KB) must exist before any test body runs. With this
    // explicit static constructor the runtime builds them before the first instance of the class, which xunit makes
    // before the first test; without it, it may build them at their first read, inside whichever stage reads them.
    static AllocationProbeTests()
    {
    }

    [Fact]
    public void Measure_records_the_bytes_a_stage_allocates_and_its_calls()
    {
        var probe = new AllocationProbe();
        probe.Measure("allocate", () => new byte[1000]).Should().HaveCount(1000, "Measure returns what the stage returns");
        probe.Measure("allocate", AllocateKilobyte);

        var entry = probe.Report().Should().ContainSingle().Subject;
        entry.Stage.Should().Be("allocate");
        entry.Calls.Should().Be(2, "the stage ran twice");
        entry.InclusiveBytes.Should().BeInRange(2 * KilobyteArrayLow, 2 * KilobyteArrayHigh, "two 1000-byte arrays were allocated");
        entry.ExclusiveBytes.Should().Be(entry.InclusiveBytes, "nothing was nested");
    }

    [Fact]
    public void A_stage_that_allocates_nothing_shows_zero_bytes_even_on_its_first_call()
    {
        var probe = new AllocationProbe();
        probe.Measure("outer", () =>
        {
            foreach (var name in InnerNames)
            {
                // Twenty new stage names: the probe's own table grows in here, and that is not "outer"'s cost.
                probe.Measure(name, Nothing);
            }
        });

        probe.Report().Should().AllSatisfy(e => e.InclusiveBytes.Should().Be(0,
            $"stage {e.Stage} allocated nothing itself: the probe's bookkeeping (its table of stages, its stack of open stages) " +
            "must not be charged to the stages it measures"));
        probe.Report().Should().HaveCount(21);
    }

    [Fact]
    public void Nested_stages_split_inclusive_from_exclusive_bytes()
    {
        var probe = new AllocationProbe();
        probe.Measure("outer", () =>
        {
            AllocateKilobyte();
            probe.Measure("inner", AllocateKilobyte);
            probe.Measure("inner", AllocateKilobyte);
        });

        var report = probe.Report().ToDictionary(e => e.Stage);
        report["inner"].Calls.Should().Be(2);
        report["inner"].ExclusiveBytes.Should().BeInRange(2 * KilobyteArrayLow, 2 * KilobyteArrayHigh);
        report["outer"].InclusiveBytes.Should().BeInRange(3 * KilobyteArrayLow, 3 * KilobyteArrayHigh,
            "inclusive bytes (cProfile's cumtime) include the nested stages");
        report["outer"].ExclusiveBytes.Should().BeInRange(KilobyteArrayLow, KilobyteArrayHigh,
            "exclusive bytes (cProfile's tottime) are the outer stage's own array only");
        probe.Report()[0].Stage.Should().Be("inner", "the report lists the most exclusive bytes first");
    }

    [Fact]
    public void Allocations_on_other_threads_are_not_charged_to_the_stage()
    {
        var probe = new AllocationProbe();
        probe.Measure("wait-for-worker", () =>
        {
            var worker = new Thread(() => GC.KeepAlive(new byte[1_000_000]));
            worker.Start();
            worker.Join();
        });

        probe.Report()[0].InclusiveBytes.Should().BeLessThan(100_000,
            "the 1 MB array was allocated by another thread; a process-wide counter (GC.GetTotalAllocatedBytes) would charge it here");
    }

    [Fact]
    public void A_stage_that_throws_is_counted_and_does_not_swallow_or_nest()
    {
        var probe = new AllocationProbe();
        var act = () => probe.Measure("fails", () =>
        {
            AllocateKilobyte();
            throw new InvalidOperationException("boom");
        });
        act.Should().Throw<InvalidOperationException>().WithMessage("boom", "the probe passes the stage's exception on unchanged");

        probe.Measure("after", AllocateKilobyte);

        var report = probe.Report().ToDictionary(e => e.Stage);
        report["fails"].Calls.Should().Be(1, "a failed call is still a call");
        report["fails"].InclusiveBytes.Should().BeGreaterThanOrEqualTo(KilobyteArrayLow, "its array was allocated before the throw");
        report["after"].Calls.Should().Be(1);
        report["after"].ExclusiveBytes.Should().BeInRange(KilobyteArrayLow, KilobyteArrayHigh);
    }

    [Fact]
    public void Stages_nested_twelve_deep_are_each_counted()
    {
        // Deeper than a small fixed stack of open stages: the probe must grow it, not fail or lose a level. The
        // delegates are made before measuring, so calling them allocates nothing but each level's array.
        const int depth = 12;
        var probe = new AllocationProbe();
        var names = Enumerable.Range(0, depth).Select(i => $"level-{i:D2}").ToArray();
        var levels = new Action[depth];
        for (var i = depth - 1; i >= 0; i--)
        {
            var next = i + 1 < depth ? levels[i + 1] : null;
            var nextName = i + 1 < depth ? names[i + 1] : null;
            levels[i] = () =>
            {
                AllocateKilobyte();
                if (next is not null)
                {
                    probe.Measure(nextName!, next);
                }
            };
        }

        probe.Measure(names[0], levels[0]);

        var report = probe.Report();
        report.Should().HaveCount(depth);
        report.Should().AllSatisfy(e =>
        {
            e.Calls.Should().Be(1);
            e.ExclusiveBytes.Should().BeInRange(KilobyteArrayLow, KilobyteArrayHigh, $"{e.Stage} allocated one array of its own");
        });
        report.Single(e => e.Stage == names[0]).InclusiveBytes.Should().BeInRange(depth * KilobyteArrayLow, depth * KilobyteArrayHigh,
            "the outermost stage includes every level below it");
    }

    [Fact]
    public void Stages_with_equal_exclusive_bytes_are_reported_by_name()
    {
        var probe = new AllocationProbe();
        probe.Measure("beta", Nothing);
        probe.Measure("alpha", Nothing);
        probe.Measure("gamma", Nothing);

        probe.Report().Select(e => e.Stage).Should().Equal(["alpha", "beta", "gamma"],
            "ties are broken by stage name (ordinal), so two runs of the same program give the same report");
    }

    [Fact]
    public void A_stage_needs_work_to_measure()
    {
        var probe = new AllocationProbe();

        var action = () => probe.Measure("stage", (Action)null!);
        var function = () => probe.Measure("stage", (Func<int>)null!);

        action.Should().Throw<ArgumentNullException>().WithParameterName("work");
        function.Should().Throw<ArgumentNullException>().WithParameterName("work");
        probe.Report().Should().BeEmpty("a call refused for its arguments measured nothing");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_stage_needs_a_name(string? stage)
    {
        var probe = new AllocationProbe();
        var act = () => probe.Measure(stage!, () => { });
        act.Should().Throw<ArgumentException>("an unnamed stage cannot be reported");
        probe.Report().Should().BeEmpty("nothing was measured");
    }

    [Fact]
    public void The_probe_finds_the_hot_spot_of_the_invoice_report()
    {
        var probe = new AllocationProbe();
        var report = probe.Measure("render", () => InvoiceReport.Render(Lines, probe));
        report.Should().Be(InvoiceReport.Render(Lines, new NoProbe()), "measuring must not change the result");

        var stages = probe.Report();
        stages.Select(s => s.Stage).Take(2).Should().Equal(["format", "tax-rate"],
            "appending to a growing string copies the whole report every line (quadratic bytes), and the tax table is " +
            "rebuilt for every line; parsing one short line and the closures are cheap next to those");
        stages.Should().HaveCount(4, "render, parse, tax-rate and format were measured");
        stages.Where(s => s.Stage != "render").Should().AllSatisfy(s => s.Calls.Should().Be(Lines.Length, "one call per line"));

        var format = stages[0];
        var total = stages.Single(s => s.Stage == "render").InclusiveBytes;
        total.Should().Be(stages.Sum(s => s.ExclusiveBytes), "exclusive bytes add up to the total: nothing is counted twice or lost");
        format.ExclusiveBytes.Should().BeGreaterThan(total / 2, "the string concatenation is more than half of everything allocated");
    }
}
