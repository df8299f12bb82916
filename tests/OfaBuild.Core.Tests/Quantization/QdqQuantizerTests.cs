using Xunit.Abstractions;

namespace OfaBuild.Core.Tests.Quantization;

/// <summary>Quantises a tiny untrained subnet once and checks the result against the official checker, ORT and the fp32 model.</summary>
public class QdqQuantizerTests(ITestOutputHelper output)
{
    private const int Calibration = 64, Evaluation = 300;

    private static readonly Lazy<(Subnet Subnet, byte[] Fp32, byte[] Int8)> Models = new(() =>
    {
        var space = TestSpaces.ForExport(classes: 10);
        var config = SubnetConfig.Largest(space); // r 16
        var calibration = TestSubnets.RandomInput(Calibration, 1, 16, seed: 11);
        // Random weights with BN recalibrated, as the build does: without it the logits of an untrained net favour one class.
        var subnet = BatchNormRecalibration.Recalibrate(SubnetExtractor.Extract(space, RandomSupernet.Create(space, 3), config), calibration, Calibration);
        var fp32 = SubnetOnnxExporter.Export(subnet);
        var int8 = QdqQuantizer.Quantize(fp32, calibration, Calibration);
        return (subnet, fp32, int8);
    });

    [Fact]
    public void Official_checker_accepts_the_int8_model()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ofa-int8-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, Models.Value.Int8);
        try
        {
            var r = ProcessRunner.Run("/usr/bin/python3", ["-c",
                "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); " +
                "print(m.ir_version, m.opset_import[0].version, sorted({i.data_type for i in m.graph.initializer}))", path]);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal("8 17 [1, 2, 3, 6]", r.Stdout.Trim()); // float scales, uint8 activations' zero points, int8 weights, int32 biases
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Every_op_runs_as_an_int8_kernel_in_onnx_runtime()
    {
        var ops = OptimizedGraph.OpTypes(Models.Value.Int8);
        output.WriteLine(string.Join(", ", ops.Select(o => $"{o.Key} {o.Value}")));
        int convs = OnnxModel.Read(Models.Value.Fp32, "fp32").Nodes.Count(n => n.OpType == "Conv");
        Assert.Equal(convs, ops.Where(o => o.Key.EndsWith("QLinearConv", StringComparison.Ordinal)).Sum(o => o.Value));
        Assert.Equal(1, ops.GetValueOrDefault("QGemm"));
        // Integer from the input's QuantizeLinear to the float logits of QGemm: no float op runs in between.
        string[] float32 = ["Conv", "FusedConv", "Gemm", "HardSwish", "HardSigmoid", "Mul", "Add", "DequantizeLinear"];
        Assert.DoesNotContain(ops.Keys, float32.Contains);
        Assert.Equal(1, ops["QuantizeLinear"]);
    }

    [Fact]
    public void Int8_predictions_agree_with_fp32()
    {
        var (subnet, fp32, int8) = Models.Value;
        var input = TestSubnets.RandomInput(Evaluation, 1, 16, seed: 12);
        long[] shape = [Evaluation, 1, 16, 16];
        using var a = new OnnxModelRunner(fp32);
        using var b = new OnnxModelRunner(int8);
        var (x, y) = (a.RunFirst(input, shape), b.RunFirst(input, shape));
        int classes = subnet.NumClasses, agree = 0;
        var predicted = new HashSet<int>();
        for (int i = 0; i < Evaluation; i++)
        {
            int c = ArgMax(x.AsSpan(i * classes, classes));
            predicted.Add(c);
            if (c == ArgMax(y.AsSpan(i * classes, classes))) agree++;
        }
        output.WriteLine($"top-1 agreement {agree} / {Evaluation}; fp32 predicts {predicted.Count} classes");
        Assert.True(predicted.Count >= 3, $"fp32 predicts only {predicted.Count} classes: agreement would say little");
        Assert.True(agree >= 0.9 * Evaluation, $"int8 agrees with fp32 on {agree} of {Evaluation} inputs");
    }

    [Fact]
    public void The_same_inputs_give_the_same_bytes()
    {
        var calibration = TestSubnets.RandomInput(Calibration, 1, 16, seed: 11);
        Assert.Equal(Models.Value.Int8, QdqQuantizer.Quantize(Models.Value.Fp32, calibration, Calibration));
    }

    [Fact]
    public void Quantised_tensors_skip_the_conv_before_a_relu_and_the_graph_output()
    {
        var model = OnnxModel.Read(Models.Value.Fp32, "fp32");
        var tensors = QdqQuantizer.TensorsToQuantize(model);
        var reluInputs = model.Nodes.Where(n => n.OpType == "Relu").Select(n => n.Inputs[0]).ToArray();
        Assert.NotEmpty(reluInputs);
        Assert.DoesNotContain(tensors, reluInputs.Contains);
        Assert.Contains(SubnetOnnxExporter.InputName, tensors);
        Assert.DoesNotContain(SubnetOnnxExporter.OutputName, tensors);
    }

    [Fact]
    public void Float_depthwise_keeps_depthwise_convs_fp32_and_quantises_the_rest()
    {
        var model = OnnxModel.Read(Models.Value.Fp32, "fp32");
        var depthwise = model.Nodes.Where(QdqQuantizer.IsDepthwise).ToArray();
        var dense = model.Nodes.Where(n => n.OpType == "Conv" && !QdqQuantizer.IsDepthwise(n)).ToArray();
        Assert.NotEmpty(depthwise);
        var tensors = QdqQuantizer.TensorsToQuantize(model, Int8Scheme.FloatDepthwise);
        // A float conv reading a DequantizeLinear would be quantised per tensor by ORT itself: no depthwise input is quantised.
        Assert.DoesNotContain(tensors, depthwise.Select(n => n.Inputs[0]).Contains);
        Assert.All(dense, n => Assert.Contains(n.Inputs[0], tensors));

        var calibration = TestSubnets.RandomInput(Calibration, 1, 16, seed: 11);
        var mixed = QdqQuantizer.Quantize(Models.Value.Fp32, calibration, Calibration, scheme: Int8Scheme.FloatDepthwise);
        var graph = OnnxModel.Read(mixed, "mixed");
        var weights = graph.Nodes.Where(n => n.OpType == "DequantizeLinear").Select(n => n.Outputs[0]).ToHashSet();
        Assert.All(graph.Nodes.Where(QdqQuantizer.IsDepthwise), n => Assert.DoesNotContain(n.Inputs[1], weights));
        Assert.All(graph.Nodes.Where(n => n.OpType == "Conv" && !QdqQuantizer.IsDepthwise(n)), n => Assert.Contains(n.Inputs[1], weights));

        var ops = OptimizedGraph.OpTypes(mixed);
        output.WriteLine(string.Join(", ", ops.Select(o => $"{o.Key} {o.Value}")));
        Assert.Equal(dense.Length, ops.Where(o => o.Key.EndsWith("QLinearConv", StringComparison.Ordinal)).Sum(o => o.Value));
        Assert.Equal(depthwise.Length, ops.Where(o => o.Key is "Conv" or "FusedConv").Sum(o => o.Value));
    }

    [Fact]
    public void Bias_dequantisation_has_no_zero_point_and_weights_keep_theirs()
    {
        var graph = OnnxModel.Read(Models.Value.Int8, "int8");
        var dq = graph.Nodes.Where(n => n.OpType == "DequantizeLinear").ToArray();
        Assert.All(dq.Where(n => n.Inputs[0].EndsWith(".int32", StringComparison.Ordinal)), n => Assert.Equal(2, n.Inputs.Length));
        Assert.All(dq.Where(n => n.Inputs[0].EndsWith(".int8", StringComparison.Ordinal)), n => Assert.Equal(3, n.Inputs.Length));
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int k = 1; k < row.Length; k++) if (row[k] > row[best]) best = k;
        return best;
    }
}
