using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace OfaBuild.Core.Latency.Profiling;

/// <summary>Times single-input float models in ONNX Runtime under a <see cref="ProfileProtocol"/>.</summary>
public static class ModelTimer
{
    public readonly record struct Timing(double MedianMs, double MeanMs, double VarianceMs2, int Count);

    public static Timing Time(byte[] model, long[] inputShape, ProfileProtocol protocol)
    {
        using var options = Options(protocol.Threads);
        using var session = new InferenceSession(model, options);
        var data = Input(inputShape);
        using var input = OrtValue.CreateTensorValueFromMemory(data, inputShape);
        using var run = new RunOptions();
        string[] inputs = [session.InputNames[0]];
        string[] outputs = [session.OutputNames[0]];
        OrtValue[] values = [input];

        for (int i = 0; i < protocol.Warmup; i++)
            using (session.Run(run, inputs, values, outputs)) { }

        var ms = new double[protocol.Repetitions];
        for (int i = 0; i < ms.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            using (session.Run(run, inputs, values, outputs)) { }
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(ms);
        double median = ms.Length % 2 == 1 ? ms[ms.Length / 2] : (ms[ms.Length / 2 - 1] + ms[ms.Length / 2]) / 2;
        double mean = ms.Average();
        double variance = ms.Sum(v => (v - mean) * (v - mean)) / ms.Length;
        return new Timing(median, mean, variance, ms.Length);
    }

    /// <summary>The session options every timing uses: <paramref name="threads"/> intra-op threads, sequential, all graph optimisations.</summary>
    public static SessionOptions Options(int threads) => new()
    {
        IntraOpNumThreads = threads,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    /// <summary>A fixed input of <paramref name="shape"/> (values in [-0.4, 0.4]): latency depends on shapes, not values.</summary>
    public static float[] Input(long[] shape)
    {
        var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++) data[i] = (i % 17) * 0.05f - 0.4f;
        return data;
    }
}
