using System.Globalization;
using OfaBuild.Core;
using OfaBuild.Core.Tensors;
using Tensor = TorchSharp.torch.Tensor;
using CoreTensor = OfaBuild.Core.Tensors.Tensor;
using OfaBuild.Training.Dynamic;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static OfaBuild.Training.Native.HeldScalars;

namespace OfaBuild.Training.Networks;

/// <summary>
/// The dynamic OFA-MobileNetV3 supernet (reference OFAMobileNetV3). Parameter and buffer names equal
/// <see cref="SupernetLayout.Tensors"/>, so <see cref="ToTensorSet"/> / <see cref="Load"/> map 1:1 onto
/// the weights of a .ofa package. The active subnet is chosen with <see cref="SetActiveSubnet"/>;
/// the input resolution is whatever the input tensor has.
/// </summary>
public sealed class OfaMobileNetV3 : nn.Module<Tensor, Tensor>
{
    // Children live in a plain object: TorchSharp would register Module-typed fields under their field names.
    private sealed class Parts
    {
        public required ConvLayer FirstConv, FirstBlockDepth, FirstBlockPoint, FinalExpand, FeatureMix;
        public required DynamicMBConvLayer[] Blocks;
        public required DynamicLinear Classifier;
    }
    private readonly Parts p;
    private ConvLayer firstConv => p.FirstConv;
    private ConvLayer firstBlockDepth => p.FirstBlockDepth;
    private ConvLayer firstBlockPoint => p.FirstBlockPoint;
    private ConvLayer finalExpand => p.FinalExpand;
    private ConvLayer featureMix => p.FeatureMix;
    private DynamicMBConvLayer[] blocks => p.Blocks;
    private DynamicLinear classifier => p.Classifier;
    private readonly double dropoutRate;
    private readonly bool firstBlockResidual;

    public SearchSpace Space { get; }
    public SubnetConfig Active { get; private set; }

    internal IReadOnlyList<DynamicMBConvLayer> Blocks => blocks;

    public OfaMobileNetV3(SearchSpace space, double dropoutRate = 0.1) : base(nameof(OfaMobileNetV3))
    {
        space.Validate();
        Space = space;
        p = new Parts
        {
            FirstConv = new ConvLayer(space.InputChannels, space.FirstConvWidth, 3, space.FirstConvStride, true, Activation.HSwish),
            FirstBlockDepth = new ConvLayer(space.FirstConvWidth, space.FirstConvWidth, 3, 1, true, space.FirstBlockActivation, depthwise: true),
            FirstBlockPoint = new ConvLayer(space.FirstConvWidth, space.FirstBlockWidth, 1, 1, true, null),
            Blocks = space.Slots.Select(s => new DynamicMBConvLayer(space, s)).ToArray(),
            FinalExpand = new ConvLayer(space.Stages[^1].Width, space.FinalExpandWidth, 1, 1, true, Activation.HSwish),
            FeatureMix = new ConvLayer(space.FinalExpandWidth, space.FeatureMixWidth, 1, 1, false, Activation.HSwish),
            Classifier = new DynamicLinear(space.FeatureMixWidth, space.NumClasses),
        };
        firstBlockResidual = space.FirstConvWidth == space.FirstBlockWidth;
        this.dropoutRate = dropoutRate;

        register_module("first_conv", firstConv);
        var blockList = new List<nn.Module>
        {
            new ModuleGroup("block", ("conv", new ModuleGroup("conv", ("depth_conv", firstBlockDepth), ("point_linear", firstBlockPoint)))),
        };
        blockList.AddRange(blocks.Select(b => new ModuleGroup("block", ("conv", b))));
        register_module("blocks", new ModuleGroup("blocks", blockList.Select((m, i) => (i.ToString(CultureInfo.InvariantCulture), m)).ToArray()));
        register_module("final_expand_layer", finalExpand);
        register_module("feature_mix_layer", featureMix);
        register_module("classifier", classifier);
        InitWeights();
        Active = SubnetConfig.Largest(space);
    }

