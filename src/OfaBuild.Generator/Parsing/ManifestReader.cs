using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using OfaBuild.Contracts;
using OfaBuild.Generator.Model;
using OfaBuild.Runtime;

namespace OfaBuild.Generator.Parsing;

/// <summary>Turns the target manifests the build task passes as AdditionalFiles (and the names of the targets it left out) into <see cref="ManifestModel"/>s.</summary>
internal static class ManifestReader
{
    /// <summary>Null when the file is not an OfaBuild manifest (no OfaClass metadata).</summary>
    public static ManifestModel? Read(AdditionalText file, AnalyzerConfigOptions options, CancellationToken ct)
    {
        if (!options.TryGetValue(ManifestItemMetadata.GeneratorKey(ManifestItemMetadata.Class), out var ofaClass) || string.IsNullOrWhiteSpace(ofaClass)) return null;
        options.TryGetValue(ManifestItemMetadata.GeneratorKey(ManifestItemMetadata.Target), out var ofaTarget);
        options.TryGetValue(ManifestItemMetadata.GeneratorKey(ManifestItemMetadata.Embedded), out var embedded);
        var passed = new ManifestModel
        {
            Path = file.Path,
            OfaClass = ofaClass.Trim(),
            OfaTarget = (ofaTarget ?? "").Trim(),
            // Absent metadata: a task that passes only what it embeds.
            Embedded = !string.Equals((embedded ?? "").Trim(), "false", StringComparison.OrdinalIgnoreCase),
        };
        var text = file.GetText(ct);
        if (text is null) return passed with { Error = "the file cannot be read" };
        return Parse(passed, text.ToString());
    }

    /// <summary>
    /// The targets the build task left out unspecialised for the RuntimeIdentifier (<see cref="RidExcludedTargets"/>), as
    /// not-embedded manifests: the wrapper needs only their names, and they tell it the build step ran for their class.
    /// </summary>
    public static EquatableArray<ManifestModel> RidExcluded(AnalyzerConfigOptions globalOptions)
    {
        globalOptions.TryGetValue(RidExcludedTargets.GeneratorKey, out var text);
        return RidExcludedTargets.Parse(text)
            .Select(t => new ManifestModel { OfaClass = t.Class, OfaTarget = t.Target, Target = t.Target, Embedded = false })
            .ToEquatableArray();
    }

    /// <param name="passed">What the build said about the file (path and metadata).</param>
    public static ManifestModel Parse(ManifestModel passed, string json)
    {
        TargetManifest m;
        try
        {
            m = TargetManifestJson.Read(json, passed.Path);
        }
        catch (ManifestFormatException ex)
        {
            return passed with { Error = ex.InnerException?.Message ?? ex.Message };
        }
        if (passed.OfaTarget.Length > 0 && !DeviceNames.Same(m.Target, passed.OfaTarget))
            return passed with { Error = $"it is for target '{m.Target}' but the build passed it as OfaTarget '{passed.OfaTarget}'" };
        return passed with
        {
            OfaTarget = passed.OfaTarget.Length > 0 ? passed.OfaTarget : m.Target,
            Target = m.Target,
            RuntimeIdentifiers = m.RuntimeIdentifiers.ToEquatableArray(),
            ArmCpuParts = m.Recognition.ArmCpuParts.ToEquatableArray(),
            X86Features = m.Recognition.X86Features.ToEquatableArray(),
            TableKind = m.TableKind,
            ConfigJson = m.Config.ToJson(),
            LatencyBudgetMs = m.LatencyBudgetMs,
            MaxMFlops = m.MaxMFlops,
            PredictedLatencyMs = m.PredictedLatencyMs,
            PredictedAccuracy = m.PredictedAccuracy,
            Macs = m.Macs,
            Params = m.Params,
            InputName = m.Input.Name,
            Channels = m.Input.Channels,
            Resolution = m.Input.Resolution,
            Mean = m.Input.Mean.ToEquatableArray(),
            Std = m.Input.Std.ToEquatableArray(),
            PixelScale = m.Input.PixelScale,
            CenterCrop = m.Input.CenterCrop,
            OutputName = m.Input.OutputName,
            Labels = m.Labels.ToEquatableArray(),
            Precision = m.Precision,
            TablePrecision = m.TablePrecision,
            TableThreads = m.TableThreads,
            Onnx = m.Onnx,
            Ladder = m.Ladder.Select(r => new RungModel(r.Onnx, r.Config.ToJson(), r.Config.R, r.PredictedLatencyMs, r.PredictedAccuracy, r.Macs, r.Params)).ToEquatableArray(),
        };
    }
}
