using OfaBuild.Core.Onnx;

namespace OfaBuild.Core.Quantization;

/// <summary>
/// Min/max calibration: runs the fp32 model in ONNX Runtime over the calibration images with the
/// tensors to quantise exposed as extra outputs, and keeps each tensor's smallest and largest value.
/// </summary>
public static class ActivationRanges
{
    /// <param name="inputs">Prepared inputs [count, C, R, R], as for BN recalibration.</param>
    public static Dictionary<string, (float Min, float Max)> MinMax(OnnxModel model, IReadOnlyList<string> tensors,
        float[] inputs, int count, int batchSize = 50, int threads = 1)
    {
        var input = model.Inputs.Single();
        var sample = input.Dims![1..].Select(Convert.ToInt64).ToArray();
        long per = sample.Aggregate(1L, (a, b) => a * b);
        if (count < 1 || inputs.Length != count * per)
            throw new OfaException($"Calibration needs at least one input of [{string.Join(", ", sample)}]; got {inputs.Length} values for {count} images.");

        var ranges = new Dictionary<string, (float Min, float Max)>(StringComparer.Ordinal);
        var outputs = tensors.Where(t => t != input.Name).ToArray();
        if (outputs.Length < tensors.Count) ranges[input.Name] = Range(inputs, (float.PositiveInfinity, float.NegativeInfinity));

        using var runner = new OnnxModelRunner(model.ToBytes(outputs), threads);
        for (int start = 0; start < count; start += batchSize)
        {
            int n = Math.Min(batchSize, count - start);
            var batch = inputs.AsSpan((int)(start * per), (int)(n * per)).ToArray();
            var result = runner.Run(batch, [n, .. sample], outputs);
            foreach (var t in outputs)
                ranges[t] = Range(result[t], ranges.GetValueOrDefault(t, (float.PositiveInfinity, float.NegativeInfinity)));
        }
        return ranges;
    }

    private static (float Min, float Max) Range(ReadOnlySpan<float> values, (float Min, float Max) range)
    {
        var (min, max) = range;
        foreach (var v in values)
        {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return (min, max);
    }
}
