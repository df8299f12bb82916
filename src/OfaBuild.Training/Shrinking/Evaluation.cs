using OfaBuild.Core.Data;
using OfaBuild.Training.Data;
using OfaBuild.Training.Networks;
using static TorchSharp.torch;

namespace OfaBuild.Training.Shrinking;

/// <summary>Top-1 accuracy of one subnet, after BN recalibration (what every evaluation and accuracy measurement uses).</summary>
public static class Evaluation
{
    /// <summary>
    /// Activates <paramref name="config"/>, recalibrates BN on the fixed calibration subset of <paramref name="train"/>
    /// at the config's resolution, and returns top-1 (a fraction) on the first <paramref name="maxImages"/> of <paramref name="test"/>.
    /// Changes the supernet's running statistics (only the active prefix), as the reference does.
    /// <paramref name="progress"/> hears the images run so far of all (the calibration images, then the test images), after each
    /// batch: at larger resolutions an evaluation runs for minutes, and <paramref name="cancel"/> stops it before any batch.
    /// </summary>
    public static double Top1(OfaMobileNetV3 net, SubnetConfig config, ImageDataset train, ImageDataset test, Normalization norm,
        int? maxImages = null, int calibrationImages = BnRecalibration.DefaultImages, int batchSize = 500, Action<(int Done, int Total)>? progress = null,
        CancellationToken cancel = default)
    {
        net.SetActiveSubnet(config);
        var calibration = BnRecalibration.CalibrationIndices(train.Count, calibrationImages);
        int total = calibration.Length + Evaluated(test, maxImages);
        BnRecalibration.Run(net, new BatchMaker(train, norm), calibration, config.R,
            progress: progress is null ? null : p => progress((p.Done, total)), cancel: cancel);
        return Top1NoRecalibration(net, config.R, test, norm, maxImages, batchSize,
            progress is null ? null : p => progress((calibration.Length + p.Done, total)), cancel);
    }

    /// <summary>The images of <paramref name="test"/> an evaluation runs: the first <paramref name="maxImages"/>, or all.</summary>
    private static int Evaluated(ImageDataset test, int? maxImages) => Math.Min(test.Count, maxImages ?? test.Count);

    /// <summary>
    /// Top-1 of the active subnet as it is (eval mode, running statistics); <paramref name="progress"/> and <paramref name="cancel"/>
    /// as <see cref="Top1"/>'s, test images only.
    /// </summary>
    public static double Top1NoRecalibration(OfaMobileNetV3 net, int resolution, ImageDataset test, Normalization norm, int? maxImages = null, int batchSize = 500,
        Action<(int Done, int Total)>? progress = null, CancellationToken cancel = default)
    {
        bool wasTraining = net.training;
        net.eval();
        try
        {
            using var _ = no_grad();
            var batches = new BatchMaker(test, norm);
            int n = Evaluated(test, maxImages);
            var idx = Enumerable.Range(0, n).ToArray();
            long correct = 0;
            for (int start = 0; start < n; start += batchSize)
            {
                cancel.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                int count = Math.Min(batchSize, n - start);
                var (x, y) = batches.Make(idx.AsSpan(start, count), resolution, null);
                correct += net.call(x).argmax(1).eq(y).sum().item<long>();
                progress?.Invoke((start + count, n));
            }
            return (double)correct / n;
        }
        finally
        {
            net.train(wasTraining);
        }
    }
}
