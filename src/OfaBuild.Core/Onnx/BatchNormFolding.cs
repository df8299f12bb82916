using OfaBuild.Core.Extraction;

namespace OfaBuild.Core.Onnx;

/// <summary>Folds inference-mode BN into the convolution before it: w' = w·γ/√(σ²+ε), b' = β − μ·γ/√(σ²+ε).</summary>
public static class BatchNormFolding
{
    public static Conv Fold(ConvBn layer)
    {
        var (conv, bn) = layer;
        if (bn.Channels != conv.OutChannels)
            throw new ArgumentException($"BN has {bn.Channels} channels, convolution {conv.OutChannels}.");
        int perOut = conv.Weight.Length / conv.OutChannels;
        var w = new float[conv.Weight.Length];
        var b = new float[conv.OutChannels];
        for (int o = 0; o < conv.OutChannels; o++)
        {
            double scale = bn.Gamma[o] / Math.Sqrt((double)bn.Var[o] + bn.Eps);
            double bias = conv.Bias?[o] ?? 0.0;
            b[o] = (float)(bn.Beta[o] + (bias - bn.Mean[o]) * scale);
            var src = conv.Weight.AsSpan(o * perOut, perOut);
            var dst = w.AsSpan(o * perOut, perOut);
            for (int i = 0; i < perOut; i++) dst[i] = (float)(src[i] * scale);
        }
        return conv with { Weight = w, Bias = b };
    }
}
