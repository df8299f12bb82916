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
    /// </summary>
    public static double Top1(OfaMobileNetV3 net, SubnetConfig config, ImageDataset train, ImageDataset test, Normalization norm,
        int? maxImages = null, int calibrationImages = BnRecalibration.DefaultImages, int batchSize = 500)
    {
        net.SetActiveSubnet(config);
        BnRecalibration.Run(net, new BatchMaker(train, norm), BnRecalibration.CalibrationIndices(train.Count, calibrationImages), config.R);
        return Top1NoRecalibration(net, config.R, test, norm, maxImages, batchSize);
    }

    /// <summary>Top-1 of the active subnet as it is (eval mode, running statistics).</summary>
    public static double Top1NoRecalibration(OfaMobileNetV3 net, int resolution, ImageDataset test, Normalization norm, int? maxImages = null, int batchSize = 500)
    {
        bool wasTraining = net.training;
        net.eval();
        try
        {
            using var _ = no_grad();
            var batches = new BatchMaker(test, norm);
            int n = Math.Min(test.Count, maxImages ?? test.Count);
            var idx = Enumerable.Range(0, n).ToArray();
            long correct = 0;
            for (int start = 0; start < n; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var (x, y) = batches.Make(idx.AsSpan(start, Math.Min(batchSize, n - start)), resolution, null);
                correct += net.call(x).argmax(1).eq(y).sum().item<long>();
            }
            return (double)correct / n;
        }
        finally
        {
            net.train(wasTraining);
        }
    }
}
