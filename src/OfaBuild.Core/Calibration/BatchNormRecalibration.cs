using OfaBuild.Core.Extraction;
using OfaBuild.Core.Onnx;

namespace OfaBuild.Core.Calibration;

/// <summary>
/// Recomputes every BN layer's running statistics of an extracted subnet (the reference's
/// set_running_statistics): forward with batch statistics over calibration images, average each
/// layer's batch mean and variance weighted by batch size, write them as the running statistics.
/// Runs in ONNX Runtime on the <see cref="BatchNormMode.Calibrate"/> export, so no libtorch is needed.
/// </summary>
public static class BatchNormRecalibration
{
    /// <param name="inputs">Prepared inputs [count, C, R, R] (see <see cref="ImageInput"/>).</param>
    public static Subnet Recalibrate(Subnet subnet, float[] inputs, int count, int batchSize = 200, int threads = 1)
    {
        int c = subnet.InputChannels, r = subnet.Resolution, per = c * r * r;
        if (count < 1 || inputs.Length != count * per)
            throw new OfaException($"Calibration needs at least one image of {c}x{r}x{r}; got {inputs.Length} values for {count} images.");

        var layers = SubnetOnnxExporter.BatchNormLayers(subnet);
        var sums = layers.ToDictionary(l => l, _ => ((double[]?)null, (double[]?)null));
        using var runner = new OnnxModelRunner(SubnetOnnxExporter.Export(subnet, BatchNormMode.Calibrate), threads);
        var outputs = layers.SelectMany(l => new[] { $"bn_mean:{l}", $"bn_var:{l}" }).ToArray();

        for (int start = 0; start < count; start += batchSize)
        {
            int n = Math.Min(batchSize, count - start);
            var batch = inputs.AsSpan(start * per, n * per).ToArray();
            var result = runner.Run(batch, [n, c, r, r], outputs);
            foreach (var layer in layers)
            {
                var (mean, var) = sums[layer];
                sums[layer] = (Accumulate(mean, result[$"bn_mean:{layer}"], n), Accumulate(var, result[$"bn_var:{layer}"], n));
            }
        }

        return subnet.MapBatchNorms((layer, bn) =>
        {
            var (mean, var) = sums[layer];
            return bn with
            {
                Mean = mean!.Select(v => (float)(v / count)).ToArray(),
                Var = var!.Select(v => (float)(v / count)).ToArray(),
            };
        });
    }

    private static double[] Accumulate(double[]? sum, float[] values, int weight)
    {
        sum ??= new double[values.Length];
        for (int i = 0; i < values.Length; i++) sum[i] += (double)values[i] * weight;
        return sum;
    }
}
