using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
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
        using var sa = Session(a, threads);
        using var sb = Session(b, threads);
        var data = ModelTimer.Input(inputShape);
        using var input = OrtValue.CreateTensorValueFromMemory(data, inputShape);
        using var run = new RunOptions();
        OrtValue[] values = [input];

        double Time(InferenceSession s)
        {
            long start = Stopwatch.GetTimestamp();
            using (s.Run(run, [s.InputNames[0]], values, [s.OutputNames[0]])) { }
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        for (int i = 0; i < warmup; i++) { Time(sa); Time(sb); }
        var (ta, tb, ratio) = (new double[runs], new double[runs], new double[runs]);
        for (int i = 0; i < runs; i++)
        {
            // Alternate which goes first, so neither always runs with warm caches from the other.
            if (i % 2 == 0) { ta[i] = Time(sa); tb[i] = Time(sb); }
            else { tb[i] = Time(sb); ta[i] = Time(sa); }
            ratio[i] = tb[i] / ta[i];
        }
        return new Result(Median(ta), Median(tb), Median(ratio), runs);
    }

    private static InferenceSession Session(byte[] model, int threads)
    {
        using var options = ModelTimer.Options(threads);
        return new InferenceSession(model, options);
    }

    private static double Median(double[] values)
    {
        var s = values.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
