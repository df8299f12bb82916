using OfaBuild.Core.Checkpoints;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Latency;
using OfaBuild.Core.Tensors;

namespace OfaBuild.Core.Import;

/// <summary>
/// The OFA tutorial's ImageNet accuracy predictor (<c>acc_predictor.pth</c>: <c>nn.Sequential(Linear(128, 400), ReLU,
/// Linear(400, 400), ReLU, Linear(400, 400), ReLU, Linear(400, 1))</c>, keys <c>0.*</c>, <c>2.*</c>, <c>4.*</c>, <c>6.*</c>)
/// as a package predictor: the same MLP under OfaBuild's names, the last layer's bias as <c>base_acc</c>, and the
/// tutorial's input encoding (<see cref="TutorialArchEncoder"/>) and the space it was trained on recorded in the manifest.
/// </summary>
public static class TutorialPredictorImporter
{
    private static readonly string[] Linear = ["0", "2", "4", "6"];

    /// <summary>
    /// The space the authors trained it on: their w1.2 supernet (ofa_mbv3_d234_e346_k357_w1.2) on ImageNet's 1000
    /// classes. The file records no space, so this is what it is checked against.
    /// </summary>
    public static SearchSpace TrainedOn { get; } = Presets.Get(Presets.MobileNetV3W12);

    /// <summary>Reads <paramref name="path"/> (legacy or zip torch.save) and checks it was trained on <paramref name="space"/>.</summary>
    public static (TensorSet Tensors, PredictorInfo Info) Import(string path, SearchSpace space)
    {
        var encoder = TutorialArchEncoder.ImageNet;
        string file = Path.GetFileName(path);
        TrainingSpace.Of(TrainedOn).Check(space, path,
            $"It is the OFA authors' predictor for their {TrainedOn.Name} supernet: import it with that supernet " +
            $"(ofa import ofa_mbv3_d234_e346_k357_w1.2 --space {TrainedOn.Name} --predictor {file} -o w12.ofa) or add it to a {TrainedOn.Name} package " +
            $"(ofa import --model w12.ofa --predictor {file} -o w12p.ofa).");
        var state = TorchCheckpoint.ReadStateDict(path);
        var expected = Linear.SelectMany(l => new[] { $"{l}.weight", $"{l}.bias" }).ToHashSet();
        var names = state.Names.Order(StringComparer.Ordinal).ToArray();
        if (!names.ToHashSet().SetEquals(expected))
        {
            // A supernet given as --predictor (the two files of `ofa import` swapped) holds hundreds of tensors: name a few and the fix.
            string held = names.Length <= 2 * expected.Count ? string.Join(", ", names) : $"{names.Length} tensors: {string.Join(", ", names.Take(3))}, ...";
            string fix = state.Contains("first_conv.conv.weight")
                ? $" It is a supernet checkpoint, not a predictor: import it as the checkpoint, with the predictor beside it (ofa import {file} --space {TrainedOn.Name} --predictor acc_predictor.pth -o w12.ofa for the authors' {TrainedOn.Name} supernet)."
                : "";
            throw new OfaFormatException($"{path}: holds {{{held}}}; the tutorial's accuracy predictor has exactly {{{string.Join(", ", expected.Order(StringComparer.Ordinal))}}} (nn.Sequential of 4 Linear layers).{fix}");
        }

        int hidden = state["0.weight"].Shape.Length == 2 ? state["0.weight"].Shape[0] : -1;
        var tensors = new TensorSet(path);
        for (int l = 0; l < 3; l++)
        {
            int fanIn = l == 0 ? encoder.Length : hidden;
            tensors.Add($"layers.{l}.0.weight", Tensor.FromFloats([hidden, fanIn], Floats(state, $"{Linear[l]}.weight", path, hidden, fanIn)));
            tensors.Add($"layers.{l}.0.bias", Tensor.FromFloats([hidden], Floats(state, $"{Linear[l]}.bias", path, hidden)));
        }
        tensors.Add("layers.3.weight", Tensor.FromFloats([1, hidden], Floats(state, "6.weight", path, 1, hidden)));
        // Linear(400, 1)'s bias is the constant OfaBuild's predictor calls base_acc.
        tensors.Add(AccuracyPredictor.BaseAccName, Tensor.FromFloats([1], Floats(state, "6.bias", path, 1)));
        // The same checks a package's predictor gets.
        var info = PredictorInfo.Mlp(AccuracyPredictor.FromTensors(tensors, encoder: encoder), TrainedOn) with
        {
            Source = $"{file}: the OFA authors' ImageNet accuracy predictor (mit-han-lab/once-for-all tutorial)",
        };
        return (tensors, info);
    }

    private static float[] Floats(TensorSet state, string name, string path, params int[] shape)
    {
        var t = state[name];
        if (t.DType != DType.F32 || !t.ShapeEquals(shape))
            throw new OfaFormatException($"{path}: tensor '{name}' is {t.DType.Name()} {t.ShapeText}; the tutorial's accuracy predictor has F32 [{string.Join(", ", shape)}].");
        return (float[])t.F32.Clone();
    }

    /// <summary><paramref name="package"/> with the predictor added (or replaced), its provenance saying so.</summary>
    public static OfaPackage AddTo(OfaPackage package, string path)
    {
        var (tensors, info) = Import(path, package.Manifest.Space);
        var manifest = package.Manifest with { Predictor = info };
        return new OfaPackage(manifest, package.Weights, tensors, package.Calibration);
    }
}
