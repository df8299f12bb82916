using OfaBuild.Core.Extraction;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Space;
using OfaBuild.Training.Networks;
using static TorchSharp.torch;

namespace OfaBuild.Training.Tests;

/// <summary>The TorchSharp supernet and the pure-C# extraction + ONNX export agree on random subnets.</summary>
public class OnnxParityTests
{
    [Fact]
    public void Random_subnets_match_their_exported_ONNX()
    {
        var space = TestSpaces.ForTraining();
        using var net = NetworkOperationTests.RandomNet(space, 11);
        net.eval();
        var weights = net.ToTensorSet("random tiny supernet");
        var rng = new Random(5);
        for (int i = 0; i < 4; i++)
        {
            var cfg = SubnetConfig.Sample(space, rng);
            net.SetActiveSubnet(cfg);
            var input = Enumerable.Range(0, 2 * cfg.R * cfg.R).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            float[] ours;
            using (no_grad())
            using (NewDisposeScope())
                ours = net.call(tensor(input, [2, 1, cfg.R, cfg.R])).data<float>().ToArray();
            using var runner = new OnnxModelRunner(SubnetOnnxExporter.Export(SubnetExtractor.Extract(space, weights, cfg)));
            var onnx = runner.RunFirst(input, [2, 1, cfg.R, cfg.R]);
            for (int k = 0; k < ours.Length; k++)
                Assert.True(Math.Abs(ours[k] - onnx[k]) <= 1e-4f * Math.Max(1, Math.Abs(onnx[k])), $"{cfg}: logit {k}: {ours[k]} vs ONNX {onnx[k]}");
        }
    }
}
