using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using OfaBuild.Core.Onnx;

namespace OfaBuild.Core.Latency.Profiling;

/// <summary>Times single-input float models in ONNX Runtime under a <see cref="ProfileProtocol"/>.</summary>
public static class ModelTimer
{
    public readonly record struct Timing(double MedianMs, double MeanMs, double VarianceMs2, int Count)
    {
        /// <summary>Median, mean and variance of <paramref name="ms"/> (one value per timed run).</summary>
        public static Timing Of(IReadOnlyCollection<double> ms)
        {
            var sorted = ms.Order().ToArray();
            int n = sorted.Length;
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            double mean = sorted.Average();
            return new Timing(median, mean, sorted.Sum(v => (v - mean) * (v - mean)) / n, n);
        }
    }

    /// <summary>One model timed alone: <see cref="ProfileProtocol.Warmup"/> untimed runs, then <see cref="ProfileProtocol.Repetitions"/> timed runs back to back.</summary>
    public static Timing Time(byte[] model, long[] inputShape, ProfileProtocol protocol)
    {
        using var runner = new ModelRunner(model, inputShape, protocol.Threads);
        for (int i = 0; i < protocol.Warmup; i++) runner.Run();
        return Timing.Of(Enumerable.Range(0, protocol.Repetitions).Select(_ => runner.Run()).ToArray());
    }

    /// <summary>A fixed input of <paramref name="shape"/> (values in [-0.4, 0.4]): latency depends on shapes, not values.</summary>
    public static float[] Input(long[] shape)
    {
        var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++) data[i] = (i % 17) * 0.05f - 0.4f;
        return data;
    }
}

/// <summary>A session of one model with its fixed input, ready to run: <see cref="Run"/> returns the wall time of one Run in ms.</summary>
public sealed class ModelRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtValue _input;
    private readonly RunOptions _run = new();
    private readonly string[] _inputs, _outputs;
    private readonly OrtValue[] _values;

    /// <param name="profilePrefix">If given, ONNX Runtime's profiler records every run (<see cref="EndProfiling"/> writes its file), with the session otherwise as unprofiled.</param>
    public ModelRunner(byte[] model, long[] inputShape, int threads, string? profilePrefix = null)
    {
        using (var options = OnnxModelRunner.ProtocolOptions(threads))
        {
            if (profilePrefix is not null)
            {
                options.EnableProfiling = true;
                options.ProfileOutputPathPrefix = profilePrefix;
            }
            _session = new InferenceSession(model, options);
        }
        _input = OrtValue.CreateTensorValueFromMemory(ModelTimer.Input(inputShape), inputShape);
        _inputs = [_session.InputNames[0]];
        _outputs = [_session.OutputNames[0]];
        _values = [_input];
    }

    public double Run()
    {
        long start = Stopwatch.GetTimestamp();
        using (_session.Run(_run, _inputs, _values, _outputs)) { }
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>Writes the profile of a session made with a profile prefix; returns its path (ONNX Runtime's chrome-trace JSON).</summary>
    public string EndProfiling() => _session.EndProfiling();

    public void Dispose()
    {
        _session.Dispose();
        _input.Dispose();
        _run.Dispose();
    }
}
