using System.Reflection;
using OfaBuild.Runtime;

namespace OfaBuild.Generator.Tests;

/// <summary>Generated wrapper + runtime compiled into an assembly with the ONNX embedded, then called.</summary>
public class CompileAndRunTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using OfaBuild;

        namespace Demo;

        [OfaModel("models/tiny.ofa")]
        [OfaTarget("cortex-a53", LatencyMs = 4)]
        [OfaTarget("host", LatencyMs = 2)]
        public partial class Classifier;

        // Reflection cannot pass spans: these wrap the generated API in array-based calls.
        public static class Probe
        {
            public static string[] Chosen(string? target)
            {
                using var c = Classifier.Create(target);
                return new[] { c.Info.Target, c.Choice.Reason.ToString(), c.InputLength.ToString() };
            }

            public static object[] Predict(string target, float[] input)
            {
                using var c = Classifier.Create(target);
                var p = c.Predict(input);
                var scores = new float[Classifier.Labels.Count];
                int index = c.Predict(input, scores);
                return new object[] { p.Label, p.LabelIndex, p.Scores.ToArray(), index, scores };
            }

            public static int[] Batch(string target, float[] inputs, int count, float[] scores)
            {
                using var c = Classifier.Create(target);
                var labels = new int[count];
                c.Predict(inputs, count, scores, labels);
                return labels;
            }

            public static long AllocatedPerRun(string target, float[] input, int calls)
            {
                using var c = Classifier.Create(target);
                var scores = new float[Classifier.Labels.Count];
                // Steady state: past the session's first-call latency sampling (LatencyMeter: 10 + 100 calls).
                for (int i = 0; i < 200; i++) c.Predict(input, scores);
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < calls; i++) c.Predict(input, scores);
                return GC.GetAllocatedBytesForCurrentThread() - before;
            }

            /// <summary>
            /// Sequential results first, then <paramref name="threads"/> threads calling Predict on one wrapper for
            /// <paramref name="seconds"/>; returns {calls, calls whose scores differ from the sequential ones by any bit}.
            /// </summary>
            public static long[] Concurrent(string target, float[] inputs, int count, int threads, double seconds)
            {
                using var c = Classifier.Create(target);
                int n = Classifier.Labels.Count, len = c.InputLength;
                var expected = new float[count * n];
                for (int i = 0; i < count; i++) c.Predict(inputs.AsSpan(i * len, len), expected.AsSpan(i * n, n));
                long calls = 0, wrong = 0;
                var stop = DateTime.UtcNow.AddSeconds(seconds);
                var workers = Enumerable.Range(0, threads).Select(t => new System.Threading.Thread(() =>
                {
                    var scores = new float[n];
                    for (int k = t; DateTime.UtcNow < stop; k++)
                    {
                        int i = k % count;
                        c.Predict(inputs.AsSpan(i * len, len), scores);
                        System.Threading.Interlocked.Increment(ref calls);
                        if (!scores.AsSpan().SequenceEqual(expected.AsSpan(i * n, n))) System.Threading.Interlocked.Increment(ref wrong);
                    }
                })).ToArray();
                foreach (var w in workers) w.Start();
                foreach (var w in workers) w.Join();
                return new[] { calls, wrong };
            }

            public static string Throws(float[] input)
            {
                using var c = Classifier.Create("host");
                try { c.Predict(input); return "no exception"; }
                catch (ArgumentException ex) { return ex.Message; }
            }
        }
        """;

    private readonly Probe _probe;

    public CompileAndRunTests()
    {
        var host = TestModels.Manifest("host", [CpuFacts.Current.PortableRid], 2);
        var a53 = TestModels.Manifest("cortex-a53", ["linux-arm64"], 4, armParts: ["0xd03"]);
        var (_, output, diagnostics) = new GeneratorHarness().Run(GeneratorHarness.Compilation(Source),
            [ManifestFile.For("Demo.Classifier", host), ManifestFile.For("Demo.Classifier", a53)]);
        Assert.Empty(diagnostics);

        _probe = Probe.Load(output,
            ("OfaBuild/Demo.Classifier/host.onnx", TestModels.Onnx),
            ("OfaBuild/Demo.Classifier/cortex-a53.onnx", TestModels.Onnx));
    }

    private T Call<T>(string method, params object?[] args) => _probe.Call<T>(method, args);

    [Fact]
    public void Create_chooses_the_target_for_this_machine_or_the_named_one()
    {
        if (Environment.GetEnvironmentVariable(TargetSelector.EnvironmentVariable) is null)
            Assert.Equal(["host", "Generic", "144"], Call<string[]>("Chosen", [null]));
        Assert.Equal(["cortex-a53", "Requested", "144"], Call<string[]>("Chosen", "cortex-a53"));
        var ex = Assert.Throws<TargetInvocationException>(() => Call<string[]>("Chosen", "apple-m1"));
        Assert.Contains("embedded: cortex-a53, host", ex.InnerException!.Message);
    }

    [Fact]
    public void Predict_equals_running_the_onnx_directly()
    {
        var input = TestModels.RandomInput(1, seed: 21);
        var expected = TestModels.OrtSoftmax(TestModels.Onnx, input);
        var r = Call<object[]>("Predict", "host", input);
        var (label, index, scores, spanIndex, spanScores) = ((string)r[0], (int)r[1], (float[])r[2], (int)r[3], (float[])r[4]);

        int best = Array.IndexOf(expected, expected.Max());
        Assert.Equal(best, index);
        Assert.Equal(TestModels.Labels[best], label);
        Assert.Equal(best, spanIndex);
        for (int j = 0; j < expected.Length; j++)
        {
            Assert.Equal(expected[j], scores[j], 5);
            Assert.Equal(expected[j], spanScores[j], 5);
        }
    }

    [Fact]
    public void Batch_predict_equals_running_the_onnx_directly()
    {
        const int count = 6;
        var inputs = TestModels.RandomInput(count, seed: 22);
        var scores = new float[count * TestModels.Labels.Length];
        var labels = Call<int[]>("Batch", "cortex-a53", inputs, count, scores);
        var expected = TestModels.OrtSoftmax(TestModels.Onnx, inputs, count);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], scores[i], 5);
        int n = TestModels.Labels.Length;
        for (int s = 0; s < count; s++)
        {
            var row = expected.AsSpan(s * n, n).ToArray();
            Assert.Equal(Array.IndexOf(row, row.Max()), labels[s]);
        }
    }

    [Fact]
    public void Span_predict_allocates_nothing()
    {
        Assert.Equal(0L, Call<long>("AllocatedPerRun", "host", TestModels.RandomInput(1, seed: 23), 1000));
    }

    [Fact]
    public void Sixteen_threads_on_one_wrapper_for_ten_seconds_give_exactly_the_sequential_results()
    {
        const int count = 12;
        var result = Call<long[]>("Concurrent", "host", TestModels.RandomInput(count, seed: 24), count, 16, 10.0);
        Assert.True(result[0] > 16 * count, $"only {result[0]} calls in 10 s");
        Assert.Equal(0L, result[1]);
    }

    [Fact]
    public void Wrong_input_length_is_a_clear_error()
    {
        var message = Call<string>("Throws", new float[10]);
        Assert.Contains("Demo.Classifier (target host)", message);
        Assert.Contains("144 = 1 x 12 x 12", message);
    }
}
