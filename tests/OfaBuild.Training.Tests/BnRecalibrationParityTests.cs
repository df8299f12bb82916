using OfaBuild.Core.Calibration;
using OfaBuild.Core.Extraction;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Space;
using OfaBuild.Training.Data;
using OfaBuild.Training.Shrinking;
using static TorchSharp.torch;

namespace OfaBuild.Training.Tests;

/// <summary>
/// The two implementations of the reference's set_running_statistics agree: <see cref="BnRecalibration"/>
/// (TorchSharp, on the supernet) and <see cref="BatchNormRecalibration"/> (ONNX Runtime, on the extracted subnet),
/// given the same supernet, subnet and calibration images.
/// </summary>
public class BnRecalibrationParityTests
{
    [Fact]
    public void TorchSharp_and_OnnxRuntime_recalibrations_give_the_same_statistics_and_logits()
    {
        const int batchSize = 16; // 16 + 16 + 8: the size-weighted average matters
        var data = SyntheticImages.Quadrants(40, 6);
        var batches = new BatchMaker(data, data.ComputeNormalization());
        var indices = Enumerable.Range(0, data.Count).ToArray();
        var space = TestSpaces.ForTraining();
        using var net = NetworkOperationTests.RandomNet(space, 21);
        var sampled = SubnetConfig.Sample(space, new Random(8));
        var cfg = new SubnetConfig(sampled.Ks, sampled.E, sampled.D, 12); // 16x16 images resized, as in training

        // The images BnRecalibration.Run feeds: its batches in order, augmented from one Random(Seed).
        var augment = new Random(BnRecalibration.Seed);
        var images = new List<float>();
        for (int start = 0; start < indices.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var (x, _) = batches.Make(indices.AsSpan(start, Math.Min(batchSize, indices.Length - start)), cfg.R, augment);
            images.AddRange(x.data<float>().ToArray());
        }

        var before = SubnetExtractor.Extract(space, net.ToTensorSet(), cfg);
        var onnx = BatchNormRecalibration.Recalibrate(before, images.ToArray(), data.Count, batchSize);
        net.SetActiveSubnet(cfg);
        BnRecalibration.Run(net, batches, indices, cfg.R, batchSize);
        var torch = SubnetExtractor.Extract(space, net.ToTensorSet(), cfg);

        // Statistics: both are float32 means over 40 x H x W values per channel, by different kernels; 1e-4 relative
        // is ~1000 float32 roundings, and far below the change recalibration makes (checked first).
        var (b0, o, t) = (before.BatchNorms().ToArray(), onnx.BatchNorms().ToArray(), torch.BatchNorms().ToArray());
        Assert.Equal(t.Select(l => l.Name), o.Select(l => l.Name));
        Assert.True(t.Length >= 10, $"only {t.Length} BN layers in the subnet");
        for (int i = 0; i < t.Length; i++)
        {
            Assert.True(MaxDiff(b0[i].Bn.Mean, t[i].Bn.Mean) > 1e-2, $"{t[i].Name}: recalibration left the mean unchanged");
            AssertClose(t[i].Bn.Mean, o[i].Bn.Mean, $"{t[i].Name} mean");
            AssertClose(t[i].Bn.Var, o[i].Bn.Var, $"{t[i].Name} var");
        }

        // Logits of the two recalibrated subnets (inference mode) on the calibration images.
        var input = images.Take(8 * cfg.R * cfg.R).ToArray();
        using var onnxRunner = new OnnxModelRunner(SubnetOnnxExporter.Export(onnx));
        using var torchRunner = new OnnxModelRunner(SubnetOnnxExporter.Export(torch));
        AssertClose(torchRunner.RunFirst(input, [8, 1, cfg.R, cfg.R]), onnxRunner.RunFirst(input, [8, 1, cfg.R, cfg.R]), "logits");
    }

    private static double MaxDiff(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-4 * Math.Max(1, Math.Abs(expected[k])),
                $"{what}[{k}]: TorchSharp {expected[k]}, ONNX Runtime {actual[k]}");
    }
}
