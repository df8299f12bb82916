using OfaBuild.Core.Specialization;

namespace OfaBuild.Cli.Tests;

/// <summary>
/// Every command prints a latency for a person in one wording (LatencyText): "4.820 ms", three decimals, as `ofa search`
/// and `ofa inspect` always did. The untrained package's largest subnet, which a generous budget chooses (no predictor:
/// the largest MACs that fit), takes 4.820 ms on cortex-a53 (LocaleTests): a trailing zero only that wording prints.
/// </summary>
public sealed class LatencyWordingTests
{
    [Fact]
    public void Specialize_and_inspect_of_its_target_print_the_latency_as_search_does()
    {
        // Before, the search's "chose" line said 4.82 ms, the summary under it 4.820 ms, and inspect --target the manifest's number unrounded.
        using var dir = new TempDir();
        var r = Ofa.Succeeds("specialize", "--model", Ofa.Untrained(), "--device", "cortex-a53", "--latency-ms", "10", "-o", dir["out"]);
        Assert.Contains("(4.820 ms predicted on cortex-a53, ", r.Stdout);
        Assert.Contains("predicted latency 4.820 ms (", r.Stdout);
        var inspect = Ofa.Succeeds("inspect", "--target", Path.Combine(dir["out"], "cortex-a53.json"));
        Assert.Contains("latency   predicted 4.820 ms of 10 ms, ", inspect.Stdout);
    }

    [Fact]
    public void A_build_plan_prints_the_latency_as_search_does()
    {
        // Before, the build's log said "4.82 ms predicted" twice for this target.
        using var dir = new TempDir();
        var plan = new SpecializationPlan
        {
            Targets = [new PlannedTarget { ClassName = "App.Net", Model = Ofa.Untrained(), Device = "cortex-a53", LatencyMs = 10, OutputDir = dir["obj"], Name = "cortex-a53",
                SourceFile = dir["Net.cs"], Line = 3, Column = 2, Hash = "h" }],
        };
        File.WriteAllText(dir["plan.json"], plan.ToJson());
        var r = Ofa.Succeeds("specialize", "--plan", dir["plan.json"]);
        Assert.Contains("(4.820 ms predicted on cortex-a53, ", r.Stdout);
        Assert.Contains("App.Net: cortex-a53: 4.820 ms predicted (estimated), budget 10 ms, ", r.Stdout);
    }

    [Fact]
    public void A_budget_prints_as_given_in_search_specialize_and_inspect_as_the_report_prints_it()
    {
        // Before, search, specialize and inspect --target printed the budget unrounded ("budget 7.12345 ms") and the
        // report, regret and the app's Info with at most three decimals ("7.123 ms"): now all by LatencyText.Budget.
        using var dir = new TempDir();
        var search = Ofa.Succeeds("search", "--model", Ofa.Untrained(), "--device", "cortex-a53", "--latency-ms", "7.12345");
        Assert.Contains("predicted (budget 7.123 ms)", search.Stdout);
        var specialize = Ofa.Succeeds("specialize", "--model", Ofa.Untrained(), "--device", "cortex-a53", "--latency-ms", "7.12345", "-o", dir["out"]);
        Assert.Contains("table, budget 7.123 ms)", specialize.Stdout);
        var inspect = Ofa.Succeeds("inspect", "--target", Path.Combine(dir["out"], "cortex-a53.json"));
        Assert.Contains("latency   predicted 4.820 ms of 7.123 ms, ", inspect.Stdout);
    }
}
