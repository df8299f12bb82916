using System.Text;
using System.Text.Json;

namespace OfaBuild.Core.Packaging;

/// <summary>
/// manifest.json of a <c>.ofa</c> package: everything needed to understand the tensors beside it
/// without a preset or the tool that wrote it. Serialised with <see cref="OfaJson.Options"/>
/// (snake_case, activations as "relu"/"h_swish").
/// </summary>
public sealed record OfaManifest
{
    /// <summary>The package format this tool writes; readers refuse versions they do not know.</summary>
    public const int CurrentFormatVersion = 1;

    public static IReadOnlyList<int> ReadableFormatVersions { get; } = [1];

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The full search space (resolved widths), so the package needs no preset.</summary>
    public required SearchSpace Space { get; init; }

    public required InputNormalization Normalization { get; init; }

    /// <summary>Class names, index = class id; as many as <see cref="SearchSpace.NumClasses"/>.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    public required Provenance Provenance { get; init; }

    /// <summary>Present iff the package holds predictor.safetensors.</summary>
    public PredictorInfo? Predictor { get; init; }

    /// <summary>Present iff the package holds calibration.safetensors.</summary>
    public CalibrationInfo? Calibration { get; init; }

    /// <summary>Which training images were kept out of training (optional; older packages have none).</summary>
    public HoldoutInfo? Holdout { get; init; }

    /// <summary>Indented JSON with "\n" line ends and a final newline; deterministic.</summary>
    public byte[] ToJsonBytes() => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, OfaJson.Manifest) + "\n");

    public string ToJson() => Encoding.UTF8.GetString(ToJsonBytes());

    /// <summary>
    /// Parses and validates a manifest. The format version is checked first, so a newer package
    /// says "update the tool" rather than failing on a field this version does not know.
    /// </summary>
    public static OfaManifest FromJson(ReadOnlySpan<byte> json, string source)
    {
        OfaManifest? manifest;
        try
        {
            using (var doc = JsonDocument.Parse(json.ToArray()))
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    throw new OfaFormatException($"{source}: manifest.json must be a JSON object.");
                if (!doc.RootElement.TryGetProperty("format_version", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int version))
                    throw new OfaFormatException($"{source}: manifest.json has no integer format_version; the package is damaged or not a .ofa package.");
                if (!ReadableFormatVersions.Contains(version))
                    throw new OfaFormatException($"{source}: package format_version {version} is not supported; this tool reads format_version {string.Join(", ", ReadableFormatVersions)}. Update OfaBuild or re-create the package with this version.");
            }
            manifest = JsonSerializer.Deserialize(json, OfaJson.Manifest);
        }
        catch (JsonException ex)
        {
            throw new OfaFormatException($"{source}: manifest.json is not valid ({ex.Message}).", ex);
        }
        if (manifest is null)
            throw new OfaFormatException($"{source}: manifest.json is null.");
        manifest.Validate(source);
        return manifest;
    }

    /// <summary>Checks the manifest on its own (space, labels, normalization, sections); names <paramref name="source"/>.</summary>
    public void Validate(string source)
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new OfaFormatException($"{source}: manifest.json: {what}.");
        }
        Require(ReadableFormatVersions.Contains(FormatVersion),
            $"format_version {FormatVersion} is not one this tool reads ({string.Join(", ", ReadableFormatVersions)})");
        Require(Space is not null, "space is missing");
        try
        {
            Space!.Validate();
        }
        catch (OfaException ex) when (ex is not OfaFormatException)
        {
            throw new OfaFormatException($"{source}: manifest.json: {ex.Message}", ex);
        }
        Require(Labels is not null, "labels are missing");
        Require(Labels!.Count == Space.NumClasses,
            $"{Labels.Count} labels for {Space.NumClasses} classes; list one label per class (num_classes = {Space.NumClasses})");
        for (int i = 0; i < Labels.Count; i++)
            Require(!string.IsNullOrEmpty(Labels[i]), $"label {i} is empty");

        if (Normalization is not { Mean: { } mean, Std: { } std })
            throw new OfaFormatException($"{source}: manifest.json: normalization needs mean and std.");
        Require(mean.Count == Space.InputChannels && std.Count == Space.InputChannels,
            $"normalization has {mean.Count} means and {std.Count} stds; the space has {Space.InputChannels} input channels (one of each per channel)");
        for (int c = 0; c < Space.InputChannels; c++)
        {
            Require(double.IsFinite(mean[c]), $"normalization mean {c} is not finite");
            Require(double.IsFinite(std[c]) && std[c] > 0, $"normalization std {c} is {std[c]}; it must be positive");
        }
        if (Normalization.CenterCrop is { } crop)
            Require(crop is > 0 and <= 1, $"normalization.center_crop is {crop}; it must be in (0, 1]");

        Require(Provenance is { Source: not null }, "provenance.source is missing");
        if (Predictor is not null)
        {
            Require(!string.IsNullOrWhiteSpace(Predictor.Kind), "predictor.kind is empty");
            if (Predictor.TrainedOn is { } trainedOn)
                CheckTrainedOn(Accuracy.TrainingSpace.Parse(trainedOn, $"{source}: manifest.json predictor.trained_on"), source);
        }
        if (Calibration is not null)
            Require(Calibration.Count >= 1, $"calibration.count is {Calibration.Count}; it must be at least 1");
        if (Holdout is not null)
            Require(Holdout.Count >= 1 && (Holdout.Folder is not null || (Holdout.Of > Holdout.Count && Holdout.IndicesSha256 is not null)),
                "holdout needs a folder, or a count below 'of' with indices_sha256");
    }

    /// <summary>A predictor recorded as trained on another space than the package's would score other networks.</summary>
    private void CheckTrainedOn(Accuracy.TrainingSpace trainedOn, string source)
    {
        string other = trainedOn.PresetOptions() is { } options
            ? $"; the predictor belongs with a package of {options}"
            : "";
        try
        {
            trainedOn.Check(Space, $"{source}: manifest.json predictor.trained_on", $"Run `ofa measure` to train one for this package's space{other}.");
        }
        catch (OfaException ex) when (ex is not OfaFormatException)
        {
            throw new OfaFormatException(ex.Message, ex);
        }
    }
}

