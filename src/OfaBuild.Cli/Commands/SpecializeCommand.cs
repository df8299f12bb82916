using OfaBuild.Contracts;
using System.Diagnostics;
using System.Globalization;
using OfaBuild.Core.Specialization;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// `ofa specialize --model x.ofa --device cortex-a53 --latency-ms 30 -o out/`: search, extract, recalibrate,
/// export, and write out/DEVICE.onnx with its manifest out/DEVICE.json. `--plan plan.json` runs the
/// targets a build needs (see <see cref="SpecializationPlan"/>).
/// </summary>
internal static class SpecializeCommand
{
    public static Command Create()
    {
        var target = new TargetOptions();
        var output = CommonOptions.Output<DirectoryInfo?>("Folder for DEVICE.onnx and DEVICE.json.", required: false);
        var name = new Option<string?>("--name") { Description = "File stem of the outputs, as written (default: the device name, as the catalog spells it)." };
        var levels = new Option<int?>("--levels") { Description = $"An adaptive target: also export a ladder of up to this many rungs ({LadderLevels.Min}-{LadderLevels.Max}, rung 0 included), as DEVICE.rungN.onnx." };
        var plan = new Option<FileInfo?>("--plan") { Description = "Specialise every target of a build plan (written by the OfaBuild MSBuild task) in parallel." };
        var command = new Command("specialize", "Search, extract, recalibrate and export the subnet for one hardware target, with a manifest for the build.");
        target.AddTo(command);
        // In plan mode the target options come from the plan file.
        foreach (var o in new Option[] { target.Model, target.Device, target.LatencyMs }) o.Required = false;
        foreach (var o in new Option[] { output, name, levels, plan }) command.Options.Add(o);
        command.SetAction((result, cancel) => Task.FromResult(
            result.GetValue(plan) is { } planFile
                ? PlanRunner.Run(CliRunner.ExistingFile(planFile), cancel)
                : CliRunner.Run(() => RunOne(result, target, output, name, levels))));
        return command;
    }

    /// <summary>How a target's BN statistics were made, from its manifest's calibration image count (0: a package without calibration images, such as an imported checkpoint).</summary>
    internal static string BatchNorm(int calibrationImages) => calibrationImages > 0
        ? $"BN recalibrated on {calibrationImages} images"
        : "BN statistics of the supernet (no calibration images)";

    private static int RunOne(ParseResult result, TargetOptions target, Option<DirectoryInfo?> output, Option<string?> name, Option<int?> levels)
    {
        var model = result.GetValue(target.Model) ?? throw new Core.OfaException("Give --model (or --plan).");
        var device = result.GetValue(target.Device) ?? throw new Core.OfaException("Give --device (or --plan).");
        if (result.GetResult(target.LatencyMs) is null) throw new Core.OfaException("Give --latency-ms (or --plan).");
        var outDir = result.GetValue(output) ?? throw new Core.OfaException("Give --output DIR for the ONNX model and its manifest.");
        if (result.GetValue(levels) is { } n && !PlannedTarget.IsValidLevels(n))
            throw new Core.OfaException(PlannedTarget.LevelsRefusal("--levels", n, "a fixed target"));
        var sw = Stopwatch.StartNew();
        var r = Specializer.Run(new SpecializeRequest(CliRunner.ExistingFile(model), device, result.GetValue(target.LatencyMs),
            outDir.FullName, target.ProfilePath(result), result.GetValue(target.MaxMFlops), result.GetValue(target.Seed), result.GetValue(name), result.GetValue(target.MaxMParams), result.GetValue(target.Precision)!,
            result.GetValue(levels)),
            log: Console.WriteLine, warn: CliRunner.Warn);
        var m = r.Manifest;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"wrote {r.OnnxPath} and {Path.GetFileName(r.ManifestPath)} in {sw.Elapsed.TotalSeconds:F2} s"));
        Console.WriteLine(string.Create(inv, $"predicted latency {LatencyText.Ms(m.PredictedLatencyMs)} ({m.TableKind} table, budget {LatencyText.Budget(m.LatencyBudgetMs)})") +
            (m.PredictedAccuracy is { } a ? string.Create(inv, $", predicted top-1 {a:P2}") : ", no accuracy predictor (largest MACs that fit)") +
            string.Create(inv, $", MACs {m.Macs:N0}, {BatchNorm(m.CalibrationImages)}, {m.Precision} (latency table: {m.TablePrecision})"));
        foreach (var (rung, i) in m.Ladder.Select((rung, i) => (rung, i + 1))) Console.WriteLine(Rung(rung, i));
        return 0;
    }

    /// <summary>A lower rung of an adaptive target as specialize and `inspect --target` print it.</summary>
    internal static string Rung(ManifestRung rung, int i)
    {
        var inv = CultureInfo.InvariantCulture;
        return string.Create(inv, $"rung {i}: {rung.Onnx}, r {rung.Config.R}, predicted {LatencyText.Ms(rung.PredictedLatencyMs)}") +
            (rung.PredictedAccuracy is { } ra ? string.Create(inv, $", top-1 {ra:P2}") : "") + string.Create(inv, $", MACs {rung.Macs:N0}");
    }
}
