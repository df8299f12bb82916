using OfaBuild.Training.Dynamic;
using static TorchSharp.torch;
using static OfaBuild.Training.Native.HeldScalars;

namespace OfaBuild.Training.Networks;

/// <summary>
/// Elastic inverted-residual block (reference DynamicMBConvLayer): 1x1 expand to the active middle width,
/// elastic-kernel depthwise conv (+ SE), 1x1 projection to the fixed output width.
/// </summary>
internal sealed class DynamicMBConvLayer : nn.Module<Tensor, Tensor>
{
    // Children are kept in a plain object: TorchSharp registers Module-typed fields by their field
    // names, which would add a second, wrongly named copy of every tensor to the state dict.
    private sealed class Parts
    {
        public required DynamicConv2d IbConv, PlConv;
        public required DynamicBatchNorm2d IbBn, DwBn, PlBn;
        public required DynamicSeparableConv2d DwConv;
        public DynamicSE? Se;
    }
    private readonly Parts p;

    public BlockSlot Slot { get; }
    public DynamicConv2d InvertedBottleneckConv => p.IbConv;
    public DynamicBatchNorm2d InvertedBottleneckBn => p.IbBn;
    public DynamicSeparableConv2d DepthConv => p.DwConv;
    public DynamicBatchNorm2d DepthBn => p.DwBn;
    public DynamicSE? Se => p.Se;
    public DynamicConv2d PointLinearConv => p.PlConv;
    public DynamicBatchNorm2d PointLinearBn => p.PlBn;

    public int ActiveExpandRatio { get; set; }
    public int ActiveKernelSize { get => DepthConv.ActiveKernelSize; set => DepthConv.ActiveKernelSize = value; }

    public DynamicMBConvLayer(SearchSpace space, BlockSlot slot) : base(nameof(DynamicMBConvLayer))
    {
        Slot = slot;
        int mid = slot.MiddleChannels(space.MaxExpand);
        ActiveExpandRatio = space.MaxExpand;
        p = new Parts
        {
            IbConv = new DynamicConv2d(slot.InChannels, mid),
            IbBn = new DynamicBatchNorm2d(mid),
            DwConv = new DynamicSeparableConv2d(mid, space.KernelSizes, slot.Stride),
            DwBn = new DynamicBatchNorm2d(mid),
            PlConv = new DynamicConv2d(mid, slot.OutChannels),
            PlBn = new DynamicBatchNorm2d(slot.OutChannels),
        };
        register_module("inverted_bottleneck", new ModuleGroup("inverted_bottleneck", ("conv", InvertedBottleneckConv), ("bn", InvertedBottleneckBn)));
        var depth = new List<(string, nn.Module)> { ("conv", DepthConv), ("bn", DepthBn) };
        if (slot.UseSe)
        {
            p.Se = new DynamicSE(mid);
            depth.Add(("se", p.Se));
        }
        register_module("depth_conv", new ModuleGroup("depth_conv", depth.ToArray()));
        register_module("point_linear", new ModuleGroup("point_linear", ("conv", PointLinearConv), ("bn", PointLinearBn)));
    }

    public IEnumerable<IBatchNormLayer> BatchNorms => [InvertedBottleneckBn, DepthBn, PointLinearBn];

    public override Tensor forward(Tensor x)
    {
        InvertedBottleneckConv.ActiveOutChannels = Channels.Middle((int)x.shape[1], ActiveExpandRatio);
        var y = Activations.Apply(InvertedBottleneckBn.call(InvertedBottleneckConv.call(x)), Slot.Activation);
        y = DepthBn.call(DepthConv.call(y));
        y = Activations.Apply(y, Slot.Activation);
        if (Se is not null) y = Se.call(y);
        y = PointLinearBn.call(PointLinearConv.call(y));
        return Slot.HasResidual ? Plus(y, x) : y;
    }
}
