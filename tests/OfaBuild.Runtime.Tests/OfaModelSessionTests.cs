using OfaBuild.Core.Onnx;

namespace OfaBuild.Runtime.Tests;

public class OfaModelSessionTests
{
    private static OfaModelSession Open() => new("Tests.Tiny", TestModel.Info(), () => TestModel.Onnx);

    private static float[] Reference(float[] input, int count)
    {
        using var runner = new OnnxModelRunner(TestModel.Onnx);
        return runner.RunFirst(input, [count, 1, TestModel.Resolution, TestModel.Resolution]);
    }

    [Fact]
    public void Single_run_equals_a_plain_ort_run()
    {
        using var session = Open();
        var input = TestModel.RandomInput(1, seed: 1);
        var logits = session.Run(input);
        Assert.Equal(Reference(input, 1), logits);
        Assert.Contains(logits, v => v != 0f);
    }

    [Fact]
    public void Batch_run_equals_single_runs()
    {
        using var session = Open();
        const int n = 5;
        var inputs = TestModel.RandomInput(n, seed: 2);
        var outputs = new float[n * TestModel.Classes];
        session.RunBatch(inputs, n, outputs);
        for (int i = 0; i < n; i++)
        {
            var one = session.Run(inputs.AsSpan(i * session.InputLength, session.InputLength));
            for (int j = 0; j < TestModel.Classes; j++)
                Assert.Equal(one[j], outputs[i * TestModel.Classes + j], 5);
        }
    }

    [Fact]
    public void Wrong_input_length_names_class_target_and_expected_shape()
    {
        using var session = Open();
        var ex = Assert.Throws<ArgumentException>(() => session.Run(new float[100], new float[TestModel.Classes]));
        Assert.Contains("Tests.Tiny (target host)", ex.Message);
        Assert.Contains("has 100 floats", ex.Message);
        Assert.Contains("144 = 1 x 12 x 12", ex.Message);

        var batch = Assert.Throws<ArgumentException>(() => session.RunBatch(new float[144 * 2], 3, new float[12]));
        Assert.Contains("3 samples need 432", batch.Message);
    }

    [Fact]
    public void Too_small_output_is_rejected()
    {
        using var session = Open();
        var ex = Assert.Throws<ArgumentException>(() => session.Run(new float[144], new float[3]));
        Assert.Contains("4 labels each", ex.Message);
    }

    [Fact]
    public void A_too_small_scores_buffer_is_named_scores()
    {
        using var session = Open();
        var one = Assert.Throws<ArgumentException>(() => session.Predict(TestModel.RandomInput(1, seed: 8), new float[TestModel.Classes - 1]));
        Assert.Equal("scores", one.ParamName);
        Assert.Contains("scores has room for 3 floats; 1 sample(s) need 4", one.Message);
        var batch = Assert.Throws<ArgumentException>(() => session.Predict(TestModel.RandomInput(2, seed: 9), 2, new float[TestModel.Classes], new int[2]));
        Assert.Equal("scores", batch.ParamName);
        Assert.Contains("scores has room for 4 floats; 2 sample(s) need 8", batch.Message);
    }

    [Fact]
    public void Every_buffer_refusal_names_the_class_and_the_target()
    {
        using var session = Open();
        var input = TestModel.RandomInput(2, seed: 10);
        var scores = new float[2 * TestModel.Classes];
        Exception[] refusals =
        [
            Assert.Throws<ArgumentException>(() => session.Predict(input, 2, scores, new int[1])),
            Assert.Throws<ArgumentException>(() => session.Predict(input, 2, new float[1], new int[2])),
            Assert.Throws<ArgumentException>(() => session.Predict(input, 3, scores, new int[3])),
            Assert.Throws<ArgumentOutOfRangeException>(() => session.Predict(input, 0, scores, new int[2])),
        ];
        foreach (var ex in refusals) Assert.StartsWith("Tests.Tiny (target host): ", ex.Message);
        Assert.Contains("labels has room for 1 indices; 2 samples need 2", refusals[0].Message);
    }

    [Fact]
    public void Manifest_that_disagrees_with_the_model_is_reported_on_load()
    {
        var wrong = TestModel.Info() with { Input = TestModel.Info().Input with { Resolution = 16 } };
        using var session = new OfaModelSession("Tests.Tiny", wrong, () => TestModel.Onnx);
        var ex = Assert.Throws<OfaRuntimeException>(session.Load);
        Assert.Contains("[batch, 1, 16, 16]", ex.Message);
    }

    [Fact]
    public void Damaged_model_names_the_resource_and_the_fix()
    {
        var damaged = TestModel.Onnx.AsSpan(0, 100).ToArray(); // a truncated file, as a damaged obj/.../ofa output is embedded
        using var session = new OfaModelSession("Tests.Tiny", TestModel.Info(), () => damaged);
        var ex = Assert.Throws<OfaRuntimeException>(session.Load);
        Assert.Contains("Tests.Tiny (target host)", ex.Message);
        Assert.Contains("'OfaBuild/Tests.Tiny/host.onnx'", ex.Message);
        Assert.Contains("dotnet build --no-incremental", ex.Message);
        Assert.IsType<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(ex.InnerException);
    }

    [Fact]
    public void Missing_resource_names_the_resource_and_the_fix()
    {
        using var session = OfaModelSession.FromResource(typeof(OfaModelSessionTests).Assembly, "Tests.Tiny", TestModel.Info());
        var ex = Assert.Throws<OfaRuntimeException>(session.Load);
        Assert.Contains("'OfaBuild/Tests.Tiny/host.onnx'", ex.Message);
        Assert.Contains("rebuild", ex.Message);
    }

    [Fact]
    public void Session_is_created_lazily()
    {
        int loads = 0;
        using var session = new OfaModelSession("Tests.Tiny", TestModel.Info(), () => { loads++; return TestModel.Onnx; });
        Assert.Equal(0, loads);
        session.Run(TestModel.RandomInput(1, 3));
        session.Run(TestModel.RandomInput(1, 4));
        Assert.Equal(1, loads);
    }

    [Fact]
    public void Concurrent_runs_give_the_same_answers_as_sequential_ones()
    {
        using var session = Open();
        var inputs = Enumerable.Range(0, 16).Select(i => TestModel.RandomInput(1, 100 + i)).ToArray();
        var expected = inputs.Select(x => session.Run(x)).ToArray();
        var actual = new float[inputs.Length][];
        Parallel.For(0, inputs.Length * 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, k =>
        {
            int i = k % inputs.Length;
            var output = new float[TestModel.Classes];
            session.Run(inputs[i], output);
            Assert.Equal(expected[i], output);
        });
    }

    [Fact]
    public void Span_run_allocates_nothing_after_warm_up()
    {
        using var session = Open();
        var input = TestModel.RandomInput(1, seed: 7);
        var output = new float[TestModel.Classes];
        for (int i = 0; i < 10; i++) session.Run(input, output); // session, slot, JIT

        const int calls = 2000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++) session.Run(input, output);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The slot's pinned arrays and IoBinding are reused, RunWithBinding is one native call: nothing per call.
        Assert.Equal(0, allocated);
    }
}
