using System.Runtime.InteropServices;
using OfaBuild.Core.Onnx;

namespace OfaBuild.Core.Quantization;

/// <summary>
/// Static int8 quantisation of an exported fp32 subnet into QDQ format (QuantizeLinear/DequantizeLinear
/// pairs around float ops), which ONNX Runtime's CPU provider fuses into int8 kernels (QLinearConv,
/// QLinearAdd, QLinearMul, QLinearGlobalAveragePool, QGemm). See <see cref="Int8Rules"/> for the arithmetic.
/// <para>
/// Which tensors get a Q/DQ pair: every activation input and output of Conv, Gemm, Add (residual),
/// Mul (squeeze-excite scaling), GlobalAveragePool and Flatten (its pair is dropped by ORT), except the
/// graph output (QGemm writes float logits). A ReLU right after a Conv is quantised at its output, not its
/// input: with zero point 0 the ReLU is implied by uint8 saturation and ORT removes it. ORT has no int8
/// HardSwish or HardSigmoid, so they are rewritten as integer Add and Mul (see <c>HardSigmoid</c> in
/// <see cref="Rewrite"/>); the whole graph then runs in integer kernels from the input's QuantizeLinear on.
/// </para>
/// Activations are uint8: ONNX Runtime's x64 kernels take u8 activations with s8 weights (its fast path),
/// and a ReLU output's zero point of 0 uses all 256 levels.
/// </summary>
public static class QdqQuantizer
{
    private static readonly HashSet<string> Int8Ops = ["Conv", "Gemm", "Add", "Mul", "GlobalAveragePool", "Flatten"];
    /// <summary>Ops quantised through their neighbours (ReLU) or rewritten (HardSwish, HardSigmoid).</summary>
    private static readonly HashSet<string> FloatOps = ["Relu", "HardSwish", "HardSigmoid"];

    /// <param name="fp32Model">An exported subnet (<see cref="SubnetOnnxExporter"/>, BN folded).</param>
    /// <param name="calibration">Prepared calibration inputs [count, C, R, R].</param>
    /// <param name="quantizeOutputs">Also quantise the graph outputs (a layer timed alone, whose output the next layer would read as uint8).</param>
    public static byte[] Quantize(byte[] fp32Model, float[] calibration, int count, int batchSize = 50, int threads = 1,
        Int8Scheme scheme = Int8Scheme.All, bool quantizeOutputs = false)
    {
        var model = OnnxModel.Read(fp32Model, "fp32 subnet");
        var tensors = TensorsToQuantize(model, scheme, quantizeOutputs);
        var ranges = ActivationRanges.MinMax(model, tensors, calibration, count, batchSize, threads);
        var quantization = tensors.ToDictionary(t => t, t => Int8Rules.Activation(ranges[t].Min, ranges[t].Max), StringComparer.Ordinal);
        return Rewrite(model, quantization, scheme);
    }

    /// <summary>The activation tensors that get a Q/DQ pair, in graph order.</summary>
    public static IReadOnlyList<string> TensorsToQuantize(OnnxModel model, Int8Scheme scheme = Int8Scheme.All, bool quantizeOutputs = false)
    {
        var initializers = model.Initializers.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var graphOutputs = quantizeOutputs ? [] : model.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var producers = model.Nodes.ToDictionary(n => n.Outputs[0], StringComparer.Ordinal);
        var consumers = model.Nodes.SelectMany(n => n.Inputs).GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var tensors = new List<string>();
        void Add(string t)
        {
            if (!initializers.Contains(t) && !graphOutputs.Contains(t) && !tensors.Contains(t)) tensors.Add(t);
        }

        foreach (var node in model.Nodes)
        {
            if (!Int8Ops.Contains(node.OpType) && !FloatOps.Contains(node.OpType))
                throw new OfaException($"Cannot quantise ONNX node '{node.Name}': op {node.OpType} is not one of {string.Join(", ", Int8Ops.Concat(FloatOps))} (the ops of an exported subnet with BN folded).");
            if (!RunsInInt8(node, scheme)) continue;
            foreach (var i in node.Inputs) Add(i);
            Add(node.Outputs[0]);
        }
        if (quantizeOutputs)
            foreach (var o in model.Outputs) Add(o.Name); // also one a float op writes (a head's h-swish), so it is rewritten in integers
        // A float conv must not read a DequantizeLinear: ORT would quantise its weights per tensor itself
        // (its WeightBiasQuantization transformer) and run it in int8 anyway. Its input stays float.
        foreach (var conv in model.Nodes.Where(n => n.OpType == "Conv" && !RunsInInt8(n, scheme)))
            tensors.Remove(conv.Inputs[0]);
        // A ReLU after an int8 conv whose output is quantised anyway is quantised there instead of at its input.
        foreach (var relu in model.Nodes.Where(n => n.OpType == "Relu"))
        {
            string x = relu.Inputs[0];
            if (producers.TryGetValue(x, out var p) && p.OpType == "Conv" && consumers[x] == 1 && tensors.Contains(relu.Outputs[0]))
                tensors.Remove(x);
        }
        var order = model.Inputs.Select(i => i.Name).Concat(model.Nodes.Select(n => n.Outputs[0])).ToList();
        return tensors.OrderBy(order.IndexOf).ToArray();
    }

