namespace OfaBuild.Cli.Tests;

public class QuantizeCommandTests
{
    [Fact]
    public void Quantize_writes_an_int8_model_that_onnx_runtime_runs_in_integer_kernels_and_times_it()
    {
        using var dir = new TempDir();
        Ofa.Init(dir["u.ofa"]);
        var r = Ofa.Succeeds("quantize", "--model", dir["u.ofa"], "--smallest", "-o", dir["s.int8.onnx"], "--latency-runs", "5");
        Assert.True(new FileInfo(dir["s.int8.onnx"]).Length > 0);
        Assert.Contains("QLinearConv", r.Stdout);
        Assert.Contains("int8/fp32", r.Stdout);
    }
}
