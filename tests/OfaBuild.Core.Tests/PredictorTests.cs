using Xunit.Abstractions;

namespace OfaBuild.Core.Tests;

public class PredictorTests(ITestOutputHelper output)
{
    private static readonly SearchSpace W10 = Presets.Get(Presets.MobileNetV3W10);

    [Fact]
    public void Encoding_has_reference_length_and_one_hots()
    {
        var enc = ArchEncoder.For(W10);
        Assert.Equal(25 + 20 * (3 + 3), enc.Length);
        var c = new SubnetConfig(
            Enumerable.Repeat(5, 20).ToArray(), Enumerable.Repeat(4, 20).ToArray(), [2, 3, 4, 2, 3], 160);
        var row = enc.Encode(c);
        // resolution block: exactly one 1, at the index of 160
        Assert.Equal(1f, row[W10.Resolutions.ToList().IndexOf(160)]);
        Assert.Equal(1f, row[..25].Sum());
        int active = 2 + 3 + 4 + 2 + 3;
        var ks = row[25..(25 + 60)];
        var es = row[(25 + 60)..];
        Assert.Equal(active, ks.Sum());
        Assert.Equal(active, es.Sum());
        for (int slot = 0; slot < 20; slot++)
        {
            bool on = slot % 4 < c.D[slot / 4];
            Assert.Equal(on ? new[] { 0f, 1f, 0f } : new[] { 0f, 0f, 0f }, ks[(slot * 3)..(slot * 3 + 3)]);
            Assert.Equal(on ? new[] { 0f, 1f, 0f } : new[] { 0f, 0f, 0f }, es[(slot * 3)..(slot * 3 + 3)]);
        }
        // skipped slots do not change the encoding
        var other = new SubnetConfig(c.Ks.Select((k, i) => i % 4 >= c.D[i / 4] ? 7 : k).ToArray(), c.E, c.D, c.R);
        Assert.Equal(row, enc.Encode(other));
        Assert.Equal(enc.Describe(), ArchEncoder.Parse(enc.Describe()).Describe());
    }

    [Fact]
    public void Encoding_rejects_values_outside_the_space()
    {
        var enc = ArchEncoder.For(W10);
        var c = SubnetConfig.Uniform(W10, 3, 3, 2, 300);
        var ex = Assert.Throws<OfaException>(() => enc.Encode(c));
        Assert.Contains("300", ex.Message);
    }

    /// <summary>Synthetic accuracy: a fixed linear function of the encoding plus small noise.</summary>
    private static List<(SubnetConfig, double)> Synthetic(ArchEncoder enc, int n, ulong seed, double noise)
    {
        var rng = new Xoshiro256(seed);
        var wr = new Xoshiro256(12345);
        var w = Enumerable.Range(0, enc.Length).Select(_ => (wr.NextDouble() - 0.3) * 0.01).ToArray();
        var data = new List<(SubnetConfig, double)>();
        for (int i = 0; i < n; i++)
        {
            var c = SubnetConfig.Sample(W10, rng.NextInt);
            var x = enc.Encode(c);
            double acc = 0.6 + x.Select((v, j) => v * w[j]).Sum() + (rng.NextDouble() - 0.5) * 2 * noise;
            data.Add((c, acc));
        }
        return data;
    }

    [Fact]
    public void Predictor_learns_a_synthetic_function()
    {
        var enc = ArchEncoder.For(W10);
        var data = Synthetic(enc, 1500, 7, noise: 0.001);
        var actual = data.Select(d => d.Item2).ToArray();
        double spread = Math.Sqrt(actual.Select(a => (a - actual.Average()) * (a - actual.Average())).Average()) * 100;
        var report = AccuracyPredictorTrainer.Train(enc, data, new PredictorTrainingOptions { Epochs = 40, Seed = 3 });
        output.WriteLine($"held-out RMSE {report.HeldOutRmsePoints:F3} points (target spread {spread:F3}), Spearman {report.HeldOutSpearman:F4}, train RMSE {report.TrainRmsePoints:F3}");
        Assert.Equal(300, report.HeldOutCount);
        // the target's own spread is ~1.3 points; a useful fit is far below it
        Assert.True(report.HeldOutRmsePoints < 0.3 * spread, $"held-out RMSE {report.HeldOutRmsePoints:F3} points vs spread {spread:F3}");
        Assert.True(report.HeldOutSpearman > 0.9, $"Spearman {report.HeldOutSpearman:F3}");
        Assert.Equal(data.Average(d => d.Item2), report.Predictor.BaseAccuracy, 2); // mean of the training split
    }

