using System.Globalization;

namespace OfaBuild.Runtime.Tests;

/// <summary>
/// What the app prints of a target reads as the build printed it: a latency as "4.820 ms" (the build's LatencyText,
/// compiled into the runtime), under any locale.
/// </summary>
public sealed class InfoTextTests
{
    private static readonly OfaTargetInfo Target = TestModel.Info("cortex-a53") with { PredictedLatencyMs = 4.82, LatencyBudgetMs = 10, Macs = 1_250_000 };

    /// <summary><paramref name="text"/> under a German user's locale (',' is the decimal separator).</summary>
    private static string German(Func<string> text)
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try { return text(); }
        finally { CultureInfo.CurrentCulture = before; }
    }

    [Fact]
    public void A_target_prints_its_predicted_latency_as_the_build_does()
    {
        // Before, the app's Info said "predicted 4.82 ms" where `ofa specialize` and the build's log said 4.820 ms.
        Assert.Equal("cortex-a53 (r=12, 1.25 MMACs, predicted 4.820 ms of 10 ms, estimated table, fp32)", Target.ToString());
    }

    [Fact]
    public void A_target_prints_the_same_under_a_german_locale()
    {
        // Before, "1,25 MMACs, predicted 4,82 ms": the app's culture, where the build prints with a decimal point.
        Assert.Equal(Target.ToString(), German(Target.ToString));
    }

    [Fact]
    public void A_rung_change_prints_the_window_latency_as_the_build_prints_one()
    {
        var change = new RungChangedEventArgs(0, 1, RungChangeReason.OverBudget, 3, 4.82);
        Assert.Equal("#3: rung 0 -> 1 (OverBudget, window p 4.820 ms)", change.ToString());
        Assert.Equal(change.ToString(), German(change.ToString));
    }

    [Fact]
    public void An_adaptive_target_prints_the_served_rung_as_the_build_does()
    {
        using var adaptive = new AdaptiveSession([Adaptive.TestLadder.Session(0), Adaptive.TestLadder.Session(1)], latencyBudgetMs: 2.5);
        adaptive.Governor.PinnedRung = 1;
        // Before the first call it said "rung 0 of 2 served last", though nothing had served (an app printing Info at start).
        Assert.Equal("host-0: no call served yet, rung 1 of 2 next (host-1 (r=12, 0 MMACs, predicted 0.350 ms of 1 ms, estimated table, fp32)); budget 2.5 ms",
            adaptive.Info.ToString());
        adaptive.Predict(TestModel.RandomInput(1, seed: 41), new float[TestModel.Classes], out _);
        Assert.Equal("host-0: rung 1 of 2 served last (host-1 (r=12, 0 MMACs, predicted 0.350 ms of 1 ms, estimated table, fp32)); budget 2.5 ms",
            adaptive.Info.ToString());
    }

    [Fact]
    public void An_adaptive_target_prints_its_budget_the_same_under_a_german_locale()
    {
        // Before, "budget 2,5 ms" in the app's culture, where the build and the commands print a budget as 2.5 ms.
        using var adaptive = new AdaptiveSession([Adaptive.TestLadder.Session(0), Adaptive.TestLadder.Session(1)], latencyBudgetMs: 2.5);
        Assert.EndsWith("; budget 2.5 ms", German(adaptive.Info.ToString));
    }
}
