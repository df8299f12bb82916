using OfaBuild.Core.Space;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// `ofa init --space mbv3-fmnist -o untrained.ofa`: a supernet with seeded random weights and random
/// calibration images. Its subnets are untrained (accuracy at chance): it is for trying the build
/// pipeline, profiling and benchmarks before a supernet is trained.
/// </summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var space = CommonOptions.Space();
        var classes = CommonOptions.Classes();
        var seed = new Option<int>("--seed") { Description = "Seed of the random weights.", DefaultValueFactory = _ => UntrainedPackage.DefaultSeed };
        var output = CommonOptions.Output<FileInfo>("The .ofa file to write.");
        var command = new Command("init", "Write an untrained supernet (seeded random weights and calibration images) to try the pipeline before training.")
        {
            space, classes, seed, output,
        };
        command.SetAction(result => CliRunner.Run(() =>
        {
            var s = Presets.Get(result.GetValue(space)!, result.GetValue(classes));
            var package = UntrainedPackage.Create(s, result.GetValue(seed));
            var path = result.GetValue(output)!.FullName;
            package.Write(path);
            Console.WriteLine($"wrote {path}: untrained {s.Name} supernet, {s.NumClasses} classes, {package.Manifest.Calibration!.Count} random calibration images");
            return 0;
        }));
        return command;
    }
}