    [Fact]
    public void Training_is_deterministic()
    {
        var enc = ArchEncoder.For(W10);
        var data = Synthetic(enc, 200, 1, 0.001);
        var o = new PredictorTrainingOptions { Epochs = 3, Seed = 9, Hidden = 64 };
        var a = AccuracyPredictorTrainer.Train(enc, data, o).Predictor;
        var b = AccuracyPredictorTrainer.Train(enc, data, o).Predictor;
        var configs = data.Select(d => d.Item1).ToArray();
        Assert.Equal(a.PredictMany(configs), b.PredictMany(configs));
    }

    [Fact]
    public void Sparse_batch_inference_equals_dense_encoded_inference()
    {
        var enc = ArchEncoder.For(W10);
        var p = AccuracyPredictor.CreateRandom(enc, 42, 0.7f);
        var rng = new Xoshiro256(5);
        var configs = Enumerable.Range(0, 37).Select(_ => SubnetConfig.Sample(W10, rng.NextInt)).ToArray();
        var sparse = p.PredictMany(configs);
        var rows = configs.SelectMany(enc.Encode).ToArray();
        var dense = new float[configs.Length];
        p.PredictEncoded(rows, configs.Length, dense);
        Assert.Equal(dense, sparse);
        Assert.Equal(sparse[3], p.Predict(configs[3]));
    }

    [Fact]
    public void Save_and_load_round_trip_gives_identical_predictions()
    {
        var enc = ArchEncoder.For(W10);
        var p = AccuracyPredictor.CreateRandom(enc, 11, 0.71f);
        var tensors = p.ToTensors("predictor.safetensors");
        Assert.Equal([400, 145], tensors["layers.0.0.weight"].Shape);
        Assert.Equal([1, 400], tensors["layers.3.weight"].Shape);
        Assert.Equal([1], tensors["base_acc"].Shape);
        Assert.Equal(8, tensors.Count);
        var q = AccuracyPredictor.FromTensors(tensors, p.Metadata);
        var rng = new Xoshiro256(2);
        var configs = Enumerable.Range(0, 50).Select(_ => SubnetConfig.Sample(W10, rng.NextInt)).ToArray();
        Assert.Equal(p.PredictMany(configs), q.PredictMany(configs));
        Assert.Equal(0.71f, q.BaseAccuracy);

        var ex = Assert.Throws<OfaFormatException>(() => AccuracyPredictor.FromTensors(tensors));
        Assert.Contains("ofa.encoding", ex.Message);
        var wrong = ArchEncoder.For(Presets.Get(Presets.FashionMnist));
        Assert.Throws<OfaFormatException>(() => AccuracyPredictor.FromTensors(tensors, encoder: wrong));
    }

    [Fact]
    public void Metrics_match_hand_computed_values()
    {
        Assert.Equal(Math.Sqrt((1 + 4) / 2.0), PredictorMetrics.Rmse([1, 2], [2, 4]), 12);
        Assert.Equal(1.0, PredictorMetrics.Spearman([1, 2, 3, 4], [10, 20, 30, 100]), 12);
        Assert.Equal(-1.0, PredictorMetrics.Spearman([1, 2, 3], [3, 2, 1]), 12);
        Assert.Equal([1.5, 1.5, 3], PredictorMetrics.Ranks([5, 5, 7]));
    }
}
