namespace OfaBuild.Core.Tests.Refinement;

/// <summary>
/// The refinement loop on a small space (TestSpaces.ForExport) with a synthetic accuracy (no supernet is measured): it searches at budgets
/// over each device's range, adds the picks, retrains, and stops on agreement or after the last round.
/// </summary>
public class PredictorRefinementTests
{
    private static readonly SearchSpace Space = TestSpaces.ForExport();

    // Small and quick for a test; the command keeps the reference's 3x400 MLP and 100 x 500 evolution.
    private static readonly RefinementOptions Quick = new()
    {
        BudgetsPerDevice = 2,
        Training = new PredictorTrainingOptions { Hidden = 32, Epochs = 30, Seed = 1 },
        Search = new EvolutionOptions { Population = 16, Generations = 8, Seed = 1 },
    };

    /// <summary>A made-up top-1 that grows with depth, expand and resolution: what a measurement would return.</summary>
    private static double Truth(SubnetConfig c) => 0.80 + 0.01 * c.D.Sum() / c.D.Length + 0.002 * c.E.Average() + 0.001 * c.R;

    private static MeasuredSubnet[] Sample() =>
        SubnetSampler.Spread(Space, 40, seed: 2).Select(c => new MeasuredSubnet(c, Truth(c))).ToArray();

    private static IReadOnlyList<DeviceRange> Devices()
    {
        var manifest = UntrainedPackage.Create(Space, seed: 1, calibrationImages: 4).Manifest;
        return DeviceBudgets.Ranges(manifest, ["x64-avx2", "cortex-a53"]);
    }

    [Fact]
    public void Picks_predicted_within_the_noise_stop_the_loop_and_keep_the_predictor()
    {
        var measuredConfigs = new List<SubnetConfig>();
        // One evaluation image: the binomial noise is tens of points, so the first round agrees.
        var result = PredictorRefinement.Run(Space, Sample(), Devices(),
            configs => { measuredConfigs.AddRange(configs); return configs.Select(Truth).ToArray(); }, evaluationImages: 1, Quick with { MaxRounds = 3 });

        var round = Assert.Single(result.Record.Rounds);
        Assert.Equal("agreement", result.Record.Stopped);
        Assert.Null(round.Fit);
        Assert.Equal(4, round.Picks.Count); // 2 devices x 2 budgets
        Assert.Equal(measuredConfigs.Count, round.NewlyMeasured);
        Assert.All(round.Picks, p => Assert.True(p.LatencyMs <= p.BudgetMs, $"{p.Device}: {p.LatencyMs} ms over {p.BudgetMs} ms"));
        Assert.All(round.Picks, p => Assert.Equal(Truth(SubnetConfig.FromJson(p.Config)), p.Measured, 12));
        Assert.Equal(40 + round.NewlyMeasured, result.Measured.Count);
        Assert.All(result.Measured.Skip(40), m => Assert.Equal(1, m.Round));

        // The predictor that agreed is the random sample's, untouched.
        var plain = PredictorRefinement.TrainOnRandomSample(Space, result.Measured, Quick.Training).Predictor;
        var probe = SubnetConfig.Largest(Space);
        Assert.Equal(plain.Predict(probe), result.Predictor.Predictor.Predict(probe));
    }

    [Fact]
    public void Disagreeing_picks_are_added_and_retrained_on_until_the_last_round()
    {
        // Picks measure 5 points above the truth the sample taught: the predictor keeps disagreeing on 10^6 images.
        var result = PredictorRefinement.Run(Space, Sample(), Devices(),
            configs => configs.Select(c => Truth(c) + 0.05).ToArray(), evaluationImages: 1_000_000, Quick with { MaxRounds = 2 });

        var record = result.Record;
        Assert.Equal(40, record.RandomSubnets);
        Assert.Equal(2 * Space.Resolutions.Count, record.Anchors);
        Assert.True(record.Rounds.Count is 1 or 2);
        Assert.Equal(record.Rounds.Count == 2 ? "max-rounds" : "no-new-picks", record.Stopped);
        var first = record.Rounds[0];
        Assert.True(first.MeanAbsErrorPoints > first.NoisePoints);
        Assert.True(first.NewlyMeasured > 0);
        Assert.NotNull(first.Fit);
        Assert.Equal(40 + first.NewlyMeasured - first.Fit!.TestSamples, first.Fit.TrainSamples);

        // Every pick is in the data once: from the sample if it was in it (not measured again), else tagged with the
        // round that measured it; and the retrained predictor moved towards the picks.
        Assert.Equal(40 + record.Rounds.Sum(r => r.NewlyMeasured), result.Measured.Count);
        var sample = Sample().Select(m => m.Config.Canonical(Space)).ToHashSet();
        foreach (var pick in record.Rounds.SelectMany(r => r.Picks))
        {
            var config = SubnetConfig.FromJson(pick.Config).Canonical(Space);
            var row = Assert.Single(result.Measured, m => m.Config.Equals(config));
            Assert.Equal(sample.Contains(config) ? 0 : 1, Math.Min(row.Round, 1));
        }
        Assert.Contains(result.Measured, m => m.Round == 1);
        var plain = PredictorRefinement.TrainOnRandomSample(Space, result.Measured, Quick.Training).Predictor;
        var picked = SubnetConfig.FromJson(first.Picks[0].Config);
        Assert.True(result.Predictor.Predictor.Predict(picked) > plain.Predict(picked) + 0.01,
            $"refined {result.Predictor.Predictor.Predict(picked)} vs random-sample {plain.Predict(picked)} for a subnet measured {first.Picks[0].Measured}");
    }

