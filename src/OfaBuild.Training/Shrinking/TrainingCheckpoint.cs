using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OfaBuild.Core;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Tensors;
using static TorchSharp.torch;
using CoreTensor = OfaBuild.Core.Tensors.Tensor;
using Tensor = TorchSharp.torch.Tensor;

namespace OfaBuild.Training.Shrinking;

/// <summary>
/// A resumable training state as one safetensors file (written atomically: temp file + rename):
/// "model/..." the supernet, "teacher/..." the frozen full net (after the full phase), "momentum/..."
/// the optimizer buffers; metadata: the position (phase index, epochs done in it) and the space.
/// </summary>
public sealed record TrainingCheckpoint(int Phase, int EpochsDone, string SpaceName, int NumClasses,
    TensorSet Model, TensorSet? Teacher, IReadOnlyDictionary<string, float[]> MomentumData, IReadOnlyDictionary<string, int[]> MomentumShapes)
{
    /// <summary>The space's input channels (they follow the images); null in checkpoints written before it was recorded.</summary>
    public int? InputChannels { get; init; }

    /// <summary>The images kept out of training (null: none), as the package records them.</summary>
    public HoldoutInfo? Holdout { get; init; }
    /// <summary>False for checkpoints written before the hold-out was recorded (then <see cref="Holdout"/> says nothing).</summary>
    public bool HoldoutRecorded { get; init; }

    /// <summary>
    /// Written at the end of a phase before its evaluation runs (Ctrl-C can stop that evaluation, which runs for minutes at
    /// larger resolutions): a resume runs the evaluation, then the next phase. False in checkpoints written before it was recorded.
    /// </summary>
    public bool EvaluationPending { get; init; }

    private static readonly JsonTypeInfo<HoldoutInfo> HoldoutJson = (JsonTypeInfo<HoldoutInfo>)OfaJson.Options.GetTypeInfo(typeof(HoldoutInfo));

    public void Write(string path)
    {
        var all = new TensorSet(path);
        foreach (var (n, t) in Model.Items) all.Add("model/" + n, t);
        if (Teacher is not null) foreach (var (n, t) in Teacher.Items) all.Add("teacher/" + n, t);
        foreach (var (n, d) in MomentumData) all.Add("momentum/" + n, CoreTensor.FromFloats(MomentumShapes[n], d));
        var meta = new Dictionary<string, string>
        {
            ["format"] = "ofa-training-checkpoint-1",
            ["phase"] = Phase.ToString(CultureInfo.InvariantCulture),
            ["epochs_done"] = EpochsDone.ToString(CultureInfo.InvariantCulture),
            ["space"] = SpaceName,
            ["num_classes"] = NumClasses.ToString(CultureInfo.InvariantCulture),
        };
        if (InputChannels is { } channels) meta["input_channels"] = channels.ToString(CultureInfo.InvariantCulture);
        if (EvaluationPending) meta["evaluation_pending"] = "true";
        if (HoldoutRecorded) meta["holdout"] = Holdout is null ? "none" : JsonSerializer.Serialize(Holdout, HoldoutJson);
        SafeTensors.Write(path, all, meta);
    }

    public static TrainingCheckpoint Read(string path)
    {
        if (!File.Exists(path)) throw new OfaException($"Checkpoint '{path}' does not exist; start without --resume.");
        var content = SafeTensors.ReadContent(path);
        var meta = content.Metadata;
        if (!meta.TryGetValue("format", out var f) || f != "ofa-training-checkpoint-1")
            throw new OfaFormatException($"'{path}' is not an OfaBuild training checkpoint.");
        var model = new TensorSet(path + " [model]");
        TensorSet? teacher = null;
        var mom = new Dictionary<string, float[]>();
        var shapes = new Dictionary<string, int[]>();
        foreach (var (n, t) in content.Tensors.Items)
        {
            if (n.StartsWith("model/", StringComparison.Ordinal)) model.Add(n[6..], t);
            else if (n.StartsWith("teacher/", StringComparison.Ordinal)) (teacher ??= new TensorSet(path + " [teacher]")).Add(n[8..], t);
            else if (n.StartsWith("momentum/", StringComparison.Ordinal)) { mom[n[9..]] = t.F32; shapes[n[9..]] = t.Shape; }
        }
        return new TrainingCheckpoint(int.Parse(meta["phase"], CultureInfo.InvariantCulture), int.Parse(meta["epochs_done"], CultureInfo.InvariantCulture), meta["space"], int.Parse(meta["num_classes"], CultureInfo.InvariantCulture),
            model, teacher, mom, shapes)
        {
            InputChannels = meta.TryGetValue("input_channels", out var c) ? int.Parse(c, CultureInfo.InvariantCulture) : null,
            HoldoutRecorded = meta.TryGetValue("holdout", out var h),
            EvaluationPending = meta.TryGetValue("evaluation_pending", out var e) && e == "true",
            Holdout = h is null or "none" ? null : JsonSerializer.Deserialize(h, HoldoutJson),
        };
    }

    internal static (Dictionary<string, float[]>, Dictionary<string, int[]>) Capture(IReadOnlyDictionary<string, Tensor> buffers)
    {
        var data = new Dictionary<string, float[]>();
        var shapes = new Dictionary<string, int[]>();
        using var scope = NewDisposeScope(); // holds the copies until they are read (HeldScalars)
        foreach (var (n, t) in buffers)
        {
            var c = t.detach().cpu().contiguous();
            data[n] = c.data<float>().ToArray();
            shapes[n] = c.shape.Select(d => (int)d).ToArray();
        }
        return (data, shapes);
    }

    internal IEnumerable<KeyValuePair<string, Tensor>> MomentumTensors() =>
        MomentumData.Select(kv => new KeyValuePair<string, Tensor>(kv.Key, tensor(kv.Value, MomentumShapes[kv.Key].Select(d => (long)d).ToArray())));
}
