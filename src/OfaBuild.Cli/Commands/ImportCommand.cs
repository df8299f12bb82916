using OfaBuild.Core.Data;
using OfaBuild.Core.Import;
using OfaBuild.Core.Space;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// `ofa import ref.pt --space mbv3-w1.0 --classes 10 [--predictor acc_predictor.pth] -o ref.ofa`: a reference PyTorch
/// checkpoint (zip or legacy torch.save, as the model zoo ships them) to a .ofa package;
/// `ofa import --model x.ofa --predictor acc_predictor.pth -o y.ofa` adds the authors' predictor to a package;
/// `--calibration photos/` adds calibration images (a checkpoint brings none: BN recalibration and int8 need them).
/// </summary>
internal static class ImportCommand
{
    /// <param name="decoder">The full tool's image decoder (JPEG, PNG, ...); null reads same-size PGM/PPM only.</param>
    public static Command Create(IImageDecoder? decoder)
    {
        var checkpoint = new Argument<FileInfo?>("checkpoint") { Description = "torch.save file (zip or legacy format): a state dict, or {\"state_dict\": ...} as the OFA model zoo ships.", Arity = ArgumentArity.ZeroOrOne };
        var space = new Option<string?>("--space") { Description = CommonOptions.SpaceHelp + " (with a checkpoint)." };
        var classes = CommonOptions.Classes("Number of classes of the checkpoint's classifier (default: the preset's).");
        var labels = new Option<FileInfo?>("--labels") { Description = "Text file with one label per line (default: class_0, class_1, ...)." };
        var predictor = new Option<FileInfo?>("--predictor") { Description = "The OFA authors' ImageNet accuracy predictor (acc_predictor.pth of the tutorial), stored with its own input encoding." };
        var calibration = new Option<DirectoryInfo?>("--calibration") { Description = "A folder of images to store as the package's calibration images (BN recalibration and int8 at build time; a checkpoint brings none): the images themselves (labels are not needed), or one sub-folder per label as --dataset reads them (labels are then the sub-folders' indices in sorted order, as torchvision's ImageFolder numbers them)." };
        var calibrationImages = new Option<int>("--calibration-images") { Description = "How many of --calibration's images to store (a fixed random draw; at most 32 MB of them).", DefaultValueFactory = _ => PackageCalibration.DefaultImages }.AtLeast(1);
        var model = CommonOptions.OptionalModel("An existing .ofa package to add --predictor or --calibration to (instead of a checkpoint).");
        var output = CommonOptions.Output<FileInfo>("The .ofa file to write.");
        var command = new Command("import", "Import a PyTorch checkpoint of the reference OFA implementation (mit-han-lab/once-for-all) into a .ofa package, optionally with the authors' accuracy predictor, or add that predictor to a package. The pickles are read without running any code.")
        {
            checkpoint, space, classes, labels, predictor, calibration, calibrationImages, model, output,
        };
        command.SetAction(result => CliRunner.Run(() =>
        {
            var predictorPath = result.GetValue(predictor) is { } p ? CliRunner.ExistingFile(p) : null;
            var path = result.GetValue(output)!.FullName;
            OfaPackage package;
            if (result.GetValue(model) is { } existing)
            {
                if (result.GetValue(checkpoint) is not null || result.GetValue(space) is not null)
                    throw new OfaException("Give either a checkpoint with --space, or --model with an existing package, not both.");
                if (predictorPath is null && result.GetValue(calibration) is null)
                    throw new OfaException("--model adds a predictor or calibration images to a package: give --predictor acc_predictor.pth or --calibration <a folder of your images>.");
                package = OfaPackage.Read(CliRunner.ExistingFile(existing));
            }
            else
            {
                var source = CliRunner.ExistingFile(result.GetValue(checkpoint)
                    ?? throw new OfaException("Name the checkpoint to import (ofa import ofa_mbv3_d234_e346_k357_w1.2 --space mbv3-w1.2 -o w12.ofa), or --model x.ofa to add a predictor to a package."));
                var spaceName = result.GetValue(space) ?? throw new OfaException($"Give the checkpoint's search space with --space ({string.Join(", ", Presets.Names)}).");
                var searchSpace = Presets.Get(spaceName, result.GetValue(classes));
                var labelList = result.GetValue(labels) is { } file
                    ? File.ReadAllLines(CliRunner.ExistingFile(file)).Where(l => l.Length > 0).ToArray()
                    : null;
                var commandLine = "ofa " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
                package = ReferenceImporter.Import(source, searchSpace, labelList, commandLine);
            }
            if (predictorPath is not null) package = TutorialPredictorImporter.AddTo(package, predictorPath);
            if (result.GetValue(calibration) is { } folder) package = WithCalibration(package, Path.TrimEndingDirectorySeparator(folder.ToString()), result.GetValue(calibrationImages), decoder);
            package.Write(path);
            var s = package.Manifest.Space;
            Console.WriteLine($"wrote {path}: space {s.Name}, {s.NumClasses} classes, {package.Weights.Count} tensors" +
                (package.Manifest.Predictor is { } info ? $", predictor {info.Kind} ({info.Encoding})" : "") +
                (package.Manifest.Calibration is { } cal ? $", {cal.Count} calibration images ({cal.Source})" : ""));
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// <paramref name="package"/> with <paramref name="count"/> images of <paramref name="folder"/> as its calibration images,
    /// decoded as the package's own images are stored (its channels, its largest resolution and centre crop).
    /// </summary>
    private static OfaPackage WithCalibration(OfaPackage package, string folder, int count, IImageDecoder? decoder)
    {
        var manifest = package.Manifest;
        var images = (ImageDecoding.ForPackage(folder, null, manifest, decoder) with { Unlabelled = true }).Load("train");
        if (images.Channels != manifest.Space.InputChannels)
            throw new OfaException($"'{folder}': its images have {images.Channels} channel(s); the package takes {manifest.Space.InputChannels}. Give images of {manifest.Space.InputChannels} channel(s).");
        if (images.ClassNames.Count > manifest.Space.NumClasses)
            throw new OfaException($"'{folder}' has {images.ClassNames.Count} label folders; the package has {manifest.Space.NumClasses} classes. Give at most that many, or the images themselves in '{folder}' (calibration needs no labels).");
        var (tensors, info) = PackageCalibration.Draw(images, PackageCalibration.ImagesFor(images, count));
        return new OfaPackage(manifest with { Calibration = info }, package.Weights, package.Predictor, tensors);
    }
}
