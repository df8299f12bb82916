using System;
using System.Collections.Generic;

namespace OfaBuild.Contracts;

/// <summary>
/// The device catalog's names and runtime identifiers, generated from Core's catalog files (OfaBuild.Contracts.csproj),
/// for the parts of the build that do not load Core: the build task and the source generator.
/// </summary>
public static partial class CatalogDevices
{
    /// <summary>
    /// The one rule for which RIDs a target runs on, what its manifest's runtime_identifiers list: its device's in the
    /// catalog (also when a Profile gives the target's latency table), none for a device the catalog does not know (a
    /// profiled device: it runs on any RID). `ofa specialize` writes them from the catalog it loads (Core's Specializer);
    /// the build task predicts them from here before specialising; DeviceCatalogTests and SpecializerTests hold the two equal.
    /// </summary>
    /// <param name="device">The device as the catalog spells it (DeviceNames.Canonical), as a target's outputs are named.</param>
    public static IReadOnlyList<string> RuntimeIdentifiersOf(string device)
    {
        for (int i = 0; i < Names.Count; i++)
            if (string.Equals(Names[i], device, StringComparison.Ordinal)) return s_runtimeIdentifiers[i];
        return Array.Empty<string>();
    }

    /// <summary>
    /// Whether a build for the RuntimeIdentifier <paramref name="rid"/> specialises and embeds a target that runs on
    /// <paramref name="rids"/>: without a RuntimeIdentifier every target; with one, the targets that list it (or list none).
    /// The build task (RidFilter) and `ofa report --project` decide by it.
    /// </summary>
    public static bool Fits(IReadOnlyCollection<string> rids, string? rid)
    {
        if (string.IsNullOrEmpty(rid) || rids.Count == 0) return true;
        foreach (var r in rids)
            if (string.Equals(r, rid, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
