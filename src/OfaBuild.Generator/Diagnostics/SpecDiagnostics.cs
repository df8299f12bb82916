using System.Collections.Generic;
using System.Linq;
using OfaBuild.Generator.Model;

namespace OfaBuild.Generator.Diagnostics;

/// <summary>Checks one [OfaModel] class for what only the compiler sees: partial declarations and the manifests of this build.</summary>
internal static class SpecDiagnostics
{
    public static EquatableArray<DiagnosticInfo> Find(ModelSpec spec, EquatableArray<ManifestModel> manifests)
    {
        var found = new List<DiagnosticInfo>();
        string cls = spec.FullName;

        // The build task plans nothing for such a class (PartialRule), so it has no manifest: OFA0003 alone says what to fix.
        if (!spec.IsPartial)
            return new[] { DiagnosticInfo.Create(Descriptors.NotPartial, spec.ClassLocation, cls) }.ToEquatableArray();

        var mine = manifests.Where(m => m.OfaClass == cls).ToList();
        if (mine.Count == 0)
            found.Add(DiagnosticInfo.Create(Descriptors.NoManifest, spec.ClassLocation, cls));

        foreach (var broken in mine.Where(m => m.Error != null))
            found.Add(DiagnosticInfo.Create(Descriptors.BadManifest, SourceSpan.File(broken.Path), broken.Path, cls, broken.Error!));

        return found.ToEquatableArray();
    }
}
