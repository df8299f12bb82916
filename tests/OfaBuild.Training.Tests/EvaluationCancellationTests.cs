using OfaBuild.Core.Space;
using OfaBuild.Training.Data;
using OfaBuild.Training.Shrinking;

namespace OfaBuild.Training.Tests;

/// <summary>
/// Ctrl-C stops an evaluation (BN recalibration, then top-1) before its next batch, as it stops a training step:
/// `ofa train`'s final evaluation runs for minutes at larger resolutions.
/// </summary>
public class EvaluationCancellationTests
{
    [Fact]
    public void A_cancelled_recalibration_stops_before_its_next_batch_and_leaves_the_statistics_as_they_were()
    {
        var data = SyntheticImages.Quadrants(40, 6);
        var space = TestSpaces.ForTraining();
        using var net = NetworkOperationTests.RandomNet(space, 21);
        var cfg = SubnetConfig.Largest(space);
        net.SetActiveSubnet(cfg);
        var before = net.ToTensorSet();
        using var cts = new CancellationTokenSource();
        int batches = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => BnRecalibration.Run(net, new BatchMaker(data, data.ComputeNormalization()),
            Enumerable.Range(0, data.Count).ToArray(), cfg.R, batchSize: 16, progress: _ => { batches++; cts.Cancel(); }, cancel: cts.Token));
        Assert.Equal(1, batches); // of 3
        var after = net.ToTensorSet();
        foreach (var (name, t) in before.Items)
            Assert.True(t.Bytes.SequenceEqual(after[name].Bytes), $"{name} changed");
    }

    [Fact]
    public void A_cancelled_evaluation_stops_before_its_next_batch_of_test_images()
    {
        var data = SyntheticImages.Quadrants(40, 6);
        var space = TestSpaces.ForTraining();
        using var net = NetworkOperationTests.RandomNet(space, 22);
        using var cts = new CancellationTokenSource();
        var heard = new List<int>();
        // Ctrl-C after the first batch of test images (the calibration's one batch of 40 before it).
        Assert.ThrowsAny<OperationCanceledException>(() => Evaluation.Top1(net, SubnetConfig.Largest(space), data, data, data.ComputeNormalization(),
            calibrationImages: 40, batchSize: 16, progress: p => { heard.Add(p.Done); if (p.Done > 40) cts.Cancel(); }, cancel: cts.Token));
        Assert.Equal([40, 56], heard); // of 40 + 16, 32, 40
    }
}
