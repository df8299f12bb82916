using OfaBuild.Contracts;

namespace OfaBuild.Core.Specialization;

/// <summary>
/// What decides one target's search problem: the device, its latency budget, the measured table (profile) if any,
/// the MFLOPs and parameter caps and the precision whose latency table is searched. `ofa specialize` (a build's
/// plan) and `ofa report` both turn it into the problem with <see cref="TargetProblem.Create(OfaPackage, TargetSpec, Devices.DeviceCatalog?, string?)"/>,
/// so a report marks the subnet the build's search picks.
/// </summary>
public sealed record TargetSpec(string Device, double LatencyMs, string? ProfilePath = null, double? MaxMFlops = null,
    double? MaxMParams = null, string Precision = Precisions.Fp32)
{
    /// <summary>
    /// How messages name the profile, when not as <see cref="ProfilePath"/> (which is read): `ofa report` names a project
    /// target's profile as the build does (relative to the project folder), a --profile as typed.
    /// </summary>
    public string? ProfileName { get; init; }
}
