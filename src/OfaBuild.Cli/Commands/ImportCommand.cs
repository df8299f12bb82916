using System.CommandLine;
using OfaBuild.Core.Import;
using OfaBuild.Core.Space;

namespace OfaBuild.Cli.Commands;

/// <summary>`ofa import ref.pt --space mbv3-w1.0 --classes 10 -o ref.ofa`: a reference PyTorch checkpoint to a .ofa package.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var checkpoint = new Argument<FileInfo>("checkpoint") { Description = "torch.save file: a state dict, or {\"state_dict\": ...} as the OFA model zoo ships." };
        var space = new Option<string>("--space") { Description = $"Search space preset: {string.Join(", ", Presets.Names)}.", Required = true };
        var classes = new Option<int?>("--classes") { Description = "Number of classes of the checkpoint's classifier (default: the preset's)." };
        var labels = new Option<FileInfo?>("--labels") { Description = "Text file with one label per line (default: class_0, class_1, ...)." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The .ofa file to write.", Required = true };
        var command = new Command("import", "Import a PyTorch checkpoint of the reference OFA implementation (mit-han-lab/once-for-all) into a .ofa package. The pickle is read without running any code.")
        {
            checkpoint, space, classes, labels, output,
        };
        command.SetAction(result => CliRunner.Run(() =>
        {
            var source = CliRunner.ExistingFile(result.GetValue(checkpoint)!);
            var searchSpace = Presets.Get(result.GetValue(space)!, result.GetValue(classes));
            var labelList = result.GetValue(labels) is { } file
                ? File.ReadAllLines(CliRunner.ExistingFile(file)).Where(l => l.Length > 0).ToArray()
                : null;
            var commandLine = "ofa " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
            var package = ReferenceImporter.Import(source, searchSpace, labelList, commandLine);
            var path = result.GetValue(output)!.FullName;
            package.Write(path);
            Console.WriteLine($"wrote {path}: space {searchSpace.Name}, {searchSpace.NumClasses} classes, {package.Weights.Count} tensors");
            return 0;
        }));
        return command;
    }
}
