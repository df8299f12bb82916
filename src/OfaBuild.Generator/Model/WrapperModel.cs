using System;
using System.Linq;

namespace OfaBuild.Generator.Model
{
    /// <summary>
    /// What one wrapper is generated from: the class and, in [OfaTarget] order, the readable manifests of its
    /// targets that this build embeds.
    /// </summary>
    internal sealed record WrapperModel(ModelSpec Spec, EquatableArray<ManifestModel> Targets)
    {
        /// <summary>Null when no wrapper can be added (the class is not partial: OFA0003 says so).</summary>
        public static WrapperModel? Build(ModelSpec? spec, EquatableArray<ManifestModel> manifests)
        {
            if (spec == null || !spec.IsPartial) return null;
            var targets = spec.Targets
                .Select(t => manifests.FirstOrDefault(m => m.Error == null && m.OfaClass == spec.FullName
                                                             && string.Equals(m.OfaTarget, t.Device, StringComparison.OrdinalIgnoreCase)))
                .Where(m => m != null)
                .Select(m => m!)
                .Distinct()
                .ToEquatableArray();
            return new WrapperModel(spec, targets);
        }
    }
}