/// <summary>
/// Per-channel input normalization. A pixel byte <c>x</c> (0..255) of channel <c>c</c> enters the
/// network as <c>(x / 255 - Mean[c]) / Std[c]</c> (torchvision's ToTensor then Normalize), so
/// ImageNet's values are Mean = [0.485, 0.456, 0.406], Std = [0.229, 0.224, 0.225].
/// </summary>
public sealed record InputNormalization(IReadOnlyList<double> Mean, IReadOnlyList<double> Std)
{
    /// <summary>
    /// Evaluation and calibration keep this fraction of the image around the centre before resizing to the
    /// subnet's resolution (the reference: resize to r / 0.875, centre crop r). Absent (older packages,
    /// Fashion-MNIST): the whole image is resized.
    /// </summary>
    public double? CenterCrop { get; init; }

    /// <summary><see cref="CenterCrop"/> with its default applied.</summary>
    public double Crop => CenterCrop ?? 1.0;

    /// <summary>The reference's ImageNet evaluation: torchvision's mean and std, and its centre crop (resize to r / 0.875, crop r).</summary>
    public static InputNormalization ImageNet { get; } = new([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]) { CenterCrop = Data.InputPreprocessing.ReferenceCenterCrop };

    /// <summary>Mean 0, std 1 on every channel: the network sees x / 255.</summary>
    public static InputNormalization Identity(int channels) =>
        new(Enumerable.Repeat(0.0, channels).ToArray(), Enumerable.Repeat(1.0, channels).ToArray());
}

/// <summary>
/// Where the package came from. The caller decides what to record; nothing here is filled in
/// from the clock or the machine, so the same inputs give the same package bytes.
/// </summary>
public sealed record Provenance
{
    /// <summary>What the weights came from, e.g. "trained on fashion-mnist" or the imported .pt path.</summary>
    public required string Source { get; init; }
    /// <summary>The command line that produced the package, if any.</summary>
    public string? CommandLine { get; init; }
    /// <summary>Version of the tool that wrote it.</summary>
    public string? ToolVersion { get; init; }
    /// <summary>Optional caller-supplied time stamp (ISO 8601); leave null for reproducible packages.</summary>
    public string? Created { get; init; }
}

