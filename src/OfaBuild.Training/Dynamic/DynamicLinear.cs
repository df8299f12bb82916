using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OfaBuild.Training.Dynamic;

/// <summary>Linear layer whose active part is W[:out, :in], b[:out] (reference DynamicLinear); weights under "linear".</summary>
internal sealed class DynamicLinear : nn.Module<Tensor, Tensor>
{
    private readonly Linear linear;

    public int ActiveOutFeatures { get; set; }
    public Linear Linear => linear;

    public DynamicLinear(int maxIn, int maxOut) : base(nameof(DynamicLinear))
    {
        linear = nn.Linear(maxIn, maxOut, hasBias: true);
        ActiveOutFeatures = maxOut;
        register_module("linear", linear);
    }

    public override Tensor forward(Tensor x)
    {
        int inF = (int)x.shape[1];
        var w = DynamicConv2d.Slice(linear.weight!, ActiveOutFeatures, inF);
        var b = linear.bias!.shape[0] == ActiveOutFeatures ? (Tensor)linear.bias! : linear.bias!.narrow(0, 0, ActiveOutFeatures);
        return nn.functional.linear(x, w, b);
    }
}
