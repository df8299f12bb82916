using System.Text.Json;

namespace OfaBuild.Cli.Tests;

/// <summary>The tool reads and prints numbers the same under every locale, as the build's plan files and the README have them.</summary>
public sealed class LocaleTests
{
    /// <summary>A German user's locale: ',' is the decimal separator and '.' groups thousands.</summary>
    private static readonly Dictionary<string, string> German = new() { ["LANG"] = "de_DE.UTF-8", ["LC_ALL"] = "de_DE.UTF-8" };

    [Fact]
    public void A_latency_budget_of_2_point_5_ms_is_2_point_5_ms_under_a_german_locale()
    {
        // Before, System.CommandLine parsed --latency-ms 2.5 with the user's culture: de-DE searched within 25 ms,
        // while `ofa report --target cortex-a53=2.5` (parsed invariantly) and [OfaTarget(LatencyMs = 2.5)] meant 2.5 ms.
        using var dir = new TempDir();
        Ofa.Init(dir["p.ofa"]);
        var r = Ofa.SucceedsIn(German, "search", "--model", dir["p.ofa"], "--device", "cortex-a53", "--latency-ms", "2.5", "--json");
        using var json = JsonDocument.Parse(r.Stdout);
        Assert.Equal(2.5, json.RootElement.GetProperty("budget_ms").GetDouble());
    }

    [Fact]
    public void A_refused_budget_and_cap_read_under_a_german_locale_as_the_build_echoes_them()
    {
        // One rule with the build's OFA0004 and `ofa report --project` (LatencyText.Refused; RefusedLimitTests).
        using var dir = new TempDir();
        Ofa.Init(dir["p.ofa"]);
        var search = Ofa.RunIn(German, "search", "--model", dir["p.ofa"], "--device", "cortex-a53", "--latency-ms=-0.0001");
        Assert.Contains("Latency budget -0.0001 ms for 'cortex-a53' must be a positive number of milliseconds.", search.Stderr + search.Stdout);
        var specialize = Ofa.RunIn(German, "specialize", "--model", dir["p.ofa"], "--device", "cortex-a53", "--latency-ms", "1", "--max-mflops=-0.5", "-o", dir["out"]);
        Assert.Contains("MFLOPs limit -0.5 for 'cortex-a53' must be positive.", specialize.Stderr + specialize.Stdout);
    }

    [Fact]
    public void A_budget_written_with_a_decimal_comma_is_refused_not_read_as_ten_times_the_budget()
    {
        // Before, the invariant culture read ',' as a group separator: --latency-ms 2,5 searched within 25 ms without a word,
        // where the build refuses LatencyMs="2,5" ("not a number the build can read") and `ofa report --target` refuses it too.
        using var dir = new TempDir();
        Ofa.Init(dir["p.ofa"]);
        var search = Ofa.Refuses("search", "--model", dir["p.ofa"], "--device", "cortex-a53", "--latency-ms", "2,5");
        Assert.Contains("--latency-ms 2,5: write a number with a decimal point and no separators, e.g. --latency-ms 2.5.", search.Stderr + search.Stdout);
        var specialize = Ofa.Refuses("specialize", "--model", dir["p.ofa"], "--device", "cortex-a53", "--latency-ms", "10", "--max-mflops", "1,000", "-o", dir["out"]);
        Assert.Contains("--max-mflops 1,000: write a number", specialize.Stderr + specialize.Stdout);
        Assert.False(Directory.Exists(dir["out"]));
    }

    [Fact]
    public void Inspect_prints_latency_and_counts_as_search_does_under_a_german_locale()
    {
        // Before, inspect formatted with the user's culture ("4,820 ms", "1.180.930 parameters") and search invariantly ("4.820 ms").
        using var dir = new TempDir();
        Ofa.Init(dir["p.ofa"]);
        var r = Ofa.SucceedsIn(German, "inspect", "--model", dir["p.ofa"], "--largest", "--device", "cortex-a53");
        Assert.Contains("latency 4.820 ms on cortex-a53", r.Stdout);
        Assert.Contains("1,180,930 parameters", r.Stdout);
    }
}
