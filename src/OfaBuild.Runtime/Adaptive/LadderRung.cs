namespace OfaBuild.Runtime;

/// <summary>
/// One rung of an adaptive target's ladder: rung 0 is the subnet chosen for the budget, each higher rung a
/// smaller, faster one from the search's Pareto front, with what the build predicted for it.
/// </summary>
/// <param name="PredictedAccuracy">Top-1 as a fraction; null when the supernet has no accuracy predictor.</param>
public sealed record LadderRung(string Name, double PredictedLatencyMs, double? PredictedAccuracy)
{
    /// <summary>The rung of a built target.</summary>
    public static LadderRung Of(OfaTargetInfo info) => new(info.Target, info.PredictedLatencyMs, info.PredictedAccuracy);
}
