using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OfaBuild.Training.Dynamic;

/// <summary>
/// Elastic-kernel depthwise convolution (reference DynamicSeparableConv2d). One weight of the largest
/// kernel; a smaller kernel is the centre crop of the next larger (transformed) kernel, flattened per
/// channel and multiplied by a learned matrix shared by all channels: "7to5_matrix" (25x25) and
/// "5to3_matrix" (9x9), initialised to the identity.
/// </summary>
internal sealed class DynamicSeparableConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly int stride;
    private readonly int[] kernelSizes;
    private readonly Dictionary<int, Parameter> transforms = new();

    public int ActiveKernelSize { get; set; }
    public Parameter Weight => conv.weight!;

    public DynamicSeparableConv2d(int maxChannels, IReadOnlyList<int> kernelSizes, int stride) : base(nameof(DynamicSeparableConv2d))
    {
        this.kernelSizes = kernelSizes.ToArray();
        int maxK = this.kernelSizes[^1];
        this.stride = stride;
        ActiveKernelSize = maxK;
        conv = nn.Conv2d(maxChannels, maxChannels, maxK, stride: stride, padding: maxK / 2, groups: maxChannels, bias: false);
        register_module("conv", conv);
        // Registration order follows SupernetLayout: 7to5 before 5to3.
        for (int i = this.kernelSizes.Length - 1; i > 0; i--)
        {
            int dst = this.kernelSizes[i - 1];
            var m = new Parameter(eye(dst * dst));
            transforms[dst] = m;
            register_parameter($"{this.kernelSizes[i]}to{dst}_matrix", m);
        }
    }

    public override Tensor forward(Tensor x)
    {
        int c = (int)x.shape[1];
        var filter = ActiveFilter(c, ActiveKernelSize);
        long pad = ActiveKernelSize / 2;
        return nn.functional.conv2d(x, filter, null, strides: [stride, stride], padding: [pad, pad], groups: c);
    }

    /// <summary>The reference's get_active_filter(in_channel, kernel_size).</summary>
    public Tensor ActiveFilter(int channels, int kernelSize)
    {
        var w = Weight.shape[0] == channels ? (Tensor)Weight : Weight.narrow(0, 0, channels);
        return KernelTransform(w, kernelSizes, kernelSizes[^1], kernelSize, transforms);
    }

    /// <summary>
    /// Pure form of the transform: from the largest kernel down to <paramref name="kernelSize"/>,
    /// crop the centre of the current kernel to the next size, view as [C, k*k], multiply by the matrix transposed.
    /// </summary>
    internal static Tensor KernelTransform(Tensor weight, int[] kernelSizes, int maxK, int kernelSize, IReadOnlyDictionary<int, Parameter> matrices)
    {
        var filter = weight;
        int c = (int)weight.shape[0];
        int current = maxK;
        for (int i = kernelSizes.Length - 1; i > 0 && current > kernelSize; i--)
        {
            int dst = kernelSizes[i - 1];
            int start = (current - dst) / 2;
            var crop = filter.narrow(2, start, dst).narrow(3, start, dst).contiguous().view(c, dst * dst);
            filter = nn.functional.linear(crop, matrices[dst]).view(c, 1, dst, dst);
            current = dst;
        }
        return filter;
    }
}
