using OfaBuild.Core.Devices;

namespace OfaBuild.Cli.Commands;

/// <summary>The options that describe one hardware target: device, budget, profile, MFLOPs limit, seed, precision.</summary>
internal sealed class TargetOptions
{
    public Option<FileInfo> Model { get; } = CommonOptions.Model();
    public Option<string> Device { get; } = new("--device") { Description = DeviceHelp, Required = true };
    public Option<double> LatencyMs { get; } = new Option<double>("--latency-ms") { Description = "Latency budget in milliseconds (predicted, batch 1).", Required = true }.PlainNumber();
    public Option<FileInfo?> Profile { get; } = new("--profile") { Description = "Measured latency table from `ofa profile` (instead of the catalog's table)." };
    public Option<double?> MaxMFlops { get; } = new Option<double?>("--max-mflops") { Description = "Also limit the subnet's MACs (millions)." }.PlainNumber();
    public Option<double?> MaxMParams { get; } = new Option<double?>("--max-mparams") { Description = "Also limit the subnet's parameters (millions)." }.PlainNumber();
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Search seed; the same seed gives the same subnet.", DefaultValueFactory = _ => 0UL };
    public Option<string> Precision { get; } = CommonOptions.Precision("fp32 (default) or int8: static int8 (QDQ), activations calibrated on the package's calibration images; searched on the device's int8 latency table when it has one.");

    /// <summary>Help of --device, listing the catalog's devices (the catalog JSON is the only list).</summary>
    public static string DeviceHelp => $"Device name from the catalog ({string.Join(", ", DeviceCatalog.Builtin().Names)}) or the name of a profiled device.";

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Model, Device, LatencyMs, Profile, MaxMFlops, MaxMParams, Seed, Precision }) command.Options.Add(o);
    }

    /// <summary>The --profile file; a missing one is reported where it is read (<see cref="Core.Latency.LatencyTableFile.Load"/>), with the `ofa profile` command that makes it for the package.</summary>
    public string? ProfilePath(ParseResult r) => r.GetValue(Profile)?.FullName;
}
