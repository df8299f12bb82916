using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Latency;

namespace OfaBuild.Core.Latency.Profiling;

/// <summary>One subnet's predicted (table sum) and measured (whole network) latency.</summary>
public sealed record LatencyCheck(SubnetConfig Config, double PredictedMs, double MeasuredMs)
{
    public double RelativeError => (PredictedMs - MeasuredMs) / MeasuredMs;
}

/// <summary>How well a latency table predicts whole networks on this machine.</summary>
public sealed record LatencyValidationResult(IReadOnlyList<LatencyCheck> Checks)
{
    public double ShareWithin(double relative) => Checks.Count(c => Math.Abs(c.RelativeError) <= relative) / (double)Checks.Count;
    public double Spearman => PredictorMetrics.Spearman(Checks.Select(c => c.PredictedMs).ToArray(), Checks.Select(c => c.MeasuredMs).ToArray());
    public double MeanRelativeError => Checks.Average(c => c.RelativeError);
}

/// <summary>
/// Validates a measured table: random subnets (<see cref="WholeNetworks"/>, seed <see cref="DefaultSeed"/>; the profile
/// calibrates on seed <see cref="LatencyProfiler.CalibrationSeed"/>'s) timed whole in ONNX Runtime as the table's
/// layers were (<see cref="RoundRobinTimer"/>: each network a sequence of its own, so it is timed warm, one run after
/// its own), against the table's prediction. Timed after the profile, it also sees how far the machine's speed moved
/// since (<see cref="LatencyProfiler.ProfileAndValidate"/> times them in the profile's own rounds).
/// </summary>
public static class LatencyValidation
{
    public const int DefaultSeed = 0;

    public static LatencyValidationResult Run(SearchSpace space, LatencyTable table, int count, ProfileProtocol protocol, int seed = DefaultSeed,
        IProgress<ProfileProgress>? progress = null, CancellationToken cancel = default)
    {
        var networks = WholeNetworks.Sample(space, count, seed, table.Precision, cancel);
        var measured = RoundRobinTimer.Time(networks.Select(n => (n.Model, n.InputShape)).ToArray(),
            Enumerable.Range(0, count).Select(i => new[] { i }).ToArray(), protocol, progress, cancel);
        return new LatencyValidationResult(networks.Select((n, i) => new LatencyCheck(n.Config, table.Predict(space, n.Config), measured[i].MedianMs)).ToArray());
    }
}
