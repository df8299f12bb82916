using System.Globalization;
using OfaBuild.Contracts;
using OfaBuild.Core;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Specialization;
using OfaBuild.Tasks;
using OfaBuild.Tool.Reporting;

namespace OfaBuild.Cli.Tests;

/// <summary>
/// A budget or cap refused as none (zero, negative, NaN) is echoed by one rule, LatencyText.Refused, wherever it is
/// refused: the build (SpecRules, here the copy `ofa report` compiles in), `ofa report --project`, and the target's
/// problem that `ofa search`, `ofa specialize` and the build's plan run build (TargetProblem); under any culture.
/// </summary>
public sealed class RefusedLimitTests : TempDirTest
{
    /// <summary><paramref name="text"/> under a German user's culture (',' is the decimal separator).</summary>
    private static string German(Func<string> text)
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try { return text(); }
        finally { CultureInfo.CurrentCulture = before; }
    }

    private static readonly OfaManifest Manifest = UntrainedPackage.Create(TestSpaces.ForPackage(), calibrationImages: 0).Manifest;

    private static string TargetProblemRefusal(double latencyMs, double? maxMFlops = null, double? maxMParams = null) =>
        Assert.Throws<OfaException>(() => TargetProblem.Create(Manifest, null, "cortex-a53", latencyMs, maxMFlops: maxMFlops, maxMParams: maxMParams)).Message;

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(-0.0001, "-0.0001")] // three decimals would read "-0"
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void A_refused_limit_prints_as_given_unless_that_would_hide_it(double limit, string echo)
    {
        Assert.Equal(echo, LatencyText.Refused(limit));
        Assert.Equal(echo, German(() => LatencyText.Refused(limit)));
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-2.5", "-2.5")]
    [InlineData("-0.0001", "-0.0001")]
    public void A_refused_budget_reads_alike_in_the_build_the_report_and_the_search_under_a_german_culture(string written, string echo)
    {
        // Before, TargetProblem printed the budget in the current culture ("-2,5") and the build and the report with "R".
        var source = Write("Net.cs", $"using OfaBuild;\n[OfaModel(\"m.ofa\")]\n[OfaTarget(\"cortex-a53\", LatencyMs = {written})]\npartial class Net;\n");
        var spec = Assert.Single(Assert.Single(SpecDiscovery.FromFile(source, File.ReadAllText(source))).Targets);

        string build = German(() => SpecRules.LatencyRefusal(spec));
        string report = German(() => Assert.Throws<OfaException>(() => ProjectTargets.Scan(SourcesOnly.Of(Dir.Path))).Message);
        string search = German(() => TargetProblemRefusal(spec.LatencyMs!.Value));

        Assert.StartsWith($"LatencyMs is {echo}; ", build, StringComparison.Ordinal);
        Assert.Contains($" has LatencyMs = {echo}, not a positive budget", report, StringComparison.Ordinal);
        Assert.StartsWith($"Latency budget {echo} ms for 'cortex-a53' ", search, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_cap_reads_as_a_budget_does_under_a_german_culture()
    {
        // Before, "MFLOPs limit -0,5" and "Parameter limit -0,5 M" in the current culture.
        Assert.StartsWith("MFLOPs limit -0.5 for 'cortex-a53' ", German(() => TargetProblemRefusal(1, maxMFlops: -0.5)), StringComparison.Ordinal);
        Assert.StartsWith("Parameter limit -0.0001 M for 'cortex-a53' ", German(() => TargetProblemRefusal(1, maxMParams: -0.0001)), StringComparison.Ordinal);
        Assert.StartsWith("MFLOPs limit NaN for 'cortex-a53' ", German(() => TargetProblemRefusal(1, maxMFlops: double.NaN)), StringComparison.Ordinal);
    }

    private string Write(string relative, string text)
    {
        var path = Dir[relative];
        File.WriteAllText(path, text);
        return path;
    }
}
