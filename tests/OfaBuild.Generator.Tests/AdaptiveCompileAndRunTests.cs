using OfaBuild.Runtime;

namespace OfaBuild.Generator.Tests;

/// <summary>
/// The generated wrapper of an adaptive target (a ladder of two real subnets embedded as resources) and of a fixed one,
/// compiled and called: the app-facing controls reach the governor, the rung that serves is the one that ran.
/// </summary>
public class AdaptiveCompileAndRunTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using OfaBuild;

        namespace Demo;

        [OfaModel("models/tiny.ofa")]
        [OfaTarget("host", LatencyMs = 2, Adaptive = true)]
        public partial class Adaptive;

        [OfaModel("models/tiny.ofa")]
        [OfaTarget("host", LatencyMs = 2)]
        public partial class Fixed;

        public static class Probe
        {
            public static object[] Ladder()
            {
                using var c = Adaptive.Create("host");
                var info = c.Info;
                return new object[] { info.Rungs.Select(r => r.Target).ToArray(), info.Rungs.Select(r => r.PredictedAccuracy ?? -1).ToArray(),
                    info.Rungs.Select(r => r.Input.Resolution).ToArray(), c.LatencyBudgetMs, c.InputLength, Adaptive.EmbeddedLadders.Count };
            }

            /// <summary>Pins <paramref name="rung"/> (or sets the power-saving floor), predicts; returns scores, served rung, changes seen.</summary>
            public static object[] Predict(float[] input, int? rung, double? floor)
            {
                using var c = Adaptive.Create("host");
                var changes = new List<string>();
                c.RungChanged += (_, e) => changes.Add($"{e.From}->{e.To} {e.Reason}");
                c.PinnedRung = rung;
                c.PowerSavingAccuracyFloor = floor;
                var scores = new float[Adaptive.Labels.Count];
                int label = c.Predict(input, scores);
                var p = c.Predict(input);
                return new object[] { scores, label, c.Info.ServedRung, changes.ToArray(), p.Label, c.Info.ServedCalls(c.Info.ServedRung) };
            }

            public static double[] BudgetAtRunTime()
            {
                using var c = Adaptive.Create("host");
                double declared = c.LatencyBudgetMs;
                c.LatencyBudgetMs = 7.5;
                return new[] { declared, c.LatencyBudgetMs };
            }

            /// <summary>Measured against predicted after enough calls: {adaptive measured, adaptive predicted, fixed measured, fixed predicted}; NaN = null.</summary>
            public static double[] Measured(float[] input, int calls)
            {
                using var a = Adaptive.Create("host");
                using var f = Fixed.Create("host");
                // Rung 0 pinned: this checks what is measured, not the governor (a few slow first calls on a busy
                // machine can step it down, and the rung below has then served too few calls to be measured).
                a.PinnedRung = 0;
                var scores = new float[Adaptive.Labels.Count];
                double before = f.Info.MeasuredLatencyMs ?? double.NaN;
                for (int i = 0; i < calls; i++) { a.Predict(input, scores); f.Predict(input, scores); }
                // The same members as a fixed target's Info, so code written for one compiles against the other.
                return new[] { a.Info.MeasuredLatencyMs ?? double.NaN, a.Info.PredictedLatencyMs, f.Info.MeasuredLatencyMs ?? double.NaN, f.Info.PredictedLatencyMs, before,
                    a.Info.Input.Resolution, f.Info.Input.Resolution };
            }

            public static long AllocatedPerRun(float[] input, int calls)
            {
                using var c = Adaptive.Create("host");
                var scores = new float[Adaptive.Labels.Count];
                // Steady state on each rung. A rung change allocates its event (and a rung's first use loads it), so
                // none may happen while counting: a budget no call exceeds keeps rung 0 under the governor's rule
                // (a loaded test machine once stepped down mid-count), then rung 1 is pinned (the resizing path).
                c.LatencyBudgetMs = 1000;
                long allocated = 0;
                foreach (int? pin in new int?[] { null, 1 })
                {
                    c.PinnedRung = pin;
                    // Past the session's first-call latency sampling (LatencyMeter: 10 + 100 calls).
                    for (int i = 0; i < 200; i++) c.Predict(input, scores);
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int i = 0; i < calls; i++) c.Predict(input, scores);
                    allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                }
                return allocated;
            }

            /// <summary>Every Predict overload of one wrapper, each called with one argument wrong; "ParamName: Message" of each refusal.</summary>
            public static string[] Refusals(string wrapper)
            {
                using var a = Adaptive.Create("host");
                using var f = Fixed.Create("host");
                return wrapper == "Adaptive"
                    ? Refusals(a.InputLength, i => a.Predict(i), (i, s) => a.Predict(i, s), (i, c, s, l) => a.Predict(i, c, s, l))
                    : Refusals(f.InputLength, i => f.Predict(i), (i, s) => f.Predict(i, s), (i, c, s, l) => f.Predict(i, c, s, l));
            }

            private static string[] Refusals(int len, Action<float[]> one, Func<float[], float[], int> span, Action<float[], int, float[], int[]> batch)
            {
                int n = Adaptive.Labels.Count;
                var calls = new Action[]
                {
                    () => one(new float[len - 1]),
                    () => span(new float[len + 1], new float[n]),
                    () => span(new float[len], new float[n - 1]),
                    () => batch(new float[len], 2, new float[2 * n], new int[2]),
                    () => batch(new float[2 * len], 2, new float[2 * n - 1], new int[2]),
                    () => batch(new float[2 * len], 2, new float[2 * n], new int[1]),
                    () => batch(new float[0], 0, new float[0], new int[0]),
                };
                return calls.Select(call =>
                {
                    try { call(); return "no exception"; }
                    catch (ArgumentException ex) { return ex.ParamName + ": " + ex.Message; }
                }).ToArray();
            }
        }
        """;

    private readonly Probe _probe;

    public AdaptiveCompileAndRunTests()
    {
        var rid = CpuFacts.Current.PortableRid;
        var (_, output, diagnostics) = new GeneratorHarness().Run(GeneratorHarness.Compilation(Source),
            [ManifestFile.For("Demo.Adaptive", TestModels.AdaptiveManifest("host", [rid], 2)), ManifestFile.For("Demo.Fixed", TestModels.Manifest("host", [rid], 2))]);
        Assert.Empty(diagnostics);
        _probe = Probe.Load(output,
            ("OfaBuild/Demo.Adaptive/host.onnx", TestModels.Onnx),
            ("OfaBuild/Demo.Adaptive/host.rung1.onnx", TestModels.SmallOnnx),
            ("OfaBuild/Demo.Fixed/host.onnx", TestModels.Onnx));
    }

    private T Call<T>(string method, params object?[] args) => _probe.Call<T>(method, args);

    [Fact]
    public void Info_lists_the_ladder_from_the_manifest_and_the_budget_is_the_declared_one()
    {
        var r = Call<object[]>("Ladder");
        Assert.Equal(["host", "host/rung1"], (string[])r[0]);
        Assert.Equal([0.875, 0.85], (double[])r[1]);
        Assert.Equal([TestModels.Resolution, TestModels.Resolution], (int[])r[2]);
        Assert.Equal(2.0, (double)r[3]);
        Assert.Equal(TestModels.Resolution * TestModels.Resolution, (int)r[4]);
        Assert.Equal(1, (int)r[5]);
        Assert.Equal([2.0, 7.5], Call<double[]>("BudgetAtRunTime"));
    }

    [Theory]
    [InlineData(null, null, 0, new string[0])]
    [InlineData(1, null, 1, new[] { "0->1 Pinned" })]
    [InlineData(null, 0.86, 0, new string[0])]
    [InlineData(null, 0.80, 1, new[] { "0->1 PowerSaving" })]
    public void The_rung_that_serves_is_the_one_that_ran(int? pin, double? floor, int served, string[] changes)
    {
        var input = TestModels.RandomInput(1, seed: 31);
        var r = Call<object[]>("Predict", input, pin, floor);
        var expected = TestModels.OrtSoftmax(served == 0 ? TestModels.Onnx : TestModels.SmallOnnx, input);
        var scores = (float[])r[0];
        for (int j = 0; j < expected.Length; j++) Assert.Equal(expected[j], scores[j], 5);
        Assert.Equal(Array.IndexOf(expected, expected.Max()), (int)r[1]);
        Assert.Equal(served, (int)r[2]);
        Assert.Equal(changes, (string[])r[3]);
        Assert.Equal(TestModels.Labels[(int)r[1]], (string)r[4]);
        Assert.Equal(2L, (long)r[5]);
    }

    [Fact]
    public void Measured_latency_is_exposed_for_adaptive_and_fixed_targets_after_the_first_calls()
    {
        var m = Call<double[]>("Measured", TestModels.RandomInput(1, seed: 32), LatencyMeter.DefaultWarmupCalls + LatencyMeter.DefaultSampleCalls);
        Assert.True(double.IsNaN(m[4]), "nothing is measured before the first call");
        Assert.True(m[0] > 0 && m[2] > 0, $"measured {m[0]} and {m[2]} ms");
        Assert.Equal([2 * 0.8, 2 * 0.8], new[] { m[1], m[3] }); // predicted, from the manifests
        Assert.Equal([TestModels.Resolution, TestModels.Resolution], new[] { m[5], m[6] }); // rung 0's input
    }

    [Fact]
    public void Span_predict_of_an_adaptive_target_allocates_nothing()
    {
        Assert.Equal(0L, Call<long>("AllocatedPerRun", TestModels.RandomInput(1, seed: 33), 1000));
    }

    [Theory]
    [InlineData("Adaptive")]
    [InlineData("Fixed")]
    public void A_wrong_buffer_is_named_as_the_caller_passed_it_with_the_length_it_needs(string wrapper)
    {
        var refusals = Call<string[]>("Refusals", wrapper);
        // One row per call of the probe: the parameter the caller passed and what its message must say (given, needed).
        (string Param, string[] Says)[] expected =
        [
            ("input", ["has 143 floats", "144 = 1 x 12 x 12"]),
            ("input", ["has 145 floats", "144 = 1 x 12 x 12"]),
            ("scores", ["scores has room for 3 floats", "need 4"]),
            ("inputs", ["inputs has 144 floats", "need 288"]),
            ("scores", ["scores has room for 7 floats", "need 8"]),
            ("labels", ["labels has room for 1 indices", "need 2"]),
            ("count", ["at least 1"]),
        ];
        Assert.Equal(expected.Length, refusals.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.StartsWith(expected[i].Param + ": Demo." + wrapper, refusals[i]);
            foreach (var fragment in expected[i].Says) Assert.Contains(fragment, refusals[i]);
        }
    }
}
