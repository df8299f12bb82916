namespace OfaBuild.Core.Tests.Accuracy;

public class ResidualCorrectionTests
{
    private static readonly SearchSpace Space = Presets.Get(Presets.FashionMnist);
    private static readonly ArchEncoder Encoder = ArchEncoder.For(Space);

    private static SubnetConfig[] Distinct(int n, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var set = new HashSet<SubnetConfig>();
        while (set.Count < n) set.Add(SubnetConfig.Sample(Space, rng.NextInt).Canonical(Space));
        return [.. set];
    }

    private static float Correction(ResidualCorrection c, SubnetConfig config)
    {
        var acc = new float[1];
        c.AddTo(Encoder, [config], acc);
        return acc[0];
    }

    /// <summary>The largest subnet with one kernel changed in an active slot: two one-hot features away.</summary>
    private static SubnetConfig Neighbour(SubnetConfig c) =>
        new(c.Ks.Select((k, i) => i == 0 ? Space.KernelSizes.First(x => x != k) : k).ToArray(), c.E, c.D, c.R);

    [Fact]
    public void Interpolates_a_spike_at_a_measured_subnet_and_decays_away_from_it()
    {
        var largest = SubnetConfig.Largest(Space);
        var configs = Distinct(60, 5).Where(c => !c.Equals(largest)).Append(largest).ToArray();
        var residuals = configs.Select(c => c.Equals(largest) ? 0.012 : 0.0).ToArray();
        var fit = ResidualCorrection.Fit(Encoder, configs, residuals, lengthScales: [1.5], noiseRatios: [1e-4]);

        Assert.Equal(0.012, Correction(fit.Correction, largest), 4);
        foreach (var c in configs.Take(10)) Assert.Equal(0.0, Correction(fit.Correction, c), 4);
        float near = Correction(fit.Correction, Neighbour(largest));
        Assert.InRange(near, 0.001f, 0.011f); // exp(-2 / 4.5) of the spike, give or take the other points
        var far = SubnetConfig.Uniform(Space, Space.KernelSizes[0], Space.ExpandRatios[0], Space.MaxDepth, Space.Resolutions[0]);
        Assert.InRange(Math.Abs(Correction(fit.Correction, far)), 0f, 1e-4f);

        // Applied by the predictor wherever it predicts.
        var mlp = AccuracyPredictor.CreateRandom(Encoder, 3, 0.9f, hidden: 16, layers: 2);
        var corrected = mlp.WithResidual(fit.Correction);
        Assert.Equal(mlp.Predict(largest) + 0.012f, corrected.Predict(largest), 4);
    }

    [Fact]
    public void Anchors_own_term_returns_their_excess_without_spreading_it()
    {
        // Random subnets on a smooth surface with noise; the largest and smallest sit 1.2 points above it.
        var largest = SubnetConfig.Largest(Space);
        var smallest = SubnetConfig.Smallest(Space, Space.Resolutions[0]);
        var configs = Distinct(120, 13).Where(c => !c.Equals(largest) && !c.Equals(smallest)).Append(largest).Append(smallest).ToArray();
        var rng = new Xoshiro256(21);
        var residuals = configs.Select(c => c.Equals(largest) || c.Equals(smallest) ? 0.012 : (rng.NextDouble() - 0.5) * 0.004).ToArray();
        bool IsAnchor(int i) => configs[i].Equals(largest) || configs[i].Equals(smallest);

        var smooth = ResidualCorrection.Fit(Encoder, configs, residuals, lengthScales: [6], noiseRatios: [0.3]);
        var own = ResidualCorrection.Fit(Encoder, configs, residuals, lengthScales: [6], noiseRatios: [0.3], isAnchor: IsAnchor);

        Assert.Equal(0, smooth.Correction.AnchorOwnRatio);
        Assert.True(own.Correction.AnchorOwnRatio > 0);
        Assert.InRange(Correction(own.Correction, largest), 0.0105f, 0.0125f);
        Assert.True(Correction(smooth.Correction, largest) < 0.009f, "without the own term the smooth kernel cannot return the spike");
        // The neighbour gets less of the anchor's excess than the smooth fit spreads to it.
        Assert.True(Correction(own.Correction, Neighbour(largest)) < Correction(smooth.Correction, Neighbour(largest)));

        // The own term is stored and read back.
        var p = AccuracyPredictor.CreateRandom(Encoder, 7, 0.88f, hidden: 16, layers: 2).WithResidual(own.Correction);
        var bytes = SafeTensors.Write(p.ToTensors(), p.Metadata);
        var q = AccuracyPredictor.FromTensors(SafeTensors.Read(bytes, "predictor.safetensors"), SafeTensors.ReadMetadata(bytes, "predictor.safetensors"));
        Assert.Equal(own.Correction.AnchorOwnRatio, q.Residual!.AnchorOwnRatio, 6);
        var probe = configs.Append(Neighbour(largest)).ToArray();
        Assert.Equal(p.PredictMany(probe), q.PredictMany(probe));
    }

