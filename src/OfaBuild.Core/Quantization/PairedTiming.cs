using OfaBuild.Core.Latency.Profiling;

namespace OfaBuild.Core.Quantization;

/// <summary>Median latencies of two models timed alternately on one input (batch 1), so machine load hits both alike.</summary>
public static class PairedTiming
{
    public readonly record struct Result(double MedianMsA, double MedianMsB, double MedianRatio, int Runs)
    {
        /// <summary>MedianMsB / MedianMsA.</summary>
        public double RatioOfMedians => MedianMsB / MedianMsA;
    }

    public static Result Measure(byte[] a, byte[] b, long[] inputShape, int runs, int threads = 1, int warmup = 10)
    {
        using var ra = new ModelRunner(a, inputShape, threads);
        using var rb = new ModelRunner(b, inputShape, threads);
        return Measure(ra, rb, runs, warmup);
    }

    /// <summary>Two sessions ready to run (two models, or one model with and without ONNX Runtime's profiler), timed alike.</summary>
    public static Result Measure(ModelRunner ra, ModelRunner rb, int runs, int warmup = 10)
    {
        for (int i = 0; i < warmup; i++) { ra.Run(); rb.Run(); }
        var (ta, tb, ratio) = (new double[runs], new double[runs], new double[runs]);
        for (int i = 0; i < runs; i++)
        {
            // Alternate which goes first, so neither always runs with warm caches from the other.
            if (i % 2 == 0) { ta[i] = ra.Run(); tb[i] = rb.Run(); }
            else { tb[i] = rb.Run(); ta[i] = ra.Run(); }
            ratio[i] = tb[i] / ta[i];
        }
        return new Result(Median(ta), Median(tb), Median(ratio), runs);
    }

    private static double Median(double[] values) => ModelTimer.Timing.Of(values).MedianMs;
}
