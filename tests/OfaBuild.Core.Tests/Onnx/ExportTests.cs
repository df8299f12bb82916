namespace OfaBuild.Core.Tests.Onnx;

public class ExportTests
{
    private static readonly SearchSpace Space = TestSpaces.ForExport();
    private static readonly OfaBuild.Core.Tensors.TensorSet Weights = RandomSupernet.Create(Space, 7);

    [Fact]
    public void Export_is_byte_identical_for_the_same_inputs()
    {
        var config = SubnetConfig.Sample(Space, new Random(3));
        var a = SubnetOnnxExporter.Export(SubnetExtractor.Extract(Space, Weights, config));
        var b = SubnetOnnxExporter.Export(SubnetExtractor.Extract(Space, Weights, config));
        Assert.Equal(a, b);
        var other = SubnetOnnxExporter.Export(SubnetExtractor.Extract(Space, Weights, SubnetConfig.Largest(Space)));
        Assert.NotEqual(a, other);
    }

    [Fact]
    public void Exported_model_runs_with_a_dynamic_batch_and_gives_per_sample_results()
    {
        var config = SubnetConfig.Largest(Space);
        using var runner = new OnnxModelRunner(SubnetOnnxExporter.Export(SubnetExtractor.Extract(Space, Weights, config)));
        int r = config.R, c = Space.InputChannels;
        var x = TestSubnets.RandomInput(3, c, r, 1);
        var batch = runner.RunFirst(x, [3, c, r, r]);
        Assert.Equal(3 * Space.NumClasses, batch.Length);
        var one = runner.RunFirst(x[(c * r * r)..(2 * c * r * r)], [1, c, r, r]);
        for (int k = 0; k < Space.NumClasses; k++)
            Assert.Equal(batch[Space.NumClasses + k], one[k], 4);
        Assert.Contains(batch, v => Math.Abs(v) > 1e-3); // not a constant network
    }

    [Fact]
    public void Calibrate_mode_reports_batch_statistics_that_folded_export_reproduces()
    {
        // Setting every BN's running statistics to the batch statistics must make the folded
        // (inference) export compute exactly what the batch-statistics graph computed.
        var config = SubnetConfig.Sample(Space, new Random(11));
        var subnet = SubnetExtractor.Extract(Space, Weights, config);
        int r = config.R, c = Space.InputChannels;
        var x = TestSubnets.RandomInput(8, c, r, 2);

        using var calib = new OnnxModelRunner(SubnetOnnxExporter.Export(subnet, BatchNormMode.Calibrate));
        var outs = calib.Run(x, [8, c, r, r]);
        var layers = SubnetOnnxExporter.BatchNormLayers(subnet);
        Assert.Equal(1 + 2 * layers.Count, outs.Count);

        var stats = layers.ToDictionary(l => l, l => (outs[$"bn_mean:{l}"], outs[$"bn_var:{l}"]));
        var recalibrated = WithStatistics(subnet, stats);
        using var folded = new OnnxModelRunner(SubnetOnnxExporter.Export(recalibrated));
        var logits = folded.RunFirst(x, [8, c, r, r]);
        var expected = outs[SubnetOnnxExporter.OutputName];
        Close.All(expected, logits, 1e-4);
    }

    private static Subnet WithStatistics(Subnet s, Dictionary<string, (float[] Mean, float[] Var)> stats) =>
        s.MapBatchNorms((name, bn) => bn with { Mean = stats[name].Mean, Var = stats[name].Var });
}
