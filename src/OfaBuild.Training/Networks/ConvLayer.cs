using OfaBuild.Training.Dynamic;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OfaBuild.Training.Networks;

/// <summary>
/// A fixed-width conv (+ optional BN) (+ optional activation), the reference's ConvLayer: names "conv.weight"
/// and "bn.*". Used for first_conv, the first block's convs, final_expand_layer and feature_mix_layer.
/// </summary>
internal sealed class ConvLayer : nn.Module<Tensor, Tensor>, IBatchNormLayer
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d? bn;
    private readonly Activation? act;
    private readonly long stride, pad, groups;

    public Conv2d Conv => conv;
    public BatchNorm2d Bn => bn ?? throw new InvalidOperationException("This layer has no batch norm.");
    public bool HasBn => bn is not null;
    public BnStatistics? Recalibration { get; set; }

    public ConvLayer(int inC, int outC, int kernel, int stride, bool useBn, Activation? act, bool depthwise = false) : base(nameof(ConvLayer))
    {
        groups = depthwise ? inC : 1;
        conv = nn.Conv2d(inC, outC, kernel, stride: stride, padding: kernel / 2, groups: groups, bias: false);
        register_module("conv", conv);
        if (useBn)
        {
            bn = nn.BatchNorm2d(outC, eps: DynamicBatchNorm2d.Eps, momentum: DynamicBatchNorm2d.Momentum);
            register_module("bn", bn);
        }
        this.act = act;
        this.stride = stride;
        pad = kernel / 2;
    }

    public override Tensor forward(Tensor x)
    {
        var y = nn.functional.conv2d(x, conv.weight!, null, strides: [stride, stride], padding: [pad, pad], groups: groups);
        if (bn is not null) y = DynamicBatchNorm2d.Forward(bn, y, training, Recalibration);
        return act is { } a ? Activations.Apply(y, a) : y;
    }
}
