using OfaBuild.Core.Extraction;
using OfaBuild.Core.Space;

namespace OfaBuild.Core.Onnx;

/// <summary>How batch normalisation appears in the exported graph.</summary>
public enum BatchNormMode
{
    /// <summary>Folded into the preceding convolution (inference).</summary>
    Fold,
    /// <summary>
    /// Normalised with the batch's own mean and variance, which are also graph outputs
    /// (<c>bn_mean:LAYER</c>, <c>bn_var:LAYER</c>): the reference's set_running_statistics, run in ONNX Runtime.
    /// </summary>
    Calibrate,
}

/// <summary>
/// Writes a <see cref="Subnet"/> as ONNX: input <c>input</c> [batch, C, R, R], output <c>logits</c> [batch, classes];
/// HardSwish/HardSigmoid ops; deterministic bytes.
/// </summary>
public static class SubnetOnnxExporter
{
    public const string InputName = "input";
    public const string OutputName = "logits";
    public const string Producer = "OfaBuild";

    public static byte[] Export(Subnet subnet, BatchNormMode bn = BatchNormMode.Fold, string producerVersion = "")
    {
        var g = new OnnxGraph("ofa_subnet");
        var b = new Builder(g, bn);
        string x = g.Input(InputName, "batch", subnet.InputChannels, subnet.Resolution, subnet.Resolution);

        x = b.ConvBnAct("first_conv", x, subnet.FirstConv, Activation.HSwish);
        foreach (var block in subnet.Blocks) x = b.Block(block, x);
        x = b.ConvBnAct("final_expand_layer", x, subnet.FinalExpand, Activation.HSwish);
        x = g.Node("GlobalAveragePool", "pool", [x], "pool");
        x = b.Conv("feature_mix_layer", x, subnet.FeatureMix);
        x = b.Act("feature_mix_layer", x, Activation.HSwish);
        x = g.Node("Flatten", "flatten", [x], "flatten", OnnxAttribute.Of("axis", 1L));
        string w = g.Initializer("classifier.weight", subnet.ClassifierWeight, subnet.NumClasses, subnet.Space.FeatureMixWidth);
        string bias = g.Initializer("classifier.bias", subnet.ClassifierBias, subnet.NumClasses);
        g.Node("Gemm", "classifier", [x, w, bias], OutputName, OnnxAttribute.Of("transB", 1L));
        g.Output(OutputName, "batch", subnet.NumClasses);
        b.DeclareStatisticOutputs();

        return g.ToModel(Producer, producerVersion, docString: "config " + subnet.Config.ToJson());
    }

    /// <summary>Names of the BN layers in graph order, as the Calibrate mode reports them.</summary>
    public static IReadOnlyList<string> BatchNormLayers(Subnet subnet) => subnet.BatchNorms().Select(b => b.Name).ToArray();

    private sealed class Builder(OnnxGraph g, BatchNormMode mode)
    {
        private readonly List<(string Layer, int Channels)> _statistics = new();

        public string Block(MBConv block, string input)
        {
            string x = input, p = block.Name;
            if (block.InvertedBottleneck is { } ib) x = ConvBnAct($"{p}.inverted_bottleneck", x, ib, block.Activation);
            x = ConvBnAct($"{p}.depth_conv", x, block.DepthConv, block.Activation);
            if (block.Se is { } se) x = SqueezeExcite($"{p}.depth_conv.se", x, se);
            x = ConvBn($"{p}.point_linear", x, block.PointLinear);
            if (block.Residual) x = g.Node("Add", $"{p}.add", [x, input], $"{p}.add");
            return x;
        }

        public string ConvBnAct(string name, string x, ConvBn layer, Activation act) => Act(name, ConvBn(name, x, layer), act);

        public string ConvBn(string name, string x, ConvBn layer)
        {
            if (mode == BatchNormMode.Fold)
                return Conv(name, x, BatchNormFolding.Fold(layer));
            return BatchStatisticsNorm(name, Conv(name, x, layer.Conv), layer.Bn);
        }

