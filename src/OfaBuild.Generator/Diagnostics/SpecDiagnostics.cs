using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using OfaBuild.Generator.Model;

namespace OfaBuild.Generator.Diagnostics
{
    /// <summary>Checks one [OfaModel] class against the rules and the manifests of this build.</summary>
    internal static class SpecDiagnostics
    {
        public static EquatableArray<DiagnosticInfo> Find(ModelSpec spec, EquatableArray<ManifestModel> manifests, BuildFacts build)
        {
            var found = new List<DiagnosticInfo>();
            string cls = spec.FullName;

            if (!spec.IsPartial)
                found.Add(DiagnosticInfo.Create(Descriptors.NotPartial, spec.ClassLocation, cls));

            if (!ModelFileExists(spec, build))
                found.Add(DiagnosticInfo.Create(Descriptors.ModelFileMissing, spec.ModelAttributeLocation,
                    spec.ModelPath, cls, spec.SourceDirectory, build.ProjectDir.Length > 0 ? build.ProjectDir : "(unknown: ProjectDir is not visible to the compiler)"));

            if (spec.Targets.Count == 0)
                found.Add(DiagnosticInfo.Create(Descriptors.NoTargets, spec.ClassLocation, cls));

            var mine = manifests.Where(m => m.Error == null && m.OfaClass == cls).ToList();
            string embedded = mine.Count > 0 ? string.Join(", ", mine.Select(m => m.Target)) : "none";
            foreach (var target in spec.Targets)
            {
                if (string.IsNullOrEmpty(target.Profile) && !DeviceCatalog.Names.Contains(target.Device))
                    found.Add(DiagnosticInfo.Create(Descriptors.UnknownDevice, target.Location, target.Device, cls, string.Join(", ", DeviceCatalog.Names)));

                if (!(target.LatencyMs is double ms) || double.IsNaN(ms) || double.IsInfinity(ms) || ms <= 0)
                    found.Add(DiagnosticInfo.Create(Descriptors.BadLatency, target.Location, target.Device, cls,
                        target.LatencyMs is double v ? v.ToString("R", CultureInfo.InvariantCulture) : "not set"));

                if (!mine.Any(m => string.Equals(m.OfaTarget, target.Device, StringComparison.OrdinalIgnoreCase)))
                    found.Add(DiagnosticInfo.Create(Descriptors.NoSpecialisedModel, target.Location,
                        target.Device, cls, build.RuntimeIdentifier.Length > 0 ? build.RuntimeIdentifier : "none", embedded)
                        with { Severity = mine.Count == 0 ? DiagnosticSeverity.Warning : DiagnosticSeverity.Info });
            }

            foreach (var broken in manifests.Where(m => m.Error != null && m.OfaClass == cls))
                found.Add(DiagnosticInfo.Create(Descriptors.BadManifest, SourceSpan.File(broken.Path), broken.Path, cls, broken.Error!));

            return found.ToEquatableArray();
        }

        private static bool ModelFileExists(ModelSpec spec, BuildFacts build)
        {
            if (string.IsNullOrWhiteSpace(spec.ModelPath)) return false;
            var candidates = new List<string>();
            if (Path.IsPathRooted(spec.ModelPath)) candidates.Add(spec.ModelPath);
            else
            {
                if (spec.SourceDirectory.Length > 0) candidates.Add(Path.Combine(spec.SourceDirectory, spec.ModelPath));
                if (build.ProjectDir.Length > 0) candidates.Add(Path.Combine(build.ProjectDir, spec.ModelPath));
            }
            // The one file-system question the generator asks: a wrong path is the commonest mistake, and the build
            // task's error would come later and further from the attribute. RS1035 bans IO for determinism; existence
            // of an input of the build is stable for a given build.
#pragma warning disable RS1035
            return candidates.Any(File.Exists);
#pragma warning restore RS1035
        }
    }
}
