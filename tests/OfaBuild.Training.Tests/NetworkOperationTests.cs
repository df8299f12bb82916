using OfaBuild.Core.Space;
using OfaBuild.Core.Data;
using OfaBuild.Training.Data;
using OfaBuild.Training.Dynamic;
using OfaBuild.Training.Native;
using OfaBuild.Training.Networks;
using OfaBuild.Training.Shrinking;
using TorchSharp;
using static TorchSharp.torch;

namespace OfaBuild.Training.Tests;

public class NetworkOperationTests
{
    /// <summary>A supernet with non-trivial BN statistics and affine parameters, so permutations and recalibration have something to move.</summary>
    internal static OfaMobileNetV3 RandomNet(SearchSpace space, int seed)
    {
        torch.manual_seed(seed);
        var net = new OfaMobileNetV3(space, dropoutRate: 0);
        using var _ = no_grad();
        using var scope = NewDisposeScope(); // the random sources stay alive until copied (HeldScalars)
        foreach (var (name, t) in net.state_dict())
        {
            if (name.EndsWith("running_var", StringComparison.Ordinal)) t.copy_(HeldScalars.PlusInPlace(rand_like(t), 0.5));
            else if (name.EndsWith("running_mean", StringComparison.Ordinal) || name.EndsWith("bn.bias", StringComparison.Ordinal) || name.EndsWith(".bias", StringComparison.Ordinal)) t.copy_(HeldScalars.Times(randn_like(t), 0.1));
            else if (name.EndsWith("bn.weight", StringComparison.Ordinal)) t.copy_(HeldScalars.PlusInPlace(rand_like(t), 0.5));
        }
        return net;
    }

    [Fact]
    public void Channel_sorting_leaves_the_largest_net_unchanged()
    {
        var space = TestSpaces.ForTraining();
        using var net = RandomNet(space, 3);
        net.eval();
        using var scope = NewDisposeScope();
        var x = randn(4, 1, 16, 16);
        var before = net.call(x).detach().clone();
        var ibBefore = net.Blocks[0].InvertedBottleneckConv.Weight.detach().clone();
        ChannelSorting.ReorganizeMiddleWeights(net, 1);
        var after = net.call(x).detach();
        Assert.False(ibBefore.allclose(net.Blocks[0].InvertedBottleneckConv.Weight), "sorting permuted nothing");
        Assert.True(before.allclose(after, rtol: 1e-5, atol: 1e-5), $"max diff {(before - after).abs().max().item<float>()}");
        // The importance order holds within each width tier (stage 1 keeps channels past the e=4 width behind it).
        var importance = net.Blocks[0].PointLinearConv.Weight.abs().sum([0, 2, 3]);
        int w4 = Channels.Middle(space.Slots[0].InChannels, 4), w6 = (int)importance.shape[0];
        foreach (var (lo, hi) in new[] { (0, w4), (w4, w6) })
        {
            var tier = importance.narrow(0, lo, hi - lo);
            Assert.True((tier.narrow(0, 0, hi - lo - 1) - tier.narrow(0, 1, hi - lo - 1)).min().item<float>() >= -1e-6f, $"tier {lo}..{hi} is not sorted");
        }
    }

    [Fact]
    public void BN_recalibration_touches_only_the_running_statistics()
    {
        var space = TestSpaces.ForTraining();
        using var net = RandomNet(space, 4);
        var train = SyntheticImages.Quadrants(300, 2);
        var cfg = SubnetConfig.Smallest(space);
        net.SetActiveSubnet(cfg);
        var before = net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        BnRecalibration.Run(net, new BatchMaker(train, train.ComputeNormalization()), Enumerable.Range(0, 300).ToArray(), cfg.R, 100);
        int changedStats = 0;
        foreach (var (name, t) in net.state_dict())
        {
            bool same = before[name].equal(t).all().item<bool>();
            if (name.EndsWith("running_mean", StringComparison.Ordinal) || name.EndsWith("running_var", StringComparison.Ordinal)) { if (!same) changedStats++; }
            else Assert.True(same, $"{name} changed");
        }
        Assert.True(changedStats > 10, $"only {changedStats} running statistics changed");
        // Inactive slots (past the depth) keep their statistics.
        var deep = net.Blocks[space.MaxDepth - 1].DepthBn.Bn.running_mean!;
        Assert.True(before[$"blocks.{space.MaxDepth}.conv.depth_conv.bn.bn.running_mean"].equal(deep).all().item<bool>());
    }

    private static void Close(float expected, float actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-5f * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");

    [Fact]
    public void Kernel_transform_is_the_reference_formula()
    {
        // Hand-made 2-channel 7x7 weight and two non-identity matrices.
        using var scope = NewDisposeScope();
        var w = tensor(Enumerable.Range(0, 2 * 49).Select(i => W(i / 49, i % 49 / 7, i % 7)).ToArray(), [2, 1, 7, 7]);
        var m75 = tensor(Enumerable.Range(0, 625).Select(i => M75(i / 25, i % 25)).ToArray(), [25, 25]);
        var m53 = tensor(Enumerable.Range(0, 81).Select(i => M53(i / 9, i % 9)).ToArray(), [9, 9]);
        var mats = new Dictionary<int, TorchSharp.Modules.Parameter> { [5] = new(m75), [3] = new(m53) };
        var k3 = DynamicSeparableConv2d.KernelTransform(w, [3, 5, 7], 7, 3, mats);
        var k5 = DynamicSeparableConv2d.KernelTransform(w, [3, 5, 7], 7, 5, mats);

        float W(int c, int y, int x) => (c * 49 + y * 7 + x) / 10f;
        float M75(int i, int j) => (i == j ? 1 : 0) + (i * 25 + j) / 1000f;
        float M53(int i, int j) => (i == j ? 2 : 0) - (i * 9 + j) / 500f;
        for (int c = 0; c < 2; c++)
        {
            // 5x5: centre crop flattened, times M75 transposed: out[i] = sum_j crop[j] * M75[i, j]
            var t5 = new float[25];
            for (int i = 0; i < 25; i++)
                for (int j = 0; j < 25; j++) t5[i] += W(c, 1 + j / 5, 1 + j % 5) * M75(i, j);
            for (int i = 0; i < 25; i++)
                Close(t5[i], k5[c, 0, i / 5, i % 5].item<float>());
            // 3x3: centre of the transformed 5x5, times M53 transposed.
            for (int i = 0; i < 9; i++)
            {
                float v = 0;
                for (int j = 0; j < 9; j++) v += t5[(1 + j / 3) * 5 + 1 + j % 3] * M53(i, j);
                Close(v, k3[c, 0, i / 3, i % 3].item<float>());
            }
        }
    }
}