/// <summary>
/// What predictor.safetensors holds. Every field but <see cref="Kind"/> is optional; the
/// predictor's trainer fills in what it knows.
/// </summary>
public sealed record PredictorInfo
{
    /// <summary>
    /// How the manifest describes an MLP predictor trained on <paramref name="trainedOn"/> (kind, encoding, space,
    /// sizes); callers add where it came from and how it fits.
    /// </summary>
    public static PredictorInfo Mlp(Accuracy.AccuracyPredictor predictor, SearchSpace trainedOn) => new()
    {
        Kind = "mlp",
        Encoding = predictor.Encoder.Describe(),
        TrainedOn = Accuracy.TrainingSpace.Of(trainedOn).Describe(),
        InputSize = predictor.Encoder.Length,
        HiddenSizes = Enumerable.Repeat(predictor.Hidden, predictor.HiddenLayers).ToArray(),
    };

    /// <summary>Model family, e.g. "mlp".</summary>
    public required string Kind { get; init; }
    /// <summary>How a subnet config becomes the input vector (<see cref="Accuracy.IArchEncoding.Describe"/>), e.g. "ofa-mbv3-onehot-v1;stages=5;...".</summary>
    public string? Encoding { get; init; }
    /// <summary>
    /// The search space it was trained on (<see cref="Accuracy.TrainingSpace.Describe"/>); reading the package refuses
    /// it unless the package's space is all within it. Absent in packages written before it was recorded: the space
    /// it was trained on is unknown, and only the encoding is checked (its input size against the weights, and each
    /// predicted subnet's choices against the encoding's).
    /// </summary>
    public string? TrainedOn { get; init; }
    public int? InputSize { get; init; }
    public IReadOnlyList<int>? HiddenSizes { get; init; }
    /// <summary>Measured subnets it was trained on / held out for evaluation.</summary>
    public int? TrainSamples { get; init; }
    public int? TestSamples { get; init; }
    /// <summary>Root mean squared error on the held-out subnets, in accuracy points (0..1 scale).</summary>
    public double? Rmse { get; init; }
    /// <summary>Spearman rank correlation on the held-out subnets.</summary>
    public double? Spearman { get; init; }
    /// <summary>Where the predictor came from when it was not trained by `ofa measure` (e.g. the OFA authors' file).</summary>
    public string? Source { get; init; }
    /// <summary>The images its training data was measured on (`ofa measure`), e.g. "first 10000 of the 10000 holdout images of fashion-mnist (...)".</summary>
    public string? Evaluation { get; init; }
    /// <summary>What `ofa measure --refine-rounds` learned at which step; absent when the predictor saw the random sample only.</summary>
    public PredictorRefinementInfo? Refinement { get; init; }
    /// <summary>The correction by measured residuals stored with the MLP; absent (older packages, or none fitted): the MLP alone.</summary>
    public ResidualInfo? Residual { get; init; }
}

/// <summary>
/// The MLP's residual correction (<see cref="Accuracy.ResidualCorrection"/>): its kernel, chosen by leave-one-out on
/// the training rows, and the MLP's own held-out fit, so the correction's effect on <see cref="PredictorInfo.Rmse"/> shows.
/// </summary>
public sealed record ResidualInfo
{
    /// <summary>e.g. "rbf-kriging-v1".</summary>
    public required string Scheme { get; init; }
    /// <summary>Measured subnets stored with their residuals (the predictor's training rows).</summary>
    public required int Points { get; init; }
    public required double LengthScale { get; init; }
    public required double NoiseRatio { get; init; }
    /// <summary>The anchors' own term relative to the kernel's variance; absent when none (older packages, or anchors on the surface).</summary>
    public double? AnchorOwnRatio { get; init; }
    /// <summary>Leave-one-out RMSE of the corrected predictor on the stored points, in accuracy points (percent).</summary>
    public double? LooRmsePoints { get; init; }
    /// <summary>Held-out RMSE (0..1 scale) and Spearman of the MLP without the correction.</summary>
    public double? MlpRmse { get; init; }
    public double? MlpSpearman { get; init; }
}

