using OfaBuild.Contracts;
using OfaBuild.Core.Extraction;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Quantization;
using OfaBuild.Core.Space;

namespace OfaBuild.Core.Latency.Profiling;

/// <summary>A random subnet as a model to time whole, with its input shape [1, C, R, R].</summary>
public sealed record WholeNetwork(SubnetConfig Config, byte[] Model, long[] InputShape);

/// <summary>
/// Random subnets (seeded) with random weights, exported as targets ship them: latency depends on shapes, not
/// values. An int8 one is quantised as an int8 target is (ranges from one fixed input).
/// </summary>
public static class WholeNetworks
{
    public static IReadOnlyList<WholeNetwork> Sample(SearchSpace space, int count, int seed, string precision, CancellationToken cancel = default)
    {
        var weights = RandomSupernet.Create(space, seed);
        var rng = new Random(seed);
        var networks = new List<WholeNetwork>(count);
        for (int i = 0; i < count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var config = SubnetConfig.Sample(space, rng);
            var model = SubnetOnnxExporter.Export(SubnetExtractor.Extract(space, weights, config));
            long[] shape = [1, space.InputChannels, config.R, config.R];
            if (precision == Precisions.Int8) model = QdqQuantizer.Quantize(model, ModelTimer.Input(shape), count: 1);
            networks.Add(new WholeNetwork(config, model, shape));
        }
        return networks;
    }
}