    /// <summary>The QDQ graph: a Q/DQ pair after each quantised activation, int8/int32 initializers with a DequantizeLinear for Conv and Gemm weights and biases.</summary>
    public static byte[] Rewrite(OnnxModel model, IReadOnlyDictionary<string, ActivationQuantization> activations, Int8Scheme scheme = Int8Scheme.All)
    {
        var g = new OnnxGraph(model.GraphName);
        var initializers = model.Initializers.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var added = new HashSet<string>(StringComparer.Ordinal);
        var dequantized = new Dictionary<string, string>(StringComparer.Ordinal);

        // A quantised graph output (a layer timed alone) is the DequantizeLinear's: its producer writes "{t}.float",
        // so the producer's only consumer is the QuantizeLinear and ORT still fuses it into an int8 kernel.
        var outputs = model.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        string Out(string t) => outputs.Contains(t) && activations.ContainsKey(t) ? $"{t}.float" : t;

        void QuantizeActivation(string t)
        {
            if (!activations.TryGetValue(t, out var q)) return;
            string scale = g.Initializer($"{t}.scale", [q.Scale]);
            string zero = g.Initializer($"{t}.zero_point", OnnxDataType.UInt8, [q.ZeroPoint]);
            string quantized = g.Node("QuantizeLinear", $"{t}.quantize", [Out(t), scale, zero], $"{t}.uint8");
            dequantized[t] = g.Node("DequantizeLinear", $"{t}.dequantize", [quantized, scale, zero], outputs.Contains(t) ? t : $"{t}.dq");
        }

        string Float(string name)
        {
            if (dequantized.TryGetValue(name, out var dq)) return dq;
            if (initializers.TryGetValue(name, out var t) && added.Add(name)) g.Initializer(t.Name, t.Type, t.Raw, t.Dims);
            return name;
        }

        bool constants = false;
        string HardSigmoid(string name, string x)
        {
            const string three = "hard_sigmoid.three", zero = "hard_sigmoid.zero_point";
            if (!constants)
            {
                g.Initializer(three, OnnxDataType.UInt8, [255]);
                g.Initializer($"{three}.scale", [3f / 255f]);
                g.Initializer("hard_sigmoid.relu6.scale", [6f / 255f]);
                g.Initializer("hard_sigmoid.scale", [1f / 255f]);
                g.Initializer(zero, OnnxDataType.UInt8, [0]);
                constants = true;
            }
            string c = g.Node("DequantizeLinear", $"{name}.three", [three, $"{three}.scale", zero], $"{name}.three");
            string sum = g.Node("Add", $"{name}.add3", [x, c], $"{name}.add3");
            string relu6 = g.Node("QuantizeLinear", $"{name}.relu6", [sum, "hard_sigmoid.relu6.scale", zero], $"{name}.relu6.uint8");
            return g.Node("DequantizeLinear", $"{name}.div6", [relu6, "hard_sigmoid.scale", zero], $"{name}.dq");
        }

        foreach (var input in model.Inputs)
        {
            g.Input(input.Name, input.Dims!);
            QuantizeActivation(input.Name);
        }
        foreach (var node in model.Nodes)
        {
            if (IsHardSigmoidOfMobileNetV3(node) && activations.ContainsKey(node.Inputs[0]) && activations.ContainsKey(node.Outputs[0]))
            {
                // relu6(x + 3) / 6 in integers: the sum quantised at scale 6/255, zero point 0 (uint8 saturation is the
                // relu6), read back at scale 1/255 (the division by 6). QLinearAdd; no float op, no calibration.
                dequantized[node.Outputs[0]] = HardSigmoid(node.Name, dequantized[node.Inputs[0]]);
                continue;
            }
            if (node.OpType == "HardSwish" && activations.ContainsKey(node.Inputs[0]) && activations.ContainsKey(node.Outputs[0]))
            {
                // x · hard_sigmoid(x): QLinearAdd then QLinearMul instead of a float HardSwish between DQ and Q.
                string x = dequantized[node.Inputs[0]];
                g.Node("Mul", node.Name, [x, HardSigmoid(node.Name + ".h_sigmoid", x)], Out(node.Outputs[0]));
                QuantizeActivation(node.Outputs[0]);
                continue;
            }
            bool int8Weights = node.OpType is "Conv" or "Gemm" && RunsInInt8(node, scheme) && activations.ContainsKey(node.Inputs[0]) && IsPerOutputChannel(node);
            var inputs = node.Inputs.Select((name, k) => int8Weights && k > 0 ? name : Float(name)).ToArray();
            if (int8Weights) QuantizeWeights(g, node, initializers, activations[node.Inputs[0]].Scale, inputs);
            g.Node(node.OpType, node.Name, inputs, Out(node.Outputs[0]), node.Attributes);
            QuantizeActivation(node.Outputs[0]);
        }
        foreach (var o in model.Outputs) g.Output(o.Name, o.Dims!);
        string doc = (model.DocString + " int8 QDQ: weights symmetric int8 per output channel, activations uint8 min/max, biases int32").Trim();
        return g.ToModel(model.ProducerName, model.ProducerVersion, doc);
    }