        public string Conv(string name, string x, Conv c)
        {
            string w = g.Initializer($"{name}.weight", c.Weight, c.OutChannels, c.InChannels / c.Groups, c.Kernel, c.Kernel);
            string[] inputs = c.Bias is null ? [x, w] : [x, w, g.Initializer($"{name}.bias", c.Bias, c.OutChannels)];
            long p = c.Padding;
            return g.Node("Conv", $"{name}.conv", inputs, $"{name}.conv",
                OnnxAttribute.Of("dilations", 1L, 1L),
                OnnxAttribute.Of("group", (long)c.Groups),
                OnnxAttribute.Of("kernel_shape", c.Kernel, (long)c.Kernel),
                OnnxAttribute.Of("pads", p, p, p, p),
                OnnxAttribute.Of("strides", c.Stride, (long)c.Stride));
        }

        public string Act(string name, string x, Activation act) => act switch
        {
            Activation.Relu => g.Node("Relu", $"{name}.act", [x], $"{name}.act"),
            Activation.HSwish => g.Node("HardSwish", $"{name}.act", [x], $"{name}.act"),
            _ => throw new ArgumentOutOfRangeException(nameof(act)),
        };

        private string SqueezeExcite(string name, string x, SqueezeExcite se)
        {
            string s = g.Node("GlobalAveragePool", $"{name}.pool", [x], $"{name}.pool");
            s = Conv($"{name}.reduce", s, se.Reduce);
            s = g.Node("Relu", $"{name}.relu", [s], $"{name}.relu");
            s = Conv($"{name}.expand", s, se.Expand);
            // h_sigmoid = relu6(x + 3) / 6 = HardSigmoid(alpha 1/6, beta 1/2).
            s = g.Node("HardSigmoid", $"{name}.h_sigmoid", [s], $"{name}.h_sigmoid",
                OnnxAttribute.Of("alpha", 1f / 6f), OnnxAttribute.Of("beta", 0.5f));
            return g.Node("Mul", $"{name}.mul", [x, s], $"{name}.mul");
        }

        /// <summary>y = (x - mean_b) / sqrt(var_b + eps) * gamma + beta, with the batch's biased mean and variance over N, H, W.</summary>
        private string BatchStatisticsNorm(string name, string x, BatchNorm bn)
        {
            int c = bn.Channels;
            var axes = OnnxAttribute.Of("axes", 0L, 2L, 3L);
            var keep = OnnxAttribute.Of("keepdims", 1L);
            string mean = g.Node("ReduceMean", $"{name}.bn.mean", [x], $"bn_mean:{name}", axes, keep);
            string d = g.Node("Sub", $"{name}.bn.centre", [x, mean], $"{name}.bn.centre");
            string sq = g.Node("Mul", $"{name}.bn.square", [d, d], $"{name}.bn.square");
            string variance = g.Node("ReduceMean", $"{name}.bn.var", [sq], $"bn_var:{name}", axes, keep);
            string eps = g.Initializer($"{name}.bn.eps", [bn.Eps]);
            string std = g.Node("Sqrt", $"{name}.bn.std", [g.Node("Add", $"{name}.bn.var_eps", [variance, eps], $"{name}.bn.var_eps")], $"{name}.bn.std");
            string norm = g.Node("Div", $"{name}.bn.norm", [d, std], $"{name}.bn.norm");
            string gamma = g.Initializer($"{name}.bn.weight", bn.Gamma, 1, c, 1, 1);
            string beta = g.Initializer($"{name}.bn.bias", bn.Beta, 1, c, 1, 1);
            string scaled = g.Node("Mul", $"{name}.bn.scale", [norm, gamma], $"{name}.bn.scale");
            _statistics.Add((name, c));
            return g.Node("Add", $"{name}.bn.shift", [scaled, beta], $"{name}.bn");
        }

        public void DeclareStatisticOutputs()
        {
            foreach (var (layer, c) in _statistics)
            {
                g.Output($"bn_mean:{layer}", 1, c, 1, 1);
                g.Output($"bn_var:{layer}", 1, c, 1, 1);
            }
        }
    }
}