    /// <summary>The reference's init_models("he_fout"): conv N(0, sqrt(2 / (k*k*out))), BN 1/0, linear U(+-1/sqrt(in)), bias 0.</summary>
    private void InitWeights()
    {
        using var _ = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith("_matrix", StringComparison.Ordinal)) continue; // identity, set by DynamicSeparableConv2d
            if (p.dim() == 4)
            {
                long n = p.shape[0] * p.shape[2] * p.shape[3];
                if (name.Contains(".se.")) n = p.shape[0] * p.shape[2] * p.shape[3];
                p.normal_(0, Math.Sqrt(2.0 / n));
            }
            else if (name.StartsWith("classifier", StringComparison.Ordinal) && p.dim() == 2)
            {
                double b = 1.0 / Math.Sqrt(p.shape[1]);
                p.uniform_(-b, b);
            }
            else if (name.EndsWith("bn.weight", StringComparison.Ordinal)) FillInPlace(p, 1);
            else p.zero_();
        }
    }

    /// <summary>Every BN in the network, fixed and elastic.</summary>
    internal IEnumerable<IBatchNormLayer> BatchNorms =>
        new IBatchNormLayer[] { firstConv, firstBlockDepth, firstBlockPoint }
            .Concat(blocks.SelectMany(b => b.BatchNorms))
            .Append(finalExpand);

    /// <summary>
    /// The same NCHW tensor stored pixel by pixel (NHWC strides). libtorch's CPU convolutions and batch norm keep
    /// that layout through the network and run much faster on it (train step 1835 -> 1056 ms on mbv3-w1.0, r128).
    /// TorchSharp has no memory_format argument, so the layout comes from a permuted copy.
    /// </summary>
    internal static Tensor ChannelsLast(Tensor x) =>
        x.dim() != 4 || x.stride(1) == 1 ? x : x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    /// <summary>Chooses the subnet that <see cref="forward"/> runs (the reference's set_active_subnet).</summary>
    public void SetActiveSubnet(SubnetConfig config)
    {
        config.Validate(Space);
        for (int i = 0; i < blocks.Length; i++)
        {
            if (!config.IsActive(Space, i)) continue;
            blocks[i].ActiveKernelSize = config.Ks[i];
            blocks[i].ActiveExpandRatio = config.E[i];
        }
        Active = config;
    }

    public override Tensor forward(Tensor x)
    {
        x = ChannelsLast(firstConv.call(ChannelsLast(x))); // the second call matters when the input has one channel
        var y = firstBlockPoint.call(firstBlockDepth.call(x));
        x = firstBlockResidual ? Plus(y, x) : y;
        int maxDepth = Space.MaxDepth;
        for (int s = 0; s < Space.Stages.Count; s++)
            for (int j = 0; j < Active.D[s]; j++)
                x = blocks[s * maxDepth + j].call(x);
        x = finalExpand.call(x);
        x = x.mean([2, 3], keepdim: true);
        x = featureMix.call(x);
        x = x.flatten(1);
        // Functional, so it follows this module's train/eval flag (reference: LinearLayer's dropout before the linear).
        if (dropoutRate > 0) x = nn.functional.dropout(x, dropoutRate, training);
        return classifier.call(x);
    }

    /// <summary>Parameters and running statistics under the reference's names (num_batches_tracked dropped), copied to CPU floats.</summary>
    public TensorSet ToTensorSet(string source = "supernet")
    {
        var set = new TensorSet(source);
        using var scope = NewDisposeScope(); // holds the copies until they are read (HeldScalars)
        foreach (var (name, t) in state_dict())
        {
            if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) continue;
            var cpu = t.detach().cpu().contiguous();
            set.Add(name, CoreTensor.FromFloats(cpu.shape.Select(d => (int)d).ToArray(), cpu.data<float>().ToArray()));
        }
        return set;
    }

    /// <summary>Loads a supernet's weights (checked against the space first: every tensor, shape and value).</summary>
    public void Load(TensorSet weights)
    {
        SupernetLayout.Check(Space, weights);
        using var _ = no_grad();
        using var scope = NewDisposeScope(); // holds each source tensor until it is copied (HeldScalars)
        foreach (var (name, t) in state_dict())
        {
            if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) continue;
            var src = weights[name].F32;
            t.copy_(tensor(src, t.shape));
        }
    }
}
