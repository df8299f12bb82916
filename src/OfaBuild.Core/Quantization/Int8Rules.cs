namespace OfaBuild.Core.Quantization;

/// <summary>Scale and zero point of an asymmetric uint8 tensor: real = (q - ZeroPoint) * Scale.</summary>
public readonly record struct ActivationQuantization(float Scale, byte ZeroPoint);

/// <summary>Weights as int8 with one symmetric scale per output channel: real = q * Scales[channel].</summary>
public sealed record ChannelQuantization(sbyte[] Values, float[] Scales);

/// <summary>
/// The arithmetic of static int8 quantisation, one rule each (rounding half to even, as ONNX QuantizeLinear):
/// activations asymmetric uint8 over their calibrated range widened to hold 0, weights symmetric int8 in
/// [-127, 127] per output channel, biases int32 at scale input_scale · weight_scale[channel].
/// </summary>
public static class Int8Rules
{
    /// <summary>scale = (max - min) / 255 over [min(min, 0), max(max, 0)], so 0 is exact (padding, ReLU); zero point = round(-min / scale).</summary>
    public static ActivationQuantization Activation(float min, float max)
    {
        if (!float.IsFinite(min) || !float.IsFinite(max) || min > max)
            throw new ArgumentException($"Calibrated range [{min}, {max}] is not a finite interval.");
        min = Math.Min(min, 0f);
        max = Math.Max(max, 0f);
        if (max == min) return new(1f, 0);
        float scale = (max - min) / 255f;
        return new(scale, (byte)Math.Clamp(MathF.Round(-min / scale), 0f, 255f));
    }

    /// <summary>
    /// Per output channel c (the leading axis of <paramref name="weights"/>, <paramref name="channels"/> rows):
    /// scale[c] = max|w[c]| / 127, q = round(w / scale[c]); an all-zero channel gets scale 1.
    /// </summary>
    public static ChannelQuantization WeightsPerChannel(float[] weights, int channels)
    {
        if (channels < 1 || weights.Length % channels != 0)
            throw new ArgumentException($"{weights.Length} weights do not split into {channels} output channels.");
        int per = weights.Length / channels;
        var q = new sbyte[weights.Length];
        var scales = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            var row = weights.AsSpan(c * per, per);
            float absMax = 0f;
            foreach (var w in row) absMax = Math.Max(absMax, Math.Abs(w));
            float scale = absMax > 0f ? absMax / 127f : 1f;
            scales[c] = scale;
            for (int i = 0; i < per; i++)
                q[c * per + i] = (sbyte)Math.Clamp(MathF.Round(row[i] / scale), -127f, 127f);
        }
        return new(q, scales);
    }

    /// <summary>q[c] = round(b[c] / (inputScale · weightScales[c])), saturated to int32; its scale is that product, zero point 0.</summary>
    public static (int[] Values, float[] Scales) Bias(float[] bias, float inputScale, float[] weightScales)
    {
        if (bias.Length != weightScales.Length)
            throw new ArgumentException($"{bias.Length} biases for {weightScales.Length} weight scales.");
        var scales = weightScales.Select(s => inputScale * s).ToArray();
        var q = new int[bias.Length];
        for (int c = 0; c < bias.Length; c++)
            q[c] = (int)Math.Clamp(Math.Round((double)bias[c] / scales[c], MidpointRounding.ToEven), int.MinValue, int.MaxValue);
        return (q, scales);
    }
}
