using OfaBuild.Contracts;
using OfaBuild.Core;
using OfaBuild.Core.Data;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Space;
using OfaBuild.Core.Tensors;
using OfaBuild.Cli.Commands;

namespace OfaBuild.Tool.Commands;

/// <summary>
/// What `ofa train` trains on and what it trains: the dataset's splits (hold-out taken out) and the space,
/// which follows the data: input channels from the images, elastic resolutions from --resolutions or the
/// image size, classes from the labels; with --from, the source supernet's structure and weights.
/// </summary>
internal sealed record TrainingData(DatasetSplits Splits, SearchSpace Space, TensorSet? StartFrom, string Description)
{
    public static TrainingData Prepare(string dataset, IImageDecoder decoder, string? dataDir, string? spaceName, int? classes, string? resolutions,
        string? holdout, FileInfo? from)
    {
        var source = new DatasetSource(dataset, dataDir, decoder);
        OfaPackage? start = from is null ? null : OfaPackage.Read(CliRunner.ExistingFile(from));
        int[]? rs = resolutions is null ? null : ElasticResolutions.Parse(resolutions);
        string how = "";

        if (!source.IsFashionMnist && source.Decoder is not null)
        {
            // Decode at the size the largest resolution's centre crop needs; channels from the training images.
            var index = ImageFolderIndex.Scan(source.SplitFolder("train")!, source.Decoder);
            rs ??= start?.Manifest.Space.Resolutions.ToArray() ?? ElasticResolutions.FromImageSize(index.MedianShortSide);
            int channels = start?.Manifest.Space.InputChannels ?? index.Channels;
            source = source with { Channels = channels, Size = ElasticResolutions.StorageSize(rs, InputPreprocessing.ReferenceCenterCrop) };
            how = $"{CountText.Of(index.Files.Count, "image")} in {CountText.Of(index.ClassNames.Count, "class", "classes")}, median shorter side {index.MedianShortSide} px, {CountText.Of(channels, "channel")}, stored at {source.Size} px";
        }
        var splits = DatasetSplits.ForTraining(source, holdout);
        var train = splits.Train;
        int numClasses = classes ?? train.ClassNames.Count;

        SearchSpace space;
        if (start is not null)
        {
            if (spaceName is not null) throw new OfaException($"--from takes its space from '{from!.FullName}'; drop --space.");
            space = Training.Transfer.SupernetTransfer.Space(start.Manifest.Space, from!.FullName, train.Channels, numClasses, rs);
        }
        else
        {
            // Photos trained at 96 px and more get the reference's space (overall stride 32); smaller images the one sized for 28x28 (stride 8).
            spaceName ??= !source.IsFashionMnist && (rs?.Max() ?? train.Height) >= 96 ? Presets.MobileNetV3W10 : Presets.FashionMnist;
            space = Presets.Get(spaceName, numClasses);
            if (!source.IsFashionMnist) space = space with { InputChannels = train.Channels };
            else if (space.InputChannels != train.Channels)
                throw new OfaException($"Space '{space.Name}' takes {space.InputChannels} input channel(s); Fashion-MNIST has 1. Choose a matching --space.");
            if (rs is not null) space = space with { Resolutions = rs };
        }
        space.Validate();
        string held = splits.HoldoutInfo is { } h ? $", hold-out: {h}"
            : splits.Test is not null ? ", no hold-out (phase evaluations on the test split)"
            : $", no hold-out and no test split (no phase evaluations, and nothing for `ofa measure` or `ofa eval`: {DatasetSplits.NoEvaluationImagesFix})";
        return new TrainingData(splits, space, start?.Weights,
            $"{CountText.Of(train.Count, "training image")} ({train.Source}{(how.Length > 0 ? "; " + how : "")}){held}; space {space.Name}, resolutions {string.Join(",", space.Resolutions)}");
    }

    /// <summary>The images the phase evaluations use: the hold-out, else the test split.</summary>
    public ImageDataset? EvaluationSet => Splits.Holdout ?? Splits.Test;
}
