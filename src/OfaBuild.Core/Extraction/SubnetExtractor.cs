using OfaBuild.Core.Tensors;

namespace OfaBuild.Core.Extraction;

/// <summary>
/// Supernet weights + config -> standalone subnet weights (reference get_active_subnet), pure C#:
/// prefix slices of the expand, SE and projection weights and of BN parameters and statistics,
/// the 7->5->3 kernel transforms, and the first d blocks of each stage.
/// </summary>
public static class SubnetExtractor
{
    public static Subnet Extract(SearchSpace space, TensorSet weights, SubnetConfig config)
    {
        config.Validate(space);
        var w = new WeightReader(weights);

        int c0 = space.FirstConvWidth, c1 = space.FirstBlockWidth;
        var firstConv = new ConvBn(
            new Conv(w.Full("first_conv.conv.weight"), c0, space.InputChannels, 3, space.FirstConvStride, 1),
            w.Bn("first_conv.bn", c0, c0));

        var blocks = new List<MBConv>
        {
            new("blocks.0", c0, c0, c1, 3, 1, space.FirstBlockActivation,
                InvertedBottleneck: null,
                DepthConv: new ConvBn(new Conv(w.Full("blocks.0.conv.depth_conv.conv.weight"), c0, c0, 3, 1, c0),
                    w.Bn("blocks.0.conv.depth_conv.bn", c0, c0)),
                Se: null,
                PointLinear: new ConvBn(new Conv(w.Full("blocks.0.conv.point_linear.conv.weight"), c1, c0, 1, 1, 1),
                    w.Bn("blocks.0.conv.point_linear.bn", c1, c1)),
                Residual: c0 == c1),
        };

        foreach (var slot in space.Slots)
            if (config.IsActive(space, slot.Index))
                blocks.Add(ExtractBlock(space, w, slot, config.Ks[slot.Index], config.E[slot.Index]));

        int last = space.Stages[^1].Width, fe = space.FinalExpandWidth, fm = space.FeatureMixWidth;
        return new Subnet(space, config.Canonical(space),
            firstConv,
            blocks,
            new ConvBn(new Conv(w.Full("final_expand_layer.conv.weight"), fe, last, 1, 1, 1), w.Bn("final_expand_layer.bn", fe, fe)),
            new Conv(w.Full("feature_mix_layer.conv.weight"), fm, fe, 1, 1, 1),
            w.Full("classifier.linear.weight"),
            w.Full("classifier.linear.bias"));
    }

    private static MBConv ExtractBlock(SearchSpace space, WeightReader w, BlockSlot slot, int k, int e)
    {
        string p = SupernetLayout.Block(slot.Index);
        int inC = slot.InChannels, outC = slot.OutChannels;
        int maxMid = slot.MiddleChannels(space.MaxExpand), mid = slot.MiddleChannels(e);
        int kMax = space.MaxKernel;

        var ib = new ConvBn(
            new Conv(w.Prefix($"{p}.inverted_bottleneck.conv.conv.weight", maxMid, inC, 1, mid, inC), mid, inC, 1, 1, 1),
            w.Bn($"{p}.inverted_bottleneck.bn.bn", maxMid, mid));

        var dwFull = w.Full($"{p}.depth_conv.conv.conv.weight");
        var dwWeight = KernelTransform.ActiveFilter(dwFull, mid, space.KernelSizes, k,
            (src, dst) => w.Full(SupernetLayout.KernelTransform(slot.Index, src, dst)));
        var dw = new ConvBn(new Conv(dwWeight, mid, mid, k, slot.Stride, mid), w.Bn($"{p}.depth_conv.bn.bn", maxMid, mid));

        SqueezeExcite? se = null;
        if (slot.UseSe)
        {
            int maxSe = Channels.SqueezeExcite(maxMid), seC = Channels.SqueezeExcite(mid);
            se = new SqueezeExcite(
                new Conv(w.Prefix($"{p}.depth_conv.se.fc.reduce.weight", maxSe, maxMid, 1, seC, mid), seC, mid, 1, 1, 1,
                    w.Prefix($"{p}.depth_conv.se.fc.reduce.bias", maxSe, 1, 1, seC, 1)),
                new Conv(w.Prefix($"{p}.depth_conv.se.fc.expand.weight", maxMid, maxSe, 1, mid, seC), mid, seC, 1, 1, 1,
                    w.Prefix($"{p}.depth_conv.se.fc.expand.bias", maxMid, 1, 1, mid, 1)));
        }

        var pl = new ConvBn(
            new Conv(w.Prefix($"{p}.point_linear.conv.conv.weight", outC, maxMid, 1, outC, mid), outC, mid, 1, 1, 1),
            w.Bn($"{p}.point_linear.bn.bn", outC, outC));

        return new MBConv($"blocks.{slot.Index + 1}", inC, mid, outC, k, slot.Stride, slot.Activation,
            ib, dw, se, pl, slot.HasResidual);
    }

    /// <summary>Reads F32 tensors and cuts prefixes; shapes were checked when the package was read.</summary>
    private sealed class WeightReader(TensorSet weights)
    {
        public float[] Full(string name) => weights[name].F32;

        /// <summary>
        /// w[:outKeep, :inKeep] of a tensor viewed as [outFull, inFull, inner] (inner = kh * kw, or 1).
        /// </summary>
        public float[] Prefix(string name, int outFull, int inFull, int inner, int outKeep, int inKeep)
        {
            var src = weights[name].F32;
            if (src.Length != outFull * inFull * inner)
                throw new OfaFormatException($"{weights.Source}: tensor '{name}' has {src.Length} values; expected {outFull * inFull * inner}.");
            if (outKeep == outFull && inKeep == inFull) return src; // shared, never mutated
            var dst = new float[outKeep * inKeep * inner];
            int row = inKeep * inner;
            for (int o = 0; o < outKeep; o++)
                Array.Copy(src, o * inFull * inner, dst, o * row, row);
            return dst;
        }

        public BatchNorm Bn(string prefix, int full, int keep) => new(
            Prefix($"{prefix}.weight", full, 1, 1, keep, 1),
            Prefix($"{prefix}.bias", full, 1, 1, keep, 1),
            Prefix($"{prefix}.running_mean", full, 1, 1, keep, 1),
            Prefix($"{prefix}.running_var", full, 1, 1, keep, 1));
    }
}