    [Fact]
    public void Picks_found_in_the_reused_file_are_trained_on_but_not_counted_as_measured_for_the_first_time()
    {
        // `ofa measure --reuse` after a run with a round: the same sample and settings pick the same subnets, all of them in
        // the file. Before, they were counted (log and NewlyMeasured) as measured for the first time, though none was measured.
        Func<IReadOnlyList<SubnetConfig>, IReadOnlyList<double>> shifted = configs => configs.Select(c => Truth(c) + 0.05).ToArray();
        var options = Quick with { MaxRounds = 1 };
        var earlier = PredictorRefinement.Run(Space, Sample(), Devices(), shifted, evaluationImages: 1_000_000, options);
        int earlierPicks = earlier.Record.Rounds[0].NewlyMeasured;
        Assert.True(earlierPicks > 0);
        var file = earlier.Measured.ToDictionary(m => m.Config.Canonical(Space), m => m.Top1);

        var measured = new List<SubnetConfig>();
        var log = new List<string>();
        var reused = PredictorRefinement.Run(Space, Sample(), Devices(),
            configs => { measured.AddRange(configs); return shifted(configs); }, evaluationImages: 1_000_000, options, log.Add, measuredBefore: file);

        var round = Assert.Single(reused.Record.Rounds);
        Assert.Empty(measured);
        Assert.Equal(0, round.NewlyMeasured);
        Assert.Contains(log, l => l.Contains($", 0 measured for the first time, {earlierPicks} new to the predictor from the measured file;", StringComparison.Ordinal));
        // New to the predictor all the same: trained on (not "no-new-picks"), as in the earlier run.
        Assert.NotNull(round.Fit);
        Assert.Equal("max-rounds", reused.Record.Stopped);
        Assert.Equal(earlier.Measured.Count, reused.Measured.Count);
        Assert.Equal(earlier.Record.Rounds[0].Fit, round.Fit);
    }

    [Fact]
    public void The_record_travels_in_the_package_manifest()
    {
        var result = PredictorRefinement.Run(Space, Sample(), Devices(),
            configs => configs.Select(Truth).ToArray(), evaluationImages: 1, Quick with { MaxRounds = 1 });
        var package = UntrainedPackage.Create(Space, seed: 1, calibrationImages: 4);
        var report = result.Predictor;
        var info = new PredictorInfo { Kind = "mlp", Evaluation = "first 1 of the 1 holdout images of test", Refinement = result.Record };
        var written = new OfaPackage(package.Manifest with { Predictor = info }, package.Weights, report.Predictor.ToTensors(), package.Calibration);

        var read = OfaPackage.Read(new MemoryStream(written.ToBytes()), "refined.ofa");
        var r = read.Manifest.Predictor!.Refinement!;
        Assert.Equal(result.Record.Stopped, r.Stopped);
        Assert.Equal(result.Record.RandomSampleFit, r.RandomSampleFit);
        Assert.Equal(result.Record.Rounds[0].Picks, r.Rounds[0].Picks);
        Assert.Equal("first 1 of the 1 holdout images of test", read.Manifest.Predictor.Evaluation);
    }

    [Fact]
    public void Anchors_and_picks_are_always_trained_on()
    {
        var sample = Sample().ToList();
        sample.Add(new MeasuredSubnet(SubnetConfig.Sample(Space, new Random(9)), 0.9, Round: 1));
        var report = PredictorRefinement.Train(Space, sample, Quick.Training);
        // 20 % of the 40 - anchors random subnets are held out; anchors and the round-1 pick are never.
        int eligible = 40 - 2 * Space.Resolutions.Count;
        Assert.Equal((int)Math.Round(eligible * 0.2), report.HeldOutCount);
        Assert.Equal(sample.Count - report.HeldOutCount, report.TrainCount);
    }
}
