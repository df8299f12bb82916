using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OfaBuild.Training.Dynamic;

/// <summary>
/// A convolution of maximal width whose active subnet uses the prefix W[:out, :in]
/// (reference DynamicConv2d; the weight lives in the child "conv", so its name is "conv.weight").
/// The input width is taken from the input.
/// </summary>
internal sealed class DynamicConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly int stride;

    public int MaxOutChannels { get; }
    public int ActiveOutChannels { get; set; }
    public Parameter Weight => conv.weight!;

    public DynamicConv2d(int maxIn, int maxOut, int kernelSize = 1, int stride = 1) : base(nameof(DynamicConv2d))
    {
        conv = nn.Conv2d(maxIn, maxOut, kernelSize, stride: stride, padding: kernelSize / 2, bias: false);
        this.stride = stride;
        MaxOutChannels = ActiveOutChannels = maxOut;
        register_module("conv", conv);
    }

    public override Tensor forward(Tensor x)
    {
        var w = Slice(Weight, ActiveOutChannels, (int)x.shape[1]);
        long pad = w.shape[2] / 2;
        return nn.functional.conv2d(x, w, null, strides: [stride, stride], padding: [pad, pad]);
    }

    /// <summary>W[:out, :in] as a view (no copy when the prefix is the whole tensor).</summary>
    internal static Tensor Slice(Tensor w, int outChannels, int inChannels)
    {
        if (w.shape[0] != outChannels) w = w.narrow(0, 0, outChannels);
        if (w.shape[1] != inChannels) w = w.narrow(1, 0, inChannels);
        return w;
    }
}
