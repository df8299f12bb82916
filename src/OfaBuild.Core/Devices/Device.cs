using OfaBuild.Core.Latency;


namespace OfaBuild.Core.Devices;

/// <summary>
/// How the runtime tells that it runs on the device (OfaBuild.Runtime's TargetSelector; specialisation copies these
/// into the target manifest). Neither listed: the device is whatever CPU its runtime identifiers run on.
/// </summary>
public sealed record DeviceRecognition(
    /// <summary>Arm MIDR part numbers as /proc/cpuinfo prints them ("CPU part : 0xd03"); any one matches.</summary>
    IReadOnlyList<string> ArmCpuParts,
    /// <summary>x64 CPUID features that must all be present ("avx2", "fma", "avx512f").</summary>
    IReadOnlyList<string> X64Features);

/// <summary>A hardware target of the catalog: name, runtime identifiers, recognition, and its latency table kind.</summary>
public sealed record Device(
    string Name,
    string Description,
    IReadOnlyList<string> RuntimeIdentifiers,
    DeviceRecognition Recognition,
    LatencyTableKind LatencyKind,
    /// <summary>Documented constants for an estimated table; null for devices that need a measured profile.</summary>
    DeviceConstants? Constants,
    /// <summary>The catalog file it came from.</summary>
    string Source)
{
    /// <summary>Measured tables shipped with the catalog (e.g. the OFA authors' Note10 tables); null if none.</summary>
    public BuiltinLatencyTables? MeasuredTables { get; init; }
}

/// <summary>
/// The reference's per-resolution YAML tables embedded under Devices/catalog/<paramref name="Folder"/>, measured for
/// the search space <paramref name="Space"/>; <paramref name="Provenance"/> says who measured them and where they come from.
/// </summary>
public sealed record BuiltinLatencyTables(string Folder, string Space, string Provenance);