    [Fact]
    public void Leave_one_out_error_equals_refitting_without_each_point()
    {
        var configs = Distinct(25, 8);
        var rng = new Xoshiro256(4);
        var residuals = configs.Select(_ => (rng.NextDouble() - 0.5) * 0.01).ToArray();
        var fit = ResidualCorrection.Fit(Encoder, configs, residuals, lengthScales: [2], noiseRatios: [0.1]);
        double s = 0;
        for (int i = 0; i < configs.Length; i++)
        {
            var others = ResidualCorrection.Fit(Encoder, configs.Where((_, j) => j != i).ToArray(),
                residuals.Where((_, j) => j != i).ToArray(), lengthScales: [2], noiseRatios: [0.1]);
            double e = residuals[i] - Correction(others.Correction, configs[i]);
            s += e * e;
        }
        Assert.Equal(Math.Sqrt(s / configs.Length) * 100, fit.LooRmsePoints, 4);
    }

    [Fact]
    public void Round_trips_through_the_predictor_file()
    {
        var configs = Distinct(30, 2);
        var rng = new Xoshiro256(6);
        var residuals = configs.Select(_ => (rng.NextDouble() - 0.5) * 0.02).ToArray();
        var fit = ResidualCorrection.Fit(Encoder, configs, residuals);
        var p = AccuracyPredictor.CreateRandom(Encoder, 7, 0.88f, hidden: 16, layers: 2).WithResidual(fit.Correction);

        var bytes = SafeTensors.Write(p.ToTensors(), p.Metadata);
        var q = AccuracyPredictor.FromTensors(SafeTensors.Read(bytes, "predictor.safetensors"), SafeTensors.ReadMetadata(bytes, "predictor.safetensors"));
        Assert.NotNull(q.Residual);
        Assert.Equal(fit.Correction.LengthScale, q.Residual!.LengthScale, 6);
        Assert.Equal(fit.Correction.NoiseRatio, q.Residual.NoiseRatio, 6);
        var probe = Distinct(40, 9).Concat(configs).ToArray();
        Assert.Equal(p.PredictMany(probe), q.PredictMany(probe));
    }

    [Fact]
    public void Absent_correction_is_the_mlp_alone()
    {
        var mlp = AccuracyPredictor.CreateRandom(Encoder, 7, 0.88f, hidden: 16, layers: 2);
        var tensors = mlp.ToTensors();
        Assert.DoesNotContain(tensors.Names, ResidualCorrection.IsTensor);
        var read = AccuracyPredictor.FromTensors(tensors, encoder: Encoder);
        Assert.Null(read.Residual);
        var probe = Distinct(20, 1);
        Assert.Equal(mlp.PredictMany(probe), read.PredictMany(probe));
        Assert.Equal(mlp.PredictMany(probe), mlp.WithResidual(null).PredictMany(probe));
    }

    [Fact]
    public void Trainer_fits_the_correction_on_its_training_rows_only_when_asked()
    {
        var configs = Distinct(50, 11);
        var data = configs.Select(c => (c, 0.85 + 0.01 * c.D.Sum() / (double)(Space.Stages.Count * Space.MaxDepth))).ToArray();
        var options = new PredictorTrainingOptions { Epochs = 3, Hidden = 16, Layers = 2, Seed = 1 };
        var plain = AccuracyPredictorTrainer.Train(Encoder, data, options);
        var corrected = AccuracyPredictorTrainer.Train(Encoder, data, options with { ResidualCorrection = true });
        Assert.Null(plain.Predictor.Residual);
        Assert.Null(plain.ResidualLooRmsePoints);
        Assert.Equal(corrected.TrainCount, corrected.Predictor.Residual!.Count);
        Assert.Equal(plain.HeldOutRmsePoints, corrected.Mlp.HeldOutRmsePoints); // same MLP, same seed
        // The posterior mean shrinks every training residual: the corrected fit on the training rows is no worse.
        Assert.True(corrected.TrainRmsePoints <= plain.TrainRmsePoints + 1e-4);
    }
}
