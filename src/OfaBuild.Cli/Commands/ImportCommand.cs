using OfaBuild.Core.Import;
using OfaBuild.Core.Space;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// `ofa import ref.pt --space mbv3-w1.0 --classes 10 [--predictor acc_predictor.pth] -o ref.ofa`: a reference PyTorch
/// checkpoint (zip or legacy torch.save, as the model zoo ships them) to a .ofa package;
/// `ofa import --model x.ofa --predictor acc_predictor.pth -o y.ofa` adds the authors' predictor to a package.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var checkpoint = new Argument<FileInfo?>("checkpoint") { Description = "torch.save file (zip or legacy format): a state dict, or {\"state_dict\": ...} as the OFA model zoo ships.", Arity = ArgumentArity.ZeroOrOne };
        var space = new Option<string?>("--space") { Description = CommonOptions.SpaceHelp + " (with a checkpoint)." };
        var classes = CommonOptions.Classes("Number of classes of the checkpoint's classifier (default: the preset's).");
        var labels = new Option<FileInfo?>("--labels") { Description = "Text file with one label per line (default: class_0, class_1, ...)." };
        var predictor = new Option<FileInfo?>("--predictor") { Description = "The OFA authors' ImageNet accuracy predictor (acc_predictor.pth of the tutorial), stored with its own input encoding." };
        var model = CommonOptions.OptionalModel("An existing .ofa package to add --predictor to (instead of a checkpoint).");
        var output = CommonOptions.Output<FileInfo>("The .ofa file to write.");
        var command = new Command("import", "Import a PyTorch checkpoint of the reference OFA implementation (mit-han-lab/once-for-all) into a .ofa package, optionally with the authors' accuracy predictor, or add that predictor to a package. The pickles are read without running any code.")
        {
            checkpoint, space, classes, labels, predictor, model, output,
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
                if (predictorPath is null)
                    throw new OfaException("--model adds a predictor to a package: give --predictor acc_predictor.pth.");
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
            package.Write(path);
            var s = package.Manifest.Space;
            Console.WriteLine($"wrote {path}: space {s.Name}, {s.NumClasses} classes, {package.Weights.Count} tensors" +
                (package.Manifest.Predictor is { } info ? $", predictor {info.Kind} ({info.Encoding})" : ""));
            return 0;
        }));
        return command;
    }
}