/// <summary>
/// The steps of a refined predictor: the random sample, then per round the subnets the search picked at budgets
/// over each device's latency range, their measured and predicted top-1 (fractions), and the fit after retraining.
/// </summary>
public sealed record PredictorRefinementInfo
{
    /// <summary>Subnets of the random sample, of which <see cref="Anchors"/> are the smallest and largest at each resolution.</summary>
    public required int RandomSubnets { get; init; }
    public required int Anchors { get; init; }
    /// <summary>The predictor trained on the random sample alone (the reference's).</summary>
    public required PredictorFit RandomSampleFit { get; init; }
    /// <summary>How many images each top-1 was measured on (what the measurement noise follows).</summary>
    public required int EvaluationImages { get; init; }
    public required int MaxRounds { get; init; }
    public required IReadOnlyList<RefinementRound> Rounds { get; init; }
    /// <summary>"agreement" (a round's picks were predicted within the noise), "no-new-picks" (the search picked only measured subnets, so retraining would change nothing) or "max-rounds".</summary>
    public required string Stopped { get; init; }
}

/// <summary>A predictor's fit on the random subnets it did not train on; RMSE and Spearman are null with fewer than 2 of them.</summary>
public sealed record PredictorFit
{
    public required int TrainSamples { get; init; }
    public required int TestSamples { get; init; }
    public double? RmsePoints { get; init; }
    public double? Spearman { get; init; }
}

/// <summary>
/// One refinement round: the picks of the search with the predictor of the previous step, how many of them were
/// measured for the first time, their mean |predicted - measured| against the noise, and the fit after retraining (null when the round
/// agreed and the predictor was kept).
/// </summary>
public sealed record RefinementRound
{
    public required int Round { get; init; }
    public required IReadOnlyList<RefinementPick> Picks { get; init; }
    public required int NewlyMeasured { get; init; }
    public required double MeanAbsErrorPoints { get; init; }
    /// <summary>The binomial standard error of the picks' mean measured top-1 on the evaluation images, in points: the disagreement accepted.</summary>
    public required double NoisePoints { get; init; }
    public PredictorFit? Fit { get; init; }
}

/// <summary>The subnet the search chose on a device within a budget (config as compact JSON), with its predicted and measured top-1.</summary>
public sealed record RefinementPick(string Device, double BudgetMs, double LatencyMs, string Config, double Predicted, double Measured);

/// <summary>What calibration.safetensors holds: <c>images</c> U8 [N, C, H, W] and <c>labels</c> I64 [N].</summary>
public sealed record CalibrationInfo
{
    /// <summary>N, the number of images.</summary>
    public required int Count { get; init; }
    /// <summary>Which data the images were taken from, e.g. "fashion-mnist train, seed 0".</summary>
    public string? Source { get; init; }
}

/// <summary>
/// The held-out images: either the <see cref="Folder"/> beside train/ (e.g. "val"), or <see cref="Count"/> of the
/// <see cref="Of"/> training images chosen by <c>HoldoutSplit.Indices(Of, Count, Seed)</c> (files in sorted order
/// for an image folder), recognised by <see cref="IndicesSha256"/>.
/// </summary>
public sealed record HoldoutInfo
{
    public required int Count { get; init; }
    /// <summary>The dataset the images were held out of, e.g. "fashion-mnist/train".</summary>
    public required string Source { get; init; }
    public string? Folder { get; init; }
    public int? Of { get; init; }
    public int? Seed { get; init; }
    public string? IndicesSha256 { get; init; }

    /// <summary>The same images held out: the folder, or count, total, seed and indices (wherever the dataset lies now).</summary>
    public bool SameImagesAs(HoldoutInfo? other) => other is not null && this with { Source = "" } == other with { Source = "" };

    /// <summary>How the log and messages name it: "1000 images of val/" or "6000 of 60000 training images (seed 0)".</summary>
    public override string ToString() => Folder is not null ? $"{Count} images of {Folder}/"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Count} of {Of} training images (seed {Seed})");
}
