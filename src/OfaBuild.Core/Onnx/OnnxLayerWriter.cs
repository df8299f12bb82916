using OfaBuild.Core.Extraction;

namespace OfaBuild.Core.Onnx;

/// <summary>
/// Writes the layers of a subnet into an <see cref="OnnxGraph"/>: conv (+BN, folded or with batch
/// statistics), activations, squeeze-excite, inverted-residual blocks. Shared by the subnet exporter and
/// the single-layer models of latency profiling, so both time and run the same graph.
/// </summary>
internal sealed class OnnxLayerWriter(OnnxGraph g, BatchNormMode mode)
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

    public string Pool(string name, string x) => g.Node("GlobalAveragePool", name, [x], name);

    /// <summary>Flatten [N, F, 1, 1] to [N, F], then x · Wᵀ + b (Gemm) into <paramref name="output"/>.</summary>
    public string Classifier(string name, string x, float[] weight, float[] bias, int classes, string output)
    {
        int features = weight.Length / classes;
        x = g.Node("Flatten", $"{name}.flatten", [x], $"{name}.flatten", OnnxAttribute.Of("axis", 1L));
        string w = g.Initializer($"{name}.weight", weight, classes, features);
        string b = g.Initializer($"{name}.bias", bias, classes);
        return g.Node("Gemm", name, [x, w, b], output, OnnxAttribute.Of("transB", 1L));
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
