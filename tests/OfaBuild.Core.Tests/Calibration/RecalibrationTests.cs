namespace OfaBuild.Core.Tests.Calibration;

public class RecalibrationTests
{
    private static readonly SearchSpace Space = TestSpaces.ForExport();

    [Fact]
    public void Recalibration_changes_only_running_statistics_and_averages_batches()
    {
        var subnet = SubnetExtractor.Extract(Space, RandomSupernet.Create(Space, 3), SubnetConfig.Sample(Space, new Random(2)));
        int c = Space.InputChannels, r = subnet.Resolution;
        var x = TestSubnets.RandomInput(12, c, r, 9);

        var whole = BatchNormRecalibration.Recalibrate(subnet, x, 12, batchSize: 12);
        var split = BatchNormRecalibration.Recalibrate(subnet, x, 12, batchSize: 4);

        var before = subnet.BatchNorms().ToArray();
        var after = whole.BatchNorms().ToArray();
        Assert.Equal(before.Length, after.Length);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i].Bn.Gamma, after[i].Bn.Gamma);
            Assert.Equal(before[i].Bn.Beta, after[i].Bn.Beta);
            Assert.NotEqual(before[i].Bn.Mean, after[i].Bn.Mean);
            Assert.All(after[i].Bn.Var, v => Assert.True(v >= 0));
        }
        // Weights are untouched.
        Assert.Same(subnet.ClassifierWeight, whole.ClassifierWeight);

        // First layer sees the raw input, so its mean over batches of 4 averages to the mean over all 12.
        var meanWhole = whole.BatchNorms().First().Bn.Mean;
        var meanSplit = split.BatchNorms().First().Bn.Mean;
        for (int i = 0; i < meanWhole.Length; i++) Assert.Equal(meanWhole[i], meanSplit[i], 4);
    }

    [Fact]
    public void Recalibrated_subnet_normalises_its_calibration_data()
    {
        // After recalibration on a batch, inference-mode output on that batch equals batch-statistics output.
        var subnet = SubnetExtractor.Extract(Space, RandomSupernet.Create(Space, 4), SubnetConfig.Largest(Space));
        int c = Space.InputChannels, r = subnet.Resolution;
        var x = TestSubnets.RandomInput(6, c, r, 1);
        var recalibrated = BatchNormRecalibration.Recalibrate(subnet, x, 6, batchSize: 6);
        using var train = new OnnxModelRunner(SubnetOnnxExporter.Export(subnet, BatchNormMode.Calibrate));
        using var infer = new OnnxModelRunner(SubnetOnnxExporter.Export(recalibrated));
        var expected = train.Run(x, [6, c, r, r], [SubnetOnnxExporter.OutputName]).Values.Single();
        var actual = infer.RunFirst(x, [6, c, r, r]);
        Close.All(expected, actual, 1e-4);
    }

    [Fact]
    public void Image_input_resizes_like_pytorch_bilinear_and_normalises()
    {
        // 2x2 -> 4x4 with align_corners=False: rows/cols at source positions -0.25(clamped 0), 0.25, 0.75, 1.25(clamped).
        byte[] img = [0, 100, 200, 255];
        var x = OfaBuild.Runtime.ImageInput.Prepare(img, 1, 1, 2, 2, 4, [0.0], [1.0]);
        Assert.Equal(0f, x[0], 5);
        Assert.Equal(25f / 255f, x[1], 5);  // 0.25 of the way from 0 to 100
        Assert.Equal(75f / 255f, x[2], 5);
        Assert.Equal(100f / 255f, x[3], 5);
        Assert.Equal(255f / 255f, x[15], 5);
        var same = OfaBuild.Runtime.ImageInput.Prepare(img, 1, 1, 2, 2, 2, [0.5], [0.25]);
        Assert.Equal((200 / 255.0 - 0.5) / 0.25, same[2], 4);
    }
}
