using System;
using System.Linq;
using OfaBuild.Contracts;
using OfaBuild.Runtime;

namespace OfaBuild.Generator.Model;

/// <summary>
/// What one wrapper is generated from: the class, the readable manifests of its targets that this build embeds
/// ([OfaTarget] attributes in source order, then &lt;OfaTarget&gt; items by name: both ways of declaring a target
/// reach the wrapper alike), and the names of all its targets the build specialised.
/// </summary>
internal sealed record WrapperModel(ModelSpec Spec, EquatableArray<ManifestModel> Targets, EquatableArray<string> DeclaredTargets)
{
    /// <summary>Null when no wrapper can be added (the class is not partial: OFA0003 says so).</summary>
    public static WrapperModel? Build(ModelSpec? spec, EquatableArray<ManifestModel> manifests)
    {
        if (spec == null || !spec.IsPartial) return null;
        var mine = manifests
            .Where(m => m.Error == null && m.OfaClass == spec.FullName)
            .GroupBy(m => m.OfaTarget, DeviceNames.Comparer)
            .Select(g => g.First())
            .OrderBy(m => Order(spec, m.OfaTarget))
            .ThenBy(m => m.OfaTarget, StringComparer.Ordinal)
            .ToList();
        // Named as the outputs are: an attribute's Cortex-A53 is the catalog's cortex-a53 (DeviceNames).
        var declared = spec.AttributeTargets
            .Select(t => DeviceNames.Canonical(t, CatalogDevices.Names))
            .Concat(mine.Select(m => m.OfaTarget))
            .Distinct(DeviceNames.Comparer)
            .ToEquatableArray();
        return new WrapperModel(spec, mine.Where(m => m.Embedded).ToEquatableArray(), declared);
    }

    private static int Order(ModelSpec spec, string target)
    {
        for (int i = 0; i < spec.AttributeTargets.Count; i++)
            if (DeviceNames.Same(spec.AttributeTargets[i], target)) return i;
        return int.MaxValue;
    }
}
