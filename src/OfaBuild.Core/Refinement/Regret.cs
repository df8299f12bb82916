using OfaBuild.Core.Measurement;

namespace OfaBuild.Core.Refinement;

/// <summary>
/// One budget of a regret table: the subnet the search chose (and its predicted top-1), the best subnet known
/// within the budget (the most accurate on the held-out images among all measured there), and both subnets' test
/// top-1 (fractions). Regret is what choosing cost against the best known, on images neither choice saw.
/// </summary>
public sealed record RegretRow(string Device, double BudgetMs,
    SubnetConfig Chosen, double ChosenLatencyMs, double Predicted, double ChosenTest,
    SubnetConfig BestKnown, double BestKnownLatencyMs, double BestKnownHeldOut, double BestKnownTest)
{
    public double RegretPoints => Regret.Points(BestKnownTest, ChosenTest);
}

/// <summary>The regret arithmetic, kept apart from searching and measuring so it can be checked by hand.</summary>
public static class Regret
{
    /// <summary>Test top-1 of the best known subnet minus that of the chosen one, in points (negative when the choice did better).</summary>
    public static double Points(double bestKnownTest, double chosenTest) => (bestKnownTest - chosenTest) * 100;

    /// <summary>
    /// The most accurate held-out-measured subnet whose latency is within the budget (ties: the faster, then the
    /// first listed); null if none fits. <paramref name="latencyMs"/> is null for a config the table cannot time
    /// (a resolution it does not cover).
    /// </summary>
    public static (MeasuredSubnet Subnet, double LatencyMs)? BestKnown(IEnumerable<MeasuredSubnet> heldOut, Func<SubnetConfig, double?> latencyMs, double budgetMs)
    {
        (MeasuredSubnet Subnet, double LatencyMs)? best = null;
        foreach (var s in heldOut)
        {
            if (latencyMs(s.Config) is not { } ms || !(ms <= budgetMs)) continue;
            if (best is null || s.Top1 > best.Value.Subnet.Top1 || (s.Top1 == best.Value.Subnet.Top1 && ms < best.Value.LatencyMs))
                best = (s, ms);
        }
        return best;
    }

    /// <summary>The largest and the mean regret of a table, in points.</summary>
    public static (double MaxPoints, double MeanPoints) Summary(IReadOnlyList<RegretRow> rows) =>
        rows.Count == 0 ? (double.NaN, double.NaN) : (rows.Max(r => r.RegretPoints), rows.Average(r => r.RegretPoints));
}
