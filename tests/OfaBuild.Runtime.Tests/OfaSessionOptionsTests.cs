using Microsoft.ML.OnnxRuntime;
using OfaBuild.Core.Onnx;

namespace OfaBuild.Runtime.Tests;

/// <summary>The app's session settings: threads and optimisation level, and execution providers by name, checked against what this platform's ONNX Runtime has.</summary>
public class OfaSessionOptionsTests
{
    private static OfaModelSession Open(OfaSessionOptions options) => OfaModelSession.Create("Tests.Tiny", TestModel.Info(), () => TestModel.Onnx, options);

    [Fact]
    public void The_default_is_the_latency_tables_protocol()
    {
        using var ort = OfaSessionOptions.Default.ToSessionOptions("Tests.Tiny (target host)");
        Assert.Equal((1, 1, GraphOptimizationLevel.ORT_ENABLE_ALL), (ort.IntraOpNumThreads, ort.InterOpNumThreads, ort.GraphOptimizationLevel));
    }

    [Theory]
    [InlineData(2, GraphOptimizationLevel.ORT_ENABLE_ALL)]
    [InlineData(1, GraphOptimizationLevel.ORT_DISABLE_ALL)]
    public void Threads_and_optimisation_level_reach_onnx_runtime_and_predictions_stay_the_same(int threads, GraphOptimizationLevel level)
    {
        var options = new OfaSessionOptions { IntraOpThreads = threads, GraphOptimization = level };
        using (var ort = options.ToSessionOptions("x"))
            Assert.Equal((threads, level), (ort.IntraOpNumThreads, ort.GraphOptimizationLevel));
        var input = TestModel.RandomInput(1, seed: 3);
        using var session = Open(options);
        using var reference = new OnnxModelRunner(TestModel.Onnx);
        var expected = reference.RunFirst(input, [1, 1, TestModel.Resolution, TestModel.Resolution]);
        var actual = session.Run(input);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 4);
    }

    [Fact]
    public void Zero_threads_is_refused_with_the_fix()
    {
        var ex = Assert.Throws<OfaRuntimeException>(() => Open(new OfaSessionOptions { IntraOpThreads = 0 }));
        Assert.Contains("Tests.Tiny (target host): IntraOpThreads is 0", ex.Message);
    }

    [Fact]
    public void A_provider_this_platforms_onnx_runtime_lacks_is_a_clear_error_when_the_model_is_created()
    {
        var available = OrtEnv.Instance().GetAvailableProviders();
        // Microsoft.ML.OnnxRuntime for linux-x64 ships the CPU provider; NNAPI is Android's and CoreML Apple's.
        foreach (var provider in new[] { OfaExecutionProvider.Nnapi(), OfaExecutionProvider.CoreML() })
        {
            Assert.DoesNotContain(provider.Name == "NNAPI" ? "NnapiExecutionProvider" : "CoreMLExecutionProvider", available);
            var ex = Assert.Throws<OfaRuntimeException>(() => Open(new OfaSessionOptions { ExecutionProviders = [provider] }));
            Assert.Contains($"Tests.Tiny (target host): execution provider {provider.Name} is not in this platform's ONNX Runtime ({System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier})", ex.Message);
            Assert.Contains("CPUExecutionProvider", ex.Message); // what it has instead
        }
    }

    [Fact]
    public void An_available_provider_runs_and_an_unknown_name_lists_the_known_ones()
    {
        var available = OrtEnv.Instance().GetAvailableProviders();
        if (available.Contains("XnnpackExecutionProvider"))
        {
            using var session = Open(new OfaSessionOptions { ExecutionProviders = [OfaExecutionProvider.Xnnpack()] });
            Assert.Equal(TestModel.Classes, session.Run(TestModel.RandomInput(1, seed: 4)).Length);
        }
        else
        {
            Assert.Throws<OfaRuntimeException>(() => Open(new OfaSessionOptions { ExecutionProviders = [OfaExecutionProvider.Xnnpack()] }));
        }
        var unknown = Assert.Throws<OfaRuntimeException>(() => Open(new OfaSessionOptions { ExecutionProviders = [new("TPU")] }));
        Assert.Contains("'TPU' is not one OfaBuild knows; use one of XNNPACK, NNAPI, CoreML, QNN", unknown.Message);
    }
}
