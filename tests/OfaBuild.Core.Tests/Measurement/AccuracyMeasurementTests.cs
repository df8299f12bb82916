namespace OfaBuild.Core.Tests.Measurement;

public class AccuracyMeasurementTests
{
    private static ImageDataset Images(int n, int seed, int[]? labels = null)
    {
        var rng = new Random(seed);
        var pixels = new byte[n * 28 * 28];
        rng.NextBytes(pixels);
        return new ImageDataset(pixels, labels ?? new int[n], 1, 28, 28, ["a", "b", "c", "d"], $"random {seed}");
    }

    [Fact]
    public void Top1_counts_the_images_whose_arg_max_is_the_label()
    {
        var space = TestSpaces.ForExport() with { Resolutions = [20, 28] };
        var package = UntrainedPackage.Create(space, seed: 3, calibrationImages: 8);
        var calibration = Images(40, 1);
        var config = SubnetConfig.Sample(space, new Random(4));

        // Labels that agree with the subnet's own prediction on exactly half of the images.
        var probe = Images(12, 2);
        var predicted = new int[probe.Count];
        for (int k = 0; k < space.NumClasses; k++)
        {
            var all = new ImageDataset(probe.Pixels, Enumerable.Repeat(k, probe.Count).ToArray(), 1, 28, 28, probe.ClassNames, "probe");
            // An image is predicted as class k iff measuring it alone with label k gives 100 %.
            for (int i = 0; i < probe.Count; i++)
                if (new AccuracyMeasurement(package, calibration, all.Subset([i])).Top1(config) == 1.0) predicted[i] = k;
        }
        var labels = predicted.Select((p, i) => i % 2 == 0 ? p : (p + 1) % space.NumClasses).ToArray();
        var eval = new ImageDataset(probe.Pixels, labels, 1, 28, 28, probe.ClassNames, "half right");

        Assert.Equal(0.5, new AccuracyMeasurement(package, calibration, eval, batchSize: 7).Top1(config));
    }

    [Fact]
    public void Sampler_spreads_over_resolutions_and_extremes_without_repeats()
    {
        var space = Presets.Get(Presets.MobileNetV3W10);
        var configs = SubnetSampler.Spread(space, 200, seed: 1);
        Assert.Equal(200, configs.Count);
        Assert.Equal(200, configs.Distinct().Count());
        Assert.Contains(SubnetConfig.Largest(space), configs);
        Assert.Contains(SubnetConfig.Smallest(space), configs);
        Assert.Equal(configs, SubnetSampler.Spread(space, 200, seed: 1));
    }
}
