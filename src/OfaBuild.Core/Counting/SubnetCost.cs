namespace OfaBuild.Core.Counting;

/// <summary>MACs and parameters of one layer of a subnet.</summary>
public sealed record LayerCost(string Name, long Macs, long Params);

/// <summary>
/// MACs and parameters of a subnet, counted the way the reference counts them (ofa/utils/flops_counter.py
/// profile on the extracted net, batch 1): convolutions out_h*out_w*Cout*Cin/groups*k*k, linear in*out;
/// BN, activations and pooling cost no MACs; parameters include BN scale/shift and biases.
/// Pure shape arithmetic: no weights needed.
/// </summary>
public static class SubnetCost
{
    public static long Macs(SearchSpace space, SubnetConfig config) => Layers(space, config).Sum(l => l.Macs);
    public static long Params(SearchSpace space, SubnetConfig config) => Layers(space, config).Sum(l => l.Params);

    /// <summary>Output side of a 'same'-padded convolution: floor((n + 2*(k/2) - k) / s) + 1.</summary>
    public static int OutSize(int n, int k, int stride) => (n + 2 * (k / 2) - k) / stride + 1;

    public static IReadOnlyList<LayerCost> Layers(SearchSpace space, SubnetConfig config)
    {
        config.Validate(space);
        var layers = new List<LayerCost>();
        int size = config.R;

        long Conv(int hw, int cin, int cout, int k, int groups) => (long)hw * hw * cout * (cin / groups) * k * k;
        long ConvParams(int cin, int cout, int k, int groups, bool bias) => (long)cout * (cin / groups) * k * k + (bias ? cout : 0);

        int c0 = space.FirstConvWidth, c1 = space.FirstBlockWidth;
        size = OutSize(size, 3, space.FirstConvStride);
        layers.Add(new("first_conv", Conv(size, space.InputChannels, c0, 3, 1), ConvParams(space.InputChannels, c0, 3, 1, false) + 2 * c0));
        layers.Add(new("blocks.0",
            Conv(size, c0, c0, 3, c0) + Conv(size, c0, c1, 1, 1),
            ConvParams(c0, c0, 3, c0, false) + 2 * c0 + ConvParams(c0, c1, 1, 1, false) + 2 * c1));

        foreach (var slot in space.Slots)
        {
            if (!config.IsActive(space, slot.Index)) continue;
            int k = config.Ks[slot.Index], mid = slot.MiddleChannels(config.E[slot.Index]);
            int inSize = size, outSize = OutSize(size, k, slot.Stride);
            long macs = Conv(inSize, slot.InChannels, mid, 1, 1) + Conv(outSize, mid, mid, k, mid) + Conv(outSize, mid, slot.OutChannels, 1, 1);
            long prm = ConvParams(slot.InChannels, mid, 1, 1, false) + 2 * mid
                     + ConvParams(mid, mid, k, mid, false) + 2 * mid
                     + ConvParams(mid, slot.OutChannels, 1, 1, false) + 2 * slot.OutChannels;
            if (slot.UseSe)
            {
                int se = Channels.SqueezeExcite(mid);
                macs += Conv(1, mid, se, 1, 1) + Conv(1, se, mid, 1, 1);
                prm += ConvParams(mid, se, 1, 1, true) + ConvParams(se, mid, 1, 1, true);
            }
            layers.Add(new($"blocks.{slot.Index + 1}", macs, prm));
            size = outSize;
        }

        int last = space.Stages[^1].Width, fe = space.FinalExpandWidth, fm = space.FeatureMixWidth;
        layers.Add(new("final_expand_layer", Conv(size, last, fe, 1, 1), ConvParams(last, fe, 1, 1, false) + 2 * fe));
        layers.Add(new("feature_mix_layer", Conv(1, fe, fm, 1, 1), ConvParams(fe, fm, 1, 1, false)));
        layers.Add(new("classifier", (long)fm * space.NumClasses, (long)fm * space.NumClasses + space.NumClasses));
        return layers;
    }
}
