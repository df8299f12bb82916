using OfaBuild.Core.Data;
using OfaBuild.Training.Data;
using OfaBuild.Training.Dynamic;
using OfaBuild.Training.Networks;
using static TorchSharp.torch;

namespace OfaBuild.Training.Shrinking;

/// <summary>
/// The reference's set_running_statistics: run the active subnet over calibration images with every BN
/// normalising by the batch's own statistics, average the per-batch mean and (biased) variance weighted by
/// batch size, and write them into the prefix of the running statistics. Nothing else changes.
/// </summary>
public static class BnRecalibration
{
    public const int DefaultImages = CalibrationSubset.DefaultImages, DefaultBatch = 200, Seed = CalibrationSubset.Seed;

    /// <summary>The calibration images: a fixed random subset of the training set (the reference's seed).</summary>
    public static int[] CalibrationIndices(int datasetCount, int images = DefaultImages) => CalibrationSubset.Indices(datasetCount, images);

    /// <summary>
    /// Recalibrates the net's active subnet at <paramref name="resolution"/> on <paramref name="indices"/> of <paramref name="batches"/>;
    /// <paramref name="progress"/> hears the images run so far of all, after each batch; <paramref name="cancel"/> stops it before
    /// any batch, leaving the running statistics as they were.
    /// </summary>
    public static void Run(OfaMobileNetV3 net, BatchMaker batches, IReadOnlyList<int> indices, int resolution, int batchSize = DefaultBatch,
        Action<(int Done, int Total)>? progress = null, CancellationToken cancel = default)
    {
        var layers = net.BatchNorms.ToArray();
        bool wasTraining = net.training;
        foreach (var l in layers) l.Recalibration = new BnStatistics();
        try
        {
            net.eval(); // dropout off; the BNs use batch statistics while Recalibration is set
            using var _ = no_grad();
            // The reference uses the training augmentation with a fixed seed; here a fixed seed too.
            var augment = new Random(Seed);
            var idx = indices.ToArray();
            for (int start = 0; start < idx.Length; start += batchSize)
            {
                cancel.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                int n = Math.Min(batchSize, idx.Length - start);
                var (x, _) = batches.Make(idx.AsSpan(start, n), resolution, augment);
                net.call(x);
                progress?.Invoke((start + n, idx.Length));
            }
            foreach (var l in layers)
            {
                if (l.Recalibration!.Result is not { } r) continue; // layer not in the active subnet
                int c = (int)r.Mean.shape[0];
                l.Bn.running_mean!.narrow(0, 0, c).copy_(r.Mean);
                l.Bn.running_var!.narrow(0, 0, c).copy_(r.Var);
            }
        }
        finally
        {
            foreach (var l in layers) l.Recalibration = null;
            net.train(wasTraining);
        }
    }
}