    /// <summary>Whether <paramref name="node"/> computes in int8 under <paramref name="scheme"/>.</summary>
    public static bool RunsInInt8(OnnxNode node, Int8Scheme scheme) => Int8Ops.Contains(node.OpType) && scheme switch
    {
        Int8Scheme.All => true,
        Int8Scheme.FloatDepthwise => !IsDepthwise(node),
        _ => throw new ArgumentOutOfRangeException(nameof(scheme)),
    };

    /// <summary>A grouped convolution (the exporter writes depthwise convs with group = channels).</summary>
    public static bool IsDepthwise(OnnxNode node) => node.OpType == "Conv" && node.Attribute("group")?.Int > 1;

    private static bool IsHardSigmoidOfMobileNetV3(OnnxNode node) =>
        node.OpType == "HardSigmoid" && node.Attribute("alpha")?.Float == 1f / 6f && node.Attribute("beta")?.Float == 0.5f;

    /// <summary>Conv weights are [O, I/g, k, k]; Gemm's are [N, K] when transB = 1 (what the exporter writes): output channels lead.</summary>
    private static bool IsPerOutputChannel(OnnxNode node) => node.OpType == "Conv" || node.Attribute("transB")?.Int == 1;

    /// <summary>Replaces inputs[1] (weight) and inputs[2] (bias) with DequantizeLinear outputs of int8/int32 initializers.</summary>
    private static void QuantizeWeights(OnnxGraph g, OnnxNode node, Dictionary<string, OnnxTensor> initializers, float inputScale, string[] inputs)
    {
        var weight = initializers[node.Inputs[1]];
        int channels = (int)weight.Dims[0];
        var w = Int8Rules.WeightsPerChannel(weight.Floats, channels);
        inputs[1] = Dequantize(g, weight.Name, OnnxDataType.Int8, MemoryMarshal.AsBytes(w.Values.AsSpan()).ToArray(), weight.Dims, w.Scales, new byte[channels]);
        if (node.Inputs.Length > 2)
        {
            var bias = initializers[node.Inputs[2]];
            var (b, scales) = Int8Rules.Bias(bias.Floats, inputScale, w.Scales);
            inputs[2] = Dequantize(g, bias.Name, OnnxDataType.Int32, MemoryMarshal.AsBytes(b.AsSpan()).ToArray(), bias.Dims, scales, zeroPoints: null);
        }
    }

    /// <param name="zeroPoints">
    /// Weights keep their all-zero zero points (ORT's symmetric int8 conv kernels read them as constants to choose
    /// that path); biases have none (optional in ONNX, 0 by default), which saves 4 bytes a channel.
    /// </param>
    private static string Dequantize(OnnxGraph g, string name, OnnxDataType type, byte[] values, long[] dims, float[] scales, byte[]? zeroPoints)
    {
        string suffix = type == OnnxDataType.Int8 ? "int8" : "int32";
        string q = g.Initializer($"{name}.{suffix}", type, values, dims);
        string scale = g.Initializer($"{name}.scale", scales, scales.Length);
        string[] inputs = zeroPoints is null ? [q, scale] : [q, scale, g.Initializer($"{name}.zero_point", type, zeroPoints, scales.Length)];
        return g.Node("DequantizeLinear", $"{name}.dequantize", inputs, $"{name}.dq", OnnxAttribute.Of("axis", 0L));
    }
}
