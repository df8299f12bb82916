using OfaBuild.Training.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static OfaBuild.Training.Native.HeldScalars;

namespace OfaBuild.Training.Shrinking;

/// <summary>
/// The reference's re_organize_middle_weights: per block, sort the middle channels by importance (L1 norm of
/// the projection weights per input channel) so narrower subnets keep the most important ones. At stage
/// <c>s &gt; 0</c> channels beyond each smaller target width are pushed back by -k*1e5 so that wider tiers stay
/// behind narrower ones. A permutation of hidden channels: the largest subnet computes the same function.
/// </summary>
public static class ChannelSorting
{
    public static void ReorganizeMiddleWeights(OfaMobileNetV3 net, int expandRatioStage)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope(); // holds every temporary until the permutations are done (HeldScalars)
        foreach (var block in net.Blocks) Reorganize(net.Space, block, expandRatioStage);
    }

    private static void Reorganize(SearchSpace space, DynamicMBConvLayer block, int stage)
    {
        var importance = block.PointLinearConv.Weight.abs().sum([0, 2, 3]);
        if (stage > 0)
        {
            var targets = space.ExpandRatios.OrderByDescending(e => e).Select(e => Channels.Middle(block.Slot.InChannels, e)).ToArray();
            long right = importance.shape[0];
            double @base = -targets.Length * 1e5;
            for (int i = 0; i <= stage && i < targets.Length; i++)
            {
                int left = targets[i];
                if (right > left) PlusInPlace(importance.narrow(0, left, right - left), @base);
                @base += 1e5;
                right = left;
            }
        }
        var (_, idx) = importance.sort(0, descending: true);

        Permute(block.PointLinearConv.Weight, 1, idx);
        PermuteBn(block.DepthBn.Bn, idx);
        Permute(block.DepthConv.Weight, 0, idx);
        if (block.Se is { } se)
        {
            Permute(se.Expand.weight!, 0, idx);
            Permute(se.Expand.bias!, 0, idx);
            Permute(se.Reduce.weight!, 1, idx);
            var seImportance = se.Expand.weight!.abs().sum([0, 2, 3]);
            var (_, seIdx) = seImportance.sort(0, descending: true);
            Permute(se.Expand.weight!, 1, seIdx);
            Permute(se.Reduce.weight!, 0, seIdx);
            Permute(se.Reduce.bias!, 0, seIdx);
        }
        PermuteBn(block.InvertedBottleneckBn.Bn, idx);
        Permute(block.InvertedBottleneckConv.Weight, 0, idx);
    }

    private static void Permute(Tensor t, int dim, Tensor idx) => t.copy_(t.index_select(dim, idx));

    /// <summary>adjust_bn_according_to_idx: weight, bias, running mean and variance.</summary>
    private static void PermuteBn(BatchNorm2d bn, Tensor idx)
    {
        Permute(bn.weight!, 0, idx);
        Permute(bn.bias!, 0, idx);
        Permute(bn.running_mean!, 0, idx);
        Permute(bn.running_var!, 0, idx);
    }
}
