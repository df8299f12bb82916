using OfaBuild.Core.Extraction;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Quantization;
using OfaBuild.Core.Latency;

namespace OfaBuild.Core.Latency.Profiling;

/// <summary>
/// A one-layer ONNX model for every <see cref="LayerShape"/> a latency table has entries for, written by
/// the same <see cref="OnnxLayerWriter"/> as exported subnets (BN folded), with seeded random weights:
/// latency depends on shapes, not values.
/// </summary>
public static class LayerModels
{
    public const string Input = "x";

    /// <summary>The model, and its input shape [1, C, H, W] (batch 1, as deployed).</summary>
    public static (byte[] Model, long[] InputShape) Build(LayerShape l, int seed = 0)
    {
        var rng = new Random(seed);
        var g = new OnnxGraph("layer");
        var w = new OnnxLayerWriter(g, BatchNormMode.Fold);
        long[] shape = [1, l.InC, l.InH, l.InW];
        string x = g.Input(Input, 1, l.InC, l.InH, l.InW);
        string y = l.Kind switch
        {
            LayerKind.FirstConv => w.ConvBnAct("first_conv", x, ConvBn(rng, l.InC, l.OutC, 3, l.InH == l.OutH ? 1 : 2, 1), Activation.HSwish),
            LayerKind.Block => w.Block(Block(rng, l), x),
            LayerKind.FinalExpand => w.ConvBnAct("final_expand_layer", x, ConvBn(rng, l.InC, l.OutC, 1, 1, 1), Activation.HSwish),
            LayerKind.Pool => w.Pool("pool", x),
            LayerKind.FeatureMix => w.Act("feature_mix_layer", w.Conv("feature_mix_layer", x, Conv(rng, l.InC, l.OutC, 1, 1, 1)), Activation.HSwish),
            LayerKind.Classifier => w.Classifier("classifier", x, Values(rng, l.OutC * l.InC), Values(rng, l.OutC), l.OutC, "logits"),
            _ => throw new ArgumentOutOfRangeException(nameof(l)),
        };
        if (l.Kind == LayerKind.Classifier) g.Output(y, 1, l.OutC);
        else g.Output(y, 1, l.OutC, l.OutH, l.OutW);
        return (g.ToModel("OfaBuild profile", ToolInfo.Version, l.Key), shape);
    }

    /// <summary>
    /// The layer as an int8 target ships it: quantised by <see cref="QdqQuantizer"/> (ranges from one fixed input) with
    /// its output quantised too, since inside a network the next layer reads it as uint8 (the classifier writes float
    /// logits, as in a whole network).
    /// </summary>
    public static (byte[] Model, long[] InputShape) BuildInt8(LayerShape l, int seed = 0)
    {
        var (fp32, shape) = Build(l, seed);
        var int8 = QdqQuantizer.Quantize(fp32, ModelTimer.Input(shape), count: 1, quantizeOutputs: l.Kind != LayerKind.Classifier);
        return (int8, shape);
    }

    private static MBConv Block(Random rng, LayerShape l)
    {
        var act = l.HSwish ? Activation.HSwish : Activation.Relu;
        bool expand = l.Mid != l.InC; // the fixed first block (expand 1) has no inverted bottleneck
        SqueezeExcite? se = null;
        if (l.Se)
        {
            int s = Channels.SqueezeExcite(l.Mid);
            se = new SqueezeExcite(Conv(rng, l.Mid, s, 1, 1, 1, bias: true), Conv(rng, s, l.Mid, 1, 1, 1, bias: true));
        }
        return new MBConv("block", l.InC, l.Mid, l.OutC, l.Kernel, l.Stride, act,
            expand ? ConvBn(rng, l.InC, l.Mid, 1, 1, 1) : null,
            ConvBn(rng, l.Mid, l.Mid, l.Kernel, l.Stride, l.Mid),
            se,
            ConvBn(rng, l.Mid, l.OutC, 1, 1, 1),
            l.IdSkip);
    }

    private static ConvBn ConvBn(Random rng, int cin, int cout, int k, int stride, int groups) =>
        new(Conv(rng, cin, cout, k, stride, groups),
            new BatchNorm(Values(rng, cout, 0.5f, 1.5f), Values(rng, cout), Values(rng, cout), Values(rng, cout, 0.5f, 1.5f)));

    private static Conv Conv(Random rng, int cin, int cout, int k, int stride, int groups, bool bias = false) =>
        new(Values(rng, cout * cin / groups * k * k), cout, cin, k, stride, groups, bias ? Values(rng, cout) : null);

    private static float[] Values(Random rng, int n, float lo = -0.1f, float hi = 0.1f)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = lo + (float)rng.NextDouble() * (hi - lo);
        return v;
    }
}
