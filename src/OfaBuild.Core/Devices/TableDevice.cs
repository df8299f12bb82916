using System.Text.RegularExpressions;
using OfaBuild.Contracts;
using OfaBuild.Core.Latency;
using OfaBuild.Runtime;

namespace OfaBuild.Core.Devices;

/// <summary>
/// Whether a target's profile is a table of the target's device: the one rule `ofa search`, `ofa specialize`, `ofa report`
/// and the build (warning OFA0019) apply, through <see cref="Specialization.TargetProblem"/>, and `ofa inspect --profile` to the
/// device the table names. A catalog device's name promises
/// the hardware (its manifest lists the device's RIDs and recognition facts, and the app picks the target by them), so
/// its table must not say another device: another catalog device by name, or, in what `ofa profile` recorded of the
/// machine, a processor architecture its RIDs do not run or an Arm CPU part it is not. A target the catalog does not
/// know is the user's own name for a profiled device: any table is its table. A table that records no machine (old,
/// imported) is judged by its name alone.
/// </summary>
public static class TableDevice
{
    private static readonly Regex CpuPart = new(@"CPU part (0x[0-9a-fA-F]+)", RegexOptions.CultureInvariant);

    /// <summary>
    /// The warning for <paramref name="table"/> (read from <paramref name="file"/>) as the table of <paramref name="device"/>,
    /// worded for the catalog's reader (<see cref="DeviceCatalog.Reader"/>): <see cref="Mismatch"/> for a catalog device;
    /// null for a device the catalog does not know, whose name is the user's own.
    /// </summary>
    /// <param name="ofTarget">
    /// Whether <paramref name="device"/> is a target's (the build, `ofa search`, `ofa specialize`, `ofa report`), or only the
    /// device the table names (`ofa inspect --profile`, where there is no target).
    /// </param>
    public static string? Check(LatencyTable table, string file, string device, DeviceCatalog catalog, SearchSpace space, string? packagePath, bool ofTarget = true) =>
        catalog.TryGet(device, out var d) ? Mismatch(table, file, d, catalog, space, packagePath, catalog.Reader, ofTarget) : null;

    /// <summary>
    /// The warning for <paramref name="table"/> (read from <paramref name="file"/>) as the table of catalog device
    /// <paramref name="device"/>: what it says, the device it is used for and the fixes; null when it is that device's, as far as it says.
    /// </summary>
    /// <param name="reader">Who reads the fix (<see cref="ProfileHint.UseTable"/>).</param>
    /// <param name="ofTarget">As <see cref="Check"/>'s: the message speaks of the target, or of a target the table would serve.</param>
    public static string? Mismatch(LatencyTable table, string file, Device device, DeviceCatalog catalog, SearchSpace space, string? packagePath,
        ProfileHint.Reader reader, bool ofTarget = true)
    {
        var other = catalog.TryGet(table.Device, out var named) && named.Name != device.Name ? named : null;
        string? machine = OtherMachine(table, device);
        if (other is null && machine is null) return null;

        var (newFile, command) = ProfileHint.NewTable(device.Name, file, packagePath, space, table.Precision);
        string says = $"says device '{table.Device}'" + (machine is null ? "" : $" and was measured on {machine}");
        // Naming the target after the table is a fix only when that is another name (and one a target can have).
        string rename = !DeviceNames.Same(table.Device, device.Name) && TargetNames.IsValid(table.Device)
            ? $", or, if the table is right, name the target after the profiled device: {ProfileHint.UseTable(table.Device, file, reader)}"
            : "";
        string but = ofTarget
            ? $"but the target's device is '{device.Name}' ({Facts(device)}): the search would choose its subnet"
            : $"but the catalog's '{device.Name}' is {Facts(device)}: a search on it would choose a {device.Name} target's subnet";
        return $"Latency profile '{file}' {says}, {but} by another device's latencies, and the app would run it on {device.Name}. " +
            $"Profile {device.Name} on that device ({command}, there or with --ssh) and point the target at the new file: " +
            $"{ProfileHint.UseTable(device.Name, newFile, reader)}{rename}.";
    }

    /// <summary>The machine the table records, when <paramref name="device"/> cannot be it; null when it can, or the table records none.</summary>
    private static string? OtherMachine(LatencyTable table, Device device)
    {
        string? rid = table.Info.GetValueOrDefault("runtime_identifier");
        string? cpu = table.Info.GetValueOrDefault("cpu");
        string? part = cpu is null ? null : CpuPart.Match(cpu) is { Success: true } m ? m.Groups[1].Value : null;
        bool otherArchitecture = rid is not null && device.RuntimeIdentifiers.Count > 0 &&
            !device.RuntimeIdentifiers.Any(r => Architecture(r) == Architecture(rid));
        bool otherPart = part is not null && device.Recognition.ArmCpuParts.Count > 0 &&
            !device.Recognition.ArmCpuParts.Contains(part, StringComparer.OrdinalIgnoreCase);
        if (!otherArchitecture && !otherPart) return null;
        return rid is null ? cpu : cpu is null ? rid : $"{rid} ({cpu})";
    }

    /// <summary>"x64" of "linux-x64" (and of a distribution's "ubuntu.24.04-x64").</summary>
    private static string Architecture(string rid) => rid[(rid.LastIndexOf('-') + 1)..];

    private static string Facts(Device device) =>
        string.Join(", ", device.RuntimeIdentifiers) + (device.Recognition.ArmCpuParts.Count > 0 ? $", Arm CPU part {string.Join(" or ", device.Recognition.ArmCpuParts)}" : "");
}
