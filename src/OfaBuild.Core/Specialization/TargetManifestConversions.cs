using OfaBuild.Contracts;

namespace OfaBuild.Core.Specialization;

/// <summary>
/// Core's side of the target manifest, whose format is defined once in OfaBuild.Contracts
/// (<see cref="Contracts.TargetManifest"/>): conversions between Core's types and the manifest's.
/// </summary>
public static class TargetManifestConversions
{
    public static ManifestConfig ToManifest(this SubnetConfig c) => new() { Ks = c.Ks, E = c.E, D = c.D, R = c.R };

    public static SubnetConfig ToSubnetConfig(this ManifestConfig c) => new(c.Ks.ToArray(), c.E.ToArray(), c.D.ToArray(), c.R);
}
