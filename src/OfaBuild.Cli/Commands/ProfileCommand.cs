using System.Globalization;
using OfaBuild.Cli.Remote;
using OfaBuild.Contracts;
using OfaBuild.Core.Devices;
using OfaBuild.Core.Space;
using OfaBuild.Core.Latency;
using OfaBuild.Core.Latency.Profiling;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// `ofa profile -o my-device.json [--space preset | --model x.ofa]`: a measured latency table of this machine, and
/// optionally (`--validate N`) how well it predicts N random whole subnets; with `--ssh user@host`, of that
/// board instead (<see cref="RemoteProfile"/>). `--model` takes the space (classes, input channels, resolutions)
/// from a package's manifest: a package trained on one's own images has a space no preset gives.
/// </summary>
internal static class ProfileCommand
{
    public static Command Create()
    {
        var output = CommonOptions.Output<FileInfo>("The latency table JSON to write.");
        var space = CommonOptions.Space(Presets.FashionMnist);
        space.Description = CommonOptions.SpaceHelp + " (or --model: a package's own space).";
        var classes = CommonOptions.Classes("Classes of the classifier (default: the preset's).");
        var model = CommonOptions.OptionalModel("Profile the space of this .ofa package (its classes, input channels and resolutions, as its manifest records them) instead of a preset's: for a package trained on your own images. Not with --space or --classes.");
        var device = new Option<string?>("--device") { Description = "Name recorded in the table (default: the output file name); a catalog device as the catalog spells it (Cortex-A53: cortex-a53)." };
        var threads = CommonOptions.Threads("ONNX Runtime intra-op threads.", 1);
        var reps = new Option<int>("--repetitions") { Description = "Timed rounds: each times every layer (or validation subnet) once, in network order (median kept).", DefaultValueFactory = _ => 25 }.AtLeast(1);
        var warmup = new Option<int>("--warmup") { Description = "Untimed rounds before the timed ones.", DefaultValueFactory = _ => 10 }.AtLeast(0);
        var calibration = new Option<int>("--calibration") { Description = "Random subnets timed whole beside the layers, to scale one-layer times to their time inside a network (0: no scaling).", DefaultValueFactory = _ => 50 }.AtLeast(0);
        var ssh = new Option<string?>("--ssh") { Description = "Profile that board instead of this machine: user@host or a Host of ~/.ssh/config (key login). Publishes the profiler for --rid, copies it over scp, runs it there and brings the table back." };
        var rid = new Option<string>("--rid") { Description = "Runtime identifier of the --ssh board.", DefaultValueFactory = _ => "linux-arm64" };
        var sshConfig = new Option<FileInfo?>("--ssh-config") { Description = "An ssh configuration file to use instead of ~/.ssh/config (ssh -F)." };
        var referenceLut = new Option<FileInfo[]>("--reference-lut") { Description = "Instead of measuring, convert the reference implementation's YAML latency lookup tables (e.g. the Note10 tables, one per resolution) into a device table.", AllowMultipleArgumentsPerToken = true };
        var precision = CommonOptions.Precision("Time the layers in fp32, or quantised to int8 (QDQ, as an int8 target ships them).");
        var validate = new Option<int>("--validate") { Description = "Then time N random whole subnets and compare with the table's prediction.", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var command = new Command("profile", "Measure a latency table on this machine (or, with --ssh, on a board): every block shape of the space, timed in ONNX Runtime in the order networks run them (warm-up rounds, timed rounds, median).")
        {
            output, space, classes, model, device, threads, reps, warmup, calibration, precision, validate, referenceLut, ssh, rid, sshConfig,
        };
        command.SetAction((result, cancel) => Task.FromResult(CliRunner.Run(() =>
        {
            string? modelPath = result.GetValue(model) is { } m ? CliRunner.ExistingFile(m) : null;
            if (modelPath is not null && (result.GetResult(space) is { Implicit: false } || result.GetValue(classes) is not null))
                throw new OfaException("Give --model (the package's own space) or --space/--classes (a preset's), not both: the package's manifest already names its space and classes.");
            var searchSpace = modelPath is not null ? OfaPackage.ReadManifest(modelPath).Space : Presets.Get(result.GetValue(space)!, result.GetValue(classes));
            string spaceName = modelPath is null ? searchSpace.Name
                : $"the space of {Path.GetFileName(modelPath)} ({searchSpace.Name}, {searchSpace.InputChannels} input channel(s), {searchSpace.NumClasses} classes, resolutions {string.Join(", ", searchSpace.Resolutions)})";
            var path = result.GetValue(output)!.FullName;
            // Device names ignore case, and outputs use the catalog's spelling: --device Cortex-A53 records cortex-a53.
            var name = DeviceCatalog.Builtin().Canonical(result.GetValue(device) ?? Path.GetFileNameWithoutExtension(path));
            if (result.GetValue(referenceLut) is { Length: > 0 } luts)
            {
                var imported = ReferenceLatencyLut.Import(name, luts.Select(CliRunner.ExistingFile));
                LatencyTableFile.Save(imported, path);
                var covered = imported.CoveredResolutions(searchSpace);
                string coverage = covered.Count > 0 ? string.Join(", ", covered)
                    : $"none (the tables are at {CountText.Noun(imported.ByResolution.Count, "resolution")} {string.Join(", ", imported.ByResolution.Keys.Order())} of another space: name theirs with --space or --model)";
                Console.WriteLine($"wrote {path}: {imported.ByResolution.Sum(t => t.Value.Count)} entries imported from {luts.Length} reference table(s), one per resolution ({imported.Kind.Name()}); resolutions covered for {spaceName}: {coverage}");
                return 0;
            }
            var protocol = new ProfileProtocol(Threads: result.GetValue(threads), Repetitions: result.GetValue(reps), Warmup: result.GetValue(warmup), CalibrationSubnets: result.GetValue(calibration));
            if (result.GetValue(ssh) is string destination)
            {
                if (result.GetValue(validate) > 0)
                    throw new OfaException("--validate runs on this machine only: profile the board with --ssh, then run `ofa profile --validate` on the board if needed.");
                var request = new RemoteProfileRequest(searchSpace, modelPath, name, protocol.Threads, protocol.Repetitions, protocol.Warmup, result.GetValue(precision)!, protocol.CalibrationSubnets);
                string? config = result.GetValue(sshConfig) is { } f ? CliRunner.ExistingFile(f) : null;
                var remote = RemoteProfile.Run(new Ssh(destination, config), result.GetValue(rid)!, request, path, cancel);
                Console.WriteLine($"wrote {path}: {remote.Entries.Count} entries measured on {destination} ({remote.Info.GetValueOrDefault("cpu")}), per-network constant {LatencyText.Ms(remote.ConstantMs)}");
                return 0;
            }
            string layerPrecision = result.GetValue(precision)!;
            Console.WriteLine($"profiling {NetworkShapes.All(searchSpace).Count} layer shapes of {spaceName} in {layerPrecision}, in rounds, each timing every shape once: {protocol.Describe()["protocol"]}");

            int n = result.GetValue(validate);
            var (table, together) = ProgressDisplay.OnStderr().Count("timing the layer shapes", "rounds", p => LatencyProfiler.ProfileAndValidate(searchSpace, name, protocol, n,
                layerPrecision, new Progress(p), cancel));
            LatencyTableFile.Save(table, path);
            Console.WriteLine($"wrote {path}: {table.Entries.Count} entries (measured, {table.Precision}), per-network constant {LatencyText.Ms(table.ConstantMs)}, in a network: {table.Info.GetValueOrDefault("context_scale")} x alone + {table.Info.GetValueOrDefault("context_ms_per_megabyte")} ms per MB of the layer model");
            if (together is not null)
            {
                Print($"validation on {n} random subnets timed in the profile's rounds", together, details: true);
                var later = ProgressDisplay.OnStderr().Count("timing the validation subnets again", "rounds", p => LatencyValidation.Run(searchSpace, table, n, protocol, LatencyValidation.DefaultSeed, new Progress(p), cancel));
                Print("the same subnets timed again afterwards (the machine's drift included)", later, details: false);
            }
            return 0;
        })));
        return command;
    }

    private static void Print(string title, LatencyValidationResult v, bool details)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"{title}: {v.ShareWithin(0.10):P0} within ±10 %, Spearman {v.Spearman:F3}, mean relative error {v.MeanRelativeError:+0.0%;-0.0%}"));
        if (!details) return;
        int n = v.Checks.Count;
        foreach (var c in v.Checks.OrderBy(c => c.MeasuredMs).Where((_, i) => i % Math.Max(1, n / 10) == 0))
            Console.WriteLine(string.Create(inv, $"  predicted {LatencyText.Ms(c.PredictedMs),11}  measured {LatencyText.Ms(c.MeasuredMs),11}  ({c.RelativeError:+0.0%;-0.0%})"));
    }

    private sealed class Progress(Action<(int Done, int Total)> show) : IProgress<ProfileProgress>
    {
        public void Report(ProfileProgress value) => show((value.Done, value.Total));
    }
}
