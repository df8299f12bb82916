namespace OfaBuild.Core.Extraction;

/// <summary>Batch normalisation parameters and running statistics of one layer (eps 1e-5 as the reference).</summary>
public sealed record BatchNorm(float[] Gamma, float[] Beta, float[] Mean, float[] Var, float Eps = 1e-5f)
{
    public int Channels => Gamma.Length;
}

/// <summary>A 2-D convolution with 'same' padding (k / 2); weight is [Out, In / Groups, K, K].</summary>
public sealed record Conv(float[] Weight, int OutChannels, int InChannels, int Kernel, int Stride, int Groups, float[]? Bias = null)
{
    public int Padding => Kernel / 2;
}

/// <summary>Convolution followed by batch normalisation.</summary>
public sealed record ConvBn(Conv Conv, BatchNorm Bn);

/// <summary>Squeeze-excite: x * h_sigmoid(expand(relu(reduce(mean_hw(x))))).</summary>
public sealed record SqueezeExcite(Conv Reduce, Conv Expand);

/// <summary>
/// A standalone inverted-residual block (the reference's MBConvLayer inside a ResidualBlock):
/// [1x1 expand, BN, act] -> depthwise k x k, BN, act -> [SE] -> 1x1 project, BN -> [+ input].
/// </summary>
public sealed record MBConv(
    string Name,
    int InChannels, int MidChannels, int OutChannels, int Kernel, int Stride,
    Activation Activation,
    ConvBn? InvertedBottleneck,
    ConvBn DepthConv,
    SqueezeExcite? Se,
    ConvBn PointLinear,
    bool Residual);

/// <summary>
/// A subnet cut out of a supernet: plain layers with their own weights, no elastic parts left
/// (the reference's MobileNetV3 returned by get_active_subnet). Arrays may be shared with the supernet
/// weights they came from: treat them as read-only.
/// </summary>
public sealed record Subnet(
    SearchSpace Space,
    SubnetConfig Config,
    ConvBn FirstConv,
    IReadOnlyList<MBConv> Blocks,
    ConvBn FinalExpand,
    Conv FeatureMix,
    float[] ClassifierWeight,
    float[] ClassifierBias)
{
    public int InputChannels => Space.InputChannels;
    public int Resolution => Config.R;
    public int NumClasses => Space.NumClasses;

    /// <summary>Every BN layer in graph order with its name (first_conv, blocks.N.depth_conv, ...).</summary>
    public IEnumerable<(string Name, BatchNorm Bn)> BatchNorms()
    {
        var names = new List<(string, BatchNorm)>();
        MapBatchNorms((name, bn) => { names.Add((name, bn)); return bn; });
        return names;
    }

    /// <summary>A copy with every BN layer replaced by <paramref name="map"/>(name, bn), visited in graph order.</summary>
    public Subnet MapBatchNorms(Func<string, BatchNorm, BatchNorm> map)
    {
        ConvBn Map(string name, ConvBn layer) => layer with { Bn = map(name, layer.Bn) };
        var first = Map("first_conv", FirstConv);
        var blocks = Blocks.Select(b =>
        {
            var ib = b.InvertedBottleneck is null ? null : Map($"{b.Name}.inverted_bottleneck", b.InvertedBottleneck);
            var dw = Map($"{b.Name}.depth_conv", b.DepthConv);
            var pl = Map($"{b.Name}.point_linear", b.PointLinear);
            return b with { InvertedBottleneck = ib, DepthConv = dw, PointLinear = pl };
        }).ToArray();
        return this with { FirstConv = first, Blocks = blocks, FinalExpand = Map("final_expand_layer", FinalExpand) };
    }
}
