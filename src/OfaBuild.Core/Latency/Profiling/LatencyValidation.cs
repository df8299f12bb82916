using OfaBuild.Core.Extraction;
using OfaBuild.Contracts;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Quantization;
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
/// Validates a measured table: random subnets (seeded) with random weights, exported and timed whole in
/// ONNX Runtime under the same protocol, against the table's prediction. An int8 table is checked on the subnets
/// quantised as an int8 target ships them (ranges from one fixed input: latency does not depend on them).
/// </summary>
public static class LatencyValidation
{
    public static LatencyValidationResult Run(SearchSpace space, LatencyTable table, int count, ProfileProtocol protocol, int seed = 0,
        IProgress<ProfileProgress>? progress = null, CancellationToken cancel = default)
    {
        var weights = RandomSupernet.Create(space, seed);
        var rng = new Random(seed);
        var checks = new List<LatencyCheck>(count);
        for (int i = 0; i < count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var config = SubnetConfig.Sample(space, rng);
            var model = SubnetOnnxExporter.Export(SubnetExtractor.Extract(space, weights, config));
            long[] shape = [1, space.InputChannels, config.R, config.R];
            if (table.Precision == Precisions.Int8) model = QdqQuantizer.Quantize(model, ModelTimer.Input(shape), count: 1);
            var measured = ModelTimer.Time(model, shape, protocol).MedianMs;
            checks.Add(new LatencyCheck(config, table.Predict(space, config), measured));
            progress?.Report(new ProfileProgress(i + 1, count, config.ToJson()));
        }
        return new LatencyValidationResult(checks);
    }
}
