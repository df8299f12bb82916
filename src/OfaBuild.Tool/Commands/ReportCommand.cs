using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using OfaBuild.Tool.Reporting;
using OfaBuild.Cli.Commands;
using OfaBuild.Contracts;
using OfaBuild.Core;
using OfaBuild.Core.IO;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Latency;
using OfaBuild.Runtime;

namespace OfaBuild.Tool.Commands;

/// <summary>
/// `ofa report [--model x.ofa] --device cortex-a53 [--device ...] [--profile DEVICE=PATH] [--project App.csproj [-p:Name=Value] | --target DEVICE=MS] -o report/`:
/// per device a PNG of predicted accuracy vs latency (random cloud, Pareto front, targets and their chosen
/// subnets) and report.md with the same numbers. A device whose targets are searched on more than one latency table
/// (an int8 target's int8 table, another profile) gets a panel per table. With --project, --model defaults to the supernet the project's
/// classes name (<see cref="ReportSupernet"/>). Not in the build-host tool: it needs ScottPlot and Skia's native library.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var model = CommonOptions.OptionalModel("The .ofa supernet package (with an accuracy predictor from `ofa measure`); with --project, by default the one its [OfaModel] classes name.");
        var devices = new Option<string[]>("--device") { Description = "Device to plot (repeat for more); default: the devices of the targets." }.NamesADevice();
        var profiles = new Option<string[]>("--profile") { Description = "DEVICE=PATH: measured latency table from `ofa profile` for that device, for all its targets (a project target's own Profile included) (repeatable)." };
        var project = new Option<string?>("--project", "--targets-from") { Description = "An app's .csproj (or its folder, with one .csproj): its targets, [OfaTarget(\"device\", LatencyMs = N, ...)] attributes of its Compile items and <OfaTarget> items as MSBuild evaluates them (`dotnet msbuild -getItem`, no restore), are marked at the subnet the build chooses (read by the build's own code; MaxMFlops and Precision searched as the build searches them; an adaptive target's rung 0)." };
        var properties = new Option<string[]>("--property", "-p") { Description = "Name=Value: an MSBuild property for --project's evaluation, as `dotnet build -p:Name=Value` sets it (repeatable)." };
        var targets = new Option<string[]>("--target") { Description = "DEVICE=MS: a latency budget to mark (repeatable), instead of or besides --project." };
        var output = CommonOptions.Output<DirectoryInfo>("Folder for DEVICE.png and report.md.");
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random cloud and the searches (the chosen subnets match `ofa search --seed`).", DefaultValueFactory = _ => 0UL };
        var samples = new Option<int>("--samples") { Description = "Random subnets in the grey cloud.", DefaultValueFactory = _ => ReportOptions.DefaultCloudSize }.AtLeast(1);
        var generations = new Option<int>("--generations") { Description = "Evolution generations per search (the reference's 500).", DefaultValueFactory = _ => ReportOptions.DefaultGenerations }.AtLeast(0);
        var width = new Option<int>("--width") { Description = "PNG width in pixels.", DefaultValueFactory = _ => 1000 };
        var height = new Option<int>("--height") { Description = "PNG height in pixels.", DefaultValueFactory = _ => 700 };
        var command = new Command("report", "Plot predicted accuracy vs latency per device (random subnets, Pareto front, the project's targets) and write report.md.")
        {
            model, devices, profiles, project, properties, targets, output, seed, samples, generations, width, height,
        };
        command.SetAction(result => CliRunner.Run(() =>
        {
            int w = result.GetValue(width), h = result.GetValue(height);
            if (w < 200 || h < 150 || w > 10_000 || h > 10_000) throw new OfaException($"--width {w} --height {h}: give a size between 200x150 and 10000x10000 pixels.");
            string? given = result.GetValue(model) is { } m ? CliRunner.ExistingFile(m) : null;

            var marks = new List<ReportTarget>();
            string? projectFile = null;
            if (result.GetValue(project) is { } p)
            {
                var evaluated = ProjectEvaluation.Of(p, result.GetValue(properties) ?? []);
                foreach (var line in evaluated.Warnings) CliRunner.PassOn(line);
                var (built, leftOut) = ProjectTargets.Built(evaluated);
                foreach (var note in leftOut) Console.WriteLine(note);
                marks.AddRange(built);
                projectFile = evaluated.File;
            }
            var (path, mismatches, taken) = ReportSupernet.Choose(given, projectFile, marks);
            foreach (var mismatch in mismatches) CliRunner.Warn(mismatch);
            if (taken is not null) Console.WriteLine(taken);
            var package = OfaPackage.Read(path);
            marks.AddRange((result.GetValue(targets) ?? []).Select(ReportTarget.Parse));
            var profileOf = ParseProfiles(result.GetValue(profiles) ?? []);
            // --profile DEVICE=PATH is the table of every target on that device, as if each had Profile = PATH.
            marks = marks.Select(t => profileOf.TryGetValue(t.Device, out var table) ? t with { Spec = t.Spec with { ProfilePath = table.Path, ProfileName = table.Typed } } : t).ToList();
            // --device Cortex-A72 and a target on cortex-a72 are one device and one panel, its file named as the catalog spells it.
            var sameDevice = DeviceNames.Comparer;
            var names = CommonOptions.DeviceList(result.GetValue(devices))?.ToList() ?? marks.Select(t => t.Device).Distinct(sameDevice).ToList();
            if (names.Count == 0) throw new OfaException("Give --device NAME (repeatable), or targets with --project / --target DEVICE=MS, to say which devices to plot.");

            var options = new ReportOptions { Seed = result.GetValue(seed), CloudSize = result.GetValue(samples), Generations = result.GetValue(generations) };
            var outDir = Directory.CreateDirectory(result.GetValue(output)!.FullName).FullName;
            var done = new List<(DeviceReport, string)>();
            var pngs = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var warned = new HashSet<string>(StringComparer.Ordinal); // a table's warning once, though its int8 and fp32 panels share it
            foreach (var device in names)
            {
                var mine = marks.Where(t => sameDevice.Equals(t.Device, device)).ToList();
                // One panel per table the device's targets are searched on (profile, precision), in the targets' order; none: the catalog's (or --profile's) fp32 table.
                var tables = mine.Count == 0 ? [(Profile: profileOf.GetValueOrDefault(device).Path, Precision: Precisions.Fp32, Name: profileOf.GetValueOrDefault(device).Typed)]
                    : mine.Select(t => (t.Profile, t.Precision, Name: t.Spec.ProfileName)).Distinct().ToList();
                foreach (var (profile, precision, name) in tables)
                {
                    var sw = Stopwatch.StartNew();
                    var on = mine.Where(t => t.Profile == profile && t.Precision == precision).ToList();
                    // A project's profile is named as the build names it, and so is the supernet beside it; a --profile's table
                    // is named as typed, beside the supernet's path.
                    string? packageName = profileOf.ContainsKey(device) ? null : on.Select(t => t.PackageName(path)).FirstOrDefault(n => n is not null);
                    var report = DeviceReport.Build(package, path, device, profile, precision, on, options, name, packageName);
                    if (report.TableWarning is { } warning && warned.Add(warning)) CliRunner.Warn(warning);
                    var stem = FileStem(Core.Devices.DeviceCatalog.Builtin().Canonical(device)) + (precision == Precisions.Fp32 ? "" : "." + precision);
                    var png = stem + ".png";
                    for (int n = 2; !pngs.Add(png); n++) png = $"{stem}.{n}.png";
                    FrontPlot.SavePng(report, Path.Combine(outDir, png), w, h);
                    done.Add((report, png));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{device} ({report.TableKind.Name()} {report.TablePrecision} table): front of {report.Front.Count} subnets, {report.Targets.Count} target(s), {sw.Elapsed.TotalSeconds:F1} s -> {png}"));
                }
            }
            var unplotted = marks.Where(t => !names.Contains(t.Device, sameDevice)).ToList();
            var md = Path.Combine(outDir, "report.md");
            AtomicFile.WriteAllBytes(md, System.Text.Encoding.UTF8.GetBytes(MarkdownReport.Render(path, done, options, unplotted)));
            Console.WriteLine($"wrote {md}");
            return 0;
        }));
        return command;
    }

    /// <summary>Each --profile DEVICE=PATH: the file to read, and the path as typed, which the messages name.</summary>
    private static Dictionary<string, (string Path, string Typed)> ParseProfiles(IEnumerable<string> options)
    {
        var map = new Dictionary<string, (string, string)>(DeviceNames.Comparer);
        foreach (var o in options)
        {
            int eq = o.IndexOf('=');
            if (eq <= 0 || eq == o.Length - 1) throw new OfaException($"--profile '{o}': write DEVICE=PATH, e.g. --profile pi4=profiles/pi4.json.");
            map[o[..eq]] = (CliRunner.ExistingFile(new FileInfo(o[(eq + 1)..])), o[(eq + 1)..]);
        }
        return map;
    }

    /// <summary>A device name as a file name (profiled devices may be named anything).</summary>
    private static string FileStem(string device) =>
        string.Concat(device.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
