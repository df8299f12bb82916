using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OfaBuild.Training.Dynamic;

/// <summary>
/// Squeeze-excite over the active width (reference DynamicSE): x * h_sigmoid(expand(relu(reduce(mean_hw(x))))),
/// reduce W[:se, :C], expand W[:C, :se], se = make_divisible(C / 4) from the runtime width C.
/// Weights live under "fc.reduce" and "fc.expand".
/// </summary>
internal sealed class DynamicSE : nn.Module<Tensor, Tensor>
{
    // Kept in a tuple, not Module-typed fields, so TorchSharp does not register them a second time as "reduce"/"expand".
    private readonly (Conv2d Reduce, Conv2d Expand) fc;

    public Conv2d Reduce => fc.Reduce;
    public Conv2d Expand => fc.Expand;

    public DynamicSE(int maxChannels) : base(nameof(DynamicSE))
    {
        int se = Channels.SqueezeExcite(maxChannels);
        fc = (nn.Conv2d(maxChannels, se, 1, bias: true), nn.Conv2d(se, maxChannels, 1, bias: true));
        register_module("fc", new SeFc(fc.Reduce, fc.Expand));
    }

    public override Tensor forward(Tensor x)
    {
        int c = (int)x.shape[1];
        int se = Channels.SqueezeExcite(c);
        var y = x.mean([2, 3], keepdim: true);
        y = nn.functional.conv2d(y, DynamicConv2d.Slice(Reduce.weight!, se, c), Prefix(Reduce.bias!, se));
        y = nn.functional.relu(y);
        y = nn.functional.conv2d(y, DynamicConv2d.Slice(Expand.weight!, c, se), Prefix(Expand.bias!, c));
        return x * Activations.HSigmoid(y);
    }

    private static Tensor Prefix(Tensor t, int n) => t.shape[0] == n ? t : t.narrow(0, 0, n);

    /// <summary>Holds the two convs so their names are fc.reduce.* and fc.expand.*.</summary>
    private sealed class SeFc : nn.Module
    {
        public SeFc(Conv2d reduce, Conv2d expand) : base("fc")
        {
            register_module("reduce", reduce);
            register_module("expand", expand);
        }
    }
}
