using OfaBuild.Core.Import;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Latency;

namespace OfaBuild.Core.Tests.Tutorial;

/// <summary>The authors' acc_predictor.pth imported with its own input encoding, against what the reference predicts.</summary>
public class TutorialPredictorTests
{
    private static readonly Lazy<(Core.Tensors.TensorSet Tensors, PredictorInfo Info)> Imported =
        new(() => TutorialPredictorImporter.Import(Fixtures.Tutorial("acc_predictor.pth"), TutorialFixture.W12));

    private static AccuracyPredictor Predictor() =>
        AccuracyPredictor.FromTensors(Imported.Value.Tensors, encoder: ArchEncodings.For(Imported.Value.Info, TutorialFixture.W12));

    [Fact]
    public void Predicts_the_50_reference_points_to_1e5()
    {
        var points = TutorialFixture.Points();
        var predicted = Predictor().PredictMany(points.Select(p => p.Config).ToArray());
        for (int i = 0; i < points.Count; i++)
            Assert.Equal(points[i].Accuracy, predicted[i], 1e-5);
    }

    [Fact]
    public void Predicts_the_tutorial_subnet_as_the_notebook_printed()
    {
        var (config, acc, _) = TutorialFixture.Notebook();
        Assert.Equal(acc, Predictor().Predict(config), 1e-5);
    }

    [Fact]
    public void The_encoding_is_the_tutorials_and_is_recorded()
    {
        var info = Imported.Value.Info;
        Assert.StartsWith(TutorialArchEncoder.Scheme + ";", info.Encoding);
        Assert.Equal(128, info.InputSize);
        var enc = (TutorialArchEncoder)ArchEncodings.For(info, TutorialFixture.W12);
        // stage 1 at depth 2: slots 0, 1 active, 2, 3 zero; r 192 -> bucket (192 - 112) / 16 = 5.
        var c = new SubnetConfig(Enumerable.Repeat(5, 20).ToArray(), Enumerable.Repeat(6, 20).ToArray(), [2, 2, 2, 2, 2], 192);
        var row = enc.Encode(c);
        Assert.Equal(128, row.Length);
        Assert.Equal(1f, row[0 * 3 + 1]);
        Assert.Equal(0f, row[2 * 3 + 1]);
        Assert.Equal(1f, row[60 + 1 * 3 + 2]);
        Assert.Equal(1f, row[120 + 5]);
        Assert.Equal(21, row.Sum());
        Assert.Equal(enc.Describe(), ArchEncodings.Parse(enc.Describe()).Describe());
    }

    [Fact]
    public void Refuses_a_space_the_encoding_cannot_describe()
    {
        var e = Assert.Throws<OfaException>(() => TutorialPredictorImporter.Import(Fixtures.Tutorial("acc_predictor.pth"), Presets.Get(Presets.FashionMnist)));
        Assert.Contains("acc_predictor.pth", e.Message);
        Assert.Contains("--space mbv3-w1.2", e.Message);
    }
}
