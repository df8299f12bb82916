using OfaBuild.Core.Extraction;

namespace OfaBuild.Core.Onnx;

/// <summary>How batch normalisation appears in the exported graph.</summary>
public enum BatchNormMode
{
    /// <summary>Folded into the preceding convolution (inference).</summary>
    Fold,
    /// <summary>
    /// Normalised with the batch's own mean and variance, which are also graph outputs
    /// (<c>bn_mean:LAYER</c>, <c>bn_var:LAYER</c>): the reference's set_running_statistics, run in ONNX Runtime.
    /// </summary>
    Calibrate,
}

/// <summary>
/// Writes a <see cref="Subnet"/> as ONNX: input <c>input</c> [batch, C, R, R], output <c>logits</c> [batch, classes];
/// HardSwish/HardSigmoid ops; deterministic bytes.
/// </summary>
public static class SubnetOnnxExporter
{
    public const string InputName = "input";
    public const string OutputName = "logits";
    public const string Producer = "OfaBuild";

    public static byte[] Export(Subnet subnet, BatchNormMode bn = BatchNormMode.Fold, string producerVersion = "")
    {
        var g = new OnnxGraph("ofa_subnet");
        var b = new OnnxLayerWriter(g, bn);
        string x = g.Input(InputName, "batch", subnet.InputChannels, subnet.Resolution, subnet.Resolution);

        x = b.ConvBnAct("first_conv", x, subnet.FirstConv, Activation.HSwish);
        foreach (var block in subnet.Blocks) x = b.Block(block, x);
        x = b.ConvBnAct("final_expand_layer", x, subnet.FinalExpand, Activation.HSwish);
        x = b.Pool("pool", x);
        x = b.Conv("feature_mix_layer", x, subnet.FeatureMix);
        x = b.Act("feature_mix_layer", x, Activation.HSwish);
        b.Classifier("classifier", x, subnet.ClassifierWeight, subnet.ClassifierBias, subnet.NumClasses, OutputName);
        g.Output(OutputName, "batch", subnet.NumClasses);
        b.DeclareStatisticOutputs();

        return g.ToModel(Producer, producerVersion, docString: "config " + subnet.Config.ToJson());
    }

    /// <summary>Names of the BN layers in graph order, as the Calibrate mode reports them.</summary>
    public static IReadOnlyList<string> BatchNormLayers(Subnet subnet) => subnet.BatchNorms().Select(b => b.Name).ToArray();
}
