using static TorchSharp.torch;

namespace OfaBuild.Training.Dynamic;

/// <summary>The reference's activations: h_swish = x * relu6(x + 3) / 6, h_sigmoid = relu6(x + 3) / 6 (libtorch's hardswish/hardsigmoid).</summary>
internal static class Activations
{
    public static Tensor Apply(Tensor x, Activation act) => act switch
    {
        Activation.Relu => nn.functional.relu(x),
        Activation.HSwish => nn.functional.hardswish(x),
        _ => throw new ArgumentOutOfRangeException(nameof(act)),
    };

    public static Tensor HSigmoid(Tensor x) => nn.functional.hardsigmoid(x);
}
