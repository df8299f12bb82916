using Xunit.Abstractions;

namespace OfaBuild.Core.Tests.Quantization;

/// <summary>An int8 latency table times each layer as it runs inside an int8 network: every conv an int8 kernel.</summary>
public class Int8LayerModelTests(ITestOutputHelper output)
{
    [Fact]
    public void A_block_timed_alone_runs_every_conv_as_an_int8_kernel()
    {
        var space = Presets.Get(Presets.FashionMnist);
        var block = NetworkShapes.All(space).First(l => l.Kind == LayerKind.Block && l.Se && l.HSwish && l.IdSkip && l.Mid != l.InC);
        var (fp32, _) = LayerModels.Build(block);
        var (int8, shape) = LayerModels.BuildInt8(block);
        var ops = OptimizedGraph.OpTypes(int8);
        output.WriteLine($"{block.Key}: " + string.Join(", ", ops.Select(o => $"{o.Key} {o.Value}")));
        int convs = OnnxModel.Read(fp32, "fp32").Nodes.Count(n => n.OpType == "Conv");
        Assert.Equal(convs, ops.Where(o => o.Key.EndsWith("QLinearConv", StringComparison.Ordinal)).Sum(o => o.Value));
        // Its output is quantised as the next layer would read it: the residual add is integer too, and float only at the edges.
        Assert.Equal(1, ops.GetValueOrDefault("QLinearAdd") - CountHardSigmoidAdds(fp32));
        Assert.Equal(1, ops["QuantizeLinear"]);
        Assert.Equal(1, ops["DequantizeLinear"]);
        Assert.True(ModelTimer.Time(int8, shape, new ProfileProtocol(Warmup: 1, Repetitions: 3)).MedianMs > 0);
    }

    [Fact]
    public void A_head_layer_ending_in_h_swish_is_integer_to_its_output()
    {
        var space = Presets.Get(Presets.FashionMnist);
        var expand = NetworkShapes.Head(space, space.Resolutions[^1]).Single(l => l.Kind == LayerKind.FinalExpand);
        var ops = OptimizedGraph.OpTypes(LayerModels.BuildInt8(expand).Model);
        output.WriteLine(string.Join(", ", ops.Select(o => $"{o.Key} {o.Value}")));
        Assert.DoesNotContain(ops.Keys, k => k is "HardSwish" or "HardSigmoid" or "Mul" or "Add");
        Assert.Equal(1, ops["DequantizeLinear"]);
    }

    [Fact]
    public void The_classifier_writes_float_logits_as_in_a_whole_network()
    {
        var space = Presets.Get(Presets.FashionMnist);
        var logits = NetworkShapes.Head(space, space.Resolutions[^1]).Single(l => l.Kind == LayerKind.Classifier);
        var ops = OptimizedGraph.OpTypes(LayerModels.BuildInt8(logits).Model);
        Assert.Equal(1, ops.GetValueOrDefault("QGemm"));
        Assert.False(ops.ContainsKey("DequantizeLinear"));
    }

    /// <summary>Each HardSwish or HardSigmoid is rewritten with one integer Add (x + 3).</summary>
    private static int CountHardSigmoidAdds(byte[] fp32) =>
        OnnxModel.Read(fp32, "fp32").Nodes.Count(n => n.OpType is "HardSwish" or "HardSigmoid");
}
