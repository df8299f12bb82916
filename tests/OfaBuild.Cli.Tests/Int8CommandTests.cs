namespace OfaBuild.Cli.Tests;

/// <summary>The int8 path through the tool: `ofa quantize`, and `ofa specialize --precision int8` read back by `ofa inspect`.</summary>
public class Int8CommandTests
{
    [Fact]
    public void Quantize_writes_an_int8_model_that_onnx_runtime_runs_in_integer_kernels_and_times_it()
    {
        using var dir = new TempDir();
        var r = Ofa.Succeeds("quantize", "--model", Ofa.Untrained(), "--smallest", "-o", dir["s.int8.onnx"], "--latency-runs", "5");
        Assert.True(new FileInfo(dir["s.int8.onnx"]).Length > 0);
        Assert.Contains("QLinearConv", r.Stdout);
        Assert.Contains("int8/fp32", r.Stdout);
        // The optimised graph it reads the kernels from is a temporary file: ORT's warning that such a graph is hardware-specific is not the user's.
        Assert.DoesNotContain("Serializing optimized model", r.Stderr);
    }

    [Fact]
    public void Profile_ops_reads_per_run_and_says_what_its_figures_hold_against_the_unprofiled_run()
    {
        // Before, it printed the op types' medians and their sum as "ms per run", with nothing to say that ORT's profiler
        // times its own per-node bookkeeping inside each kernel: on the sample's subnet the sum read twice the timed run.
        using var dir = new TempDir();
        Ofa.Init(dir["u.ofa"]);
        var r = Ofa.Succeeds("quantize", "--model", dir["u.ofa"], "--smallest", "-o", dir["s.int8.onnx"], "--profile-ops", "5");
        foreach (var which in new[] { "fp32", "int8" })
        {
            Assert.Contains($"{which} per op type (ONNX Runtime's profiler; ms per run, median of 5 runs): ", r.Stdout);
            var m = System.Text.RegularExpressions.Regex.Match(r.Stdout,
                which + @" per run: kernels sum (\d+\.\d{3}) ms \((\d+) nodes\) of the profiled run's (\d+\.\d{3}) ms; unprofiled, alternating with it: (\d+\.\d{3}) ms(.*)");
            Assert.True(m.Success, r.Stdout);
            double Ms(int g) => double.Parse(m.Groups[g].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
            Assert.True(Ms(1) <= Ms(3) + 0.001, m.Value); // a run's kernel events lie within its model_run event
            Assert.True(Ms(4) > 0, m.Value);
            // The explanation follows the figures: the profiler's cost per node where the kernels sum to more than the unprofiled run.
            if (m.Groups[5].Value.Contains("their sum exceeds the whole unprofiled run by", StringComparison.Ordinal))
                Assert.True(Ms(1) >= Ms(4), m.Value);
            else
                Assert.True(Ms(1) <= Ms(4) + 0.001 && m.Groups[5].Value.Contains("work between kernels", StringComparison.Ordinal), m.Value);
        }
    }

    [Fact]
    public void A_redirected_quantize_with_a_dataset_shows_its_evaluations_on_stderr()
    {
        // Before, `ofa quantize --dataset` printed nothing while it measured fp32 and int8 top-1 (minutes on a large split).
        using var dir = new TempDir();
        TinyImageFolder.Write(dir["data"], trainPerClass: 10, testPerClass: 10);
        var r = Ofa.Succeeds("quantize", "--model", Ofa.Untrained(), "--smallest", "-o", dir["s.int8.onnx"], "--dataset", dir["data"]);
        foreach (var which in new[] { "fp32", "int8" })
            Assert.Contains($"{which} subnet: evaluating on 30 test images of {dir["data"]} (top-1 in ONNX Runtime), images 30/30", r.Stderr);
        Assert.DoesNotContain("evaluating", r.Stdout); // stdout holds the result
        Assert.Contains($"top-1 on 30 test images of {dir["data"]}: fp32 ", r.Stdout);
    }

    [Fact]
    public void Quantize_with_a_dataset_it_cannot_find_writes_nothing()
    {
        using var dir = new TempDir();
        var r = Ofa.Refuses("quantize", "--model", Ofa.Untrained(), "--smallest", "-o", dir["s.int8.onnx"], "--dataset", "fashion-mnist", "--data-dir", dir["nowhere"]);
        Assert.Contains("nowhere", r.Stderr);
        Assert.False(File.Exists(dir["s.int8.onnx"]), "the int8 file was written before the dataset was found");
    }

    [Fact]
    public void Specialize_with_precision_int8_writes_an_int8_target_and_inspect_says_its_precision_and_table()
    {
        using var dir = new TempDir();
        var r = Ofa.Succeeds("specialize", "--model", Ofa.Untrained(), "--device", "cortex-a53", "--latency-ms", "100", "--precision", "int8", "-o", dir["out"]);
        Assert.Contains("int8 (latency table: int8)", r.Stdout); // the catalog device estimates int8 too

        var inspect = Ofa.Succeeds("inspect", "--target", Path.Combine(dir["out"], "cortex-a53.json"));
        Assert.Contains("precision int8", inspect.Stdout);
        Assert.Matches(@"estimated table for int8, \d+ intra-op thread\(s\)", inspect.Stdout);

        var bad = Ofa.Run("specialize", "--model", Ofa.Untrained(), "--device", "cortex-a53", "--latency-ms", "100", "--precision", "int4", "-o", dir["out"]);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("int4", bad.ToString());
    }
}
