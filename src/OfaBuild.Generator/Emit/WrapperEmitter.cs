using System;
using System.Collections.Generic;
using System.Linq;
using OfaBuild.Contracts;
using OfaBuild.Generator.Model;

namespace OfaBuild.Generator.Emit;

/// <summary>Renders the wrapper of one [OfaModel] class from its <see cref="WrapperModel"/>.</summary>
internal static class WrapperEmitter
{
    public static string HintName(WrapperModel model) => "OfaBuild." + model.Spec.FullName + ".g.cs";

    public static string Emit(WrapperModel model) => TemplateSet.Render(TemplateSet.Wrapper, View(model));

    public static string EmitAttributes() => TemplateSet.Render(TemplateSet.Attributes, new AttributesView());

    internal static WrapperView View(WrapperModel model)
    {
        var spec = model.Spec;
        // All targets come from one supernet, so they share its labels; a target that differs keeps its own.
        var labels = model.Targets.Count > 0 ? model.Targets[0].Labels : EquatableArray<string>.Empty;
        return new WrapperView
        {
            Namespace = spec.Namespace,
            Containers = spec.Containers.ToList(),
            Declaration = (spec.Accessibility.Length > 0 ? spec.Accessibility + " " : "") + "partial class " + CSharpLiteral.Identifier(spec.ClassName),
            ClassName = CSharpLiteral.Identifier(spec.ClassName),
            FullName = CSharpLiteral.String(spec.FullName),
            FullNameText = spec.FullName,
            ModelPath = CSharpLiteral.String(spec.ModelPath),
            Labels = CSharpLiteral.Strings(labels),
            DeclaredTargets = string.Join(", ", model.DeclaredTargets),
            Adaptive = model.Targets.Any(t => t.Ladder.Count > 0),
            Targets = model.Targets.Select((m, index) => new TargetView(m.Target, spec.FullName, m.Rung0)
            {
                Index = CSharpLiteral.Int(index),
                RuntimeIdentifiers = CSharpLiteral.Strings(m.RuntimeIdentifiers),
                ArmCpuParts = CSharpLiteral.Strings(m.ArmCpuParts),
                X86Features = CSharpLiteral.Strings(m.X86Features),
                TableKind = CSharpLiteral.String(m.TableKind),
                LatencyBudgetMs = CSharpLiteral.Double(m.LatencyBudgetMs),
                MaxMFlops = CSharpLiteral.NullableDouble(m.MaxMFlops),
                InputName = CSharpLiteral.String(m.InputName),
                Channels = CSharpLiteral.Int(m.Channels),
                Mean = CSharpLiteral.Doubles(m.Mean),
                Std = CSharpLiteral.Doubles(m.Std),
                PixelScale = CSharpLiteral.Double(m.PixelScale),
                CenterCrop = m.CenterCrop == 1.0 ? "" : CSharpLiteral.Double(m.CenterCrop),
                OutputName = CSharpLiteral.String(m.OutputName),
                Labels = m.Labels == labels ? "s_labels" : CSharpLiteral.Strings(m.Labels),
                Precision = CSharpLiteral.Precision(m.Precision),
                LatencyTablePrecision = CSharpLiteral.Precision(m.TablePrecision),
                LatencyTableThreads = m.TableThreads is int threads ? CSharpLiteral.Int(threads) : "null",
                Rungs = m.Ladder.Select((r, i) => new RungView(m.Target + "/rung" + (i + 1), spec.FullName, r)).ToList(),
            }).ToList(),
        };
    }
}

/// <summary>What Attributes.sbn sees.</summary>
internal sealed class AttributesView
{
    /// <summary>The catalog's device names in order, comma-separated.</summary>
    public string Devices { get; } = string.Join(", ", CatalogDevices.Names.OrderBy(n => n, StringComparer.Ordinal));
    public int LevelsMin { get; } = OfaBuild.Contracts.LadderLevels.Min;
    public int LevelsMax { get; } = OfaBuild.Contracts.LadderLevels.Max;
    public int LevelsDefault { get; } = OfaBuild.Contracts.LadderLevels.Default;
}

/// <summary>What Wrapper.sbn sees: every value already a C# literal or fragment.</summary>
internal sealed class WrapperView
{
    public string Namespace { get; set; } = "";
    public List<string> Containers { get; set; } = new();
    public string Declaration { get; set; } = "";
    public string ClassName { get; set; } = "";
    public string FullName { get; set; } = "";
    public string FullNameText { get; set; } = "";
    public string ModelPath { get; set; } = "";
    public string Labels { get; set; } = "";
    public string DeclaredTargets { get; set; } = "";
    public List<TargetView> Targets { get; set; } = new();
    /// <summary>Some target has a ladder: the wrapper runs every target through an AdaptiveSession (a fixed one as one rung).</summary>
    public bool Adaptive { get; set; }
}

/// <summary>A target: its rung 0 (the members every rung has) and the target's own facts.</summary>
internal sealed class TargetView : RungView
{
    public TargetView(string name, string modelFullName, RungModel rung0) : base(name, modelFullName, rung0) { }

    /// <summary>Position in EmbeddedTargets.</summary>
    public string Index { get; set; } = "";
    public string RuntimeIdentifiers { get; set; } = "";
    public string ArmCpuParts { get; set; } = "";
    public string X86Features { get; set; } = "";
    public string TableKind { get; set; } = "";
    public string LatencyBudgetMs { get; set; } = "";
    public string MaxMFlops { get; set; } = "";
    public string InputName { get; set; } = "";
    public string Channels { get; set; } = "";
    public string Mean { get; set; } = "";
    public string Std { get; set; } = "";
    public string PixelScale { get; set; } = "";
    /// <summary>Empty for the whole image (the runtime's default), so such wrappers stay as they were.</summary>
    public string CenterCrop { get; set; } = "";
    public string OutputName { get; set; } = "";
    public string Labels { get; set; } = "";
    public string Precision { get; set; } = "";
    public string LatencyTablePrecision { get; set; } = "";
    public string LatencyTableThreads { get; set; } = "";
    public List<RungView> Rungs { get; set; } = new();
}

/// <summary>One rung of a target: the members that differ from rung 0's OfaTargetInfo (a lower rung has only these).</summary>
internal class RungView
{
    /// <param name="name">The rung's target name, as OfaTargetInfo.Target states it.</param>
    /// <param name="modelFullName">The [OfaModel] class, which names the embedded resources.</param>
    public RungView(string name, string modelFullName, RungModel rung)
    {
        Name = CSharpLiteral.String(name);
        ResourceName = CSharpLiteral.String(EmbeddedModelNames.Of(modelFullName, rung.Onnx));
        ConfigJson = CSharpLiteral.String(rung.ConfigJson);
        Resolution = CSharpLiteral.Int(rung.Resolution);
        PredictedLatencyMs = CSharpLiteral.Double(rung.PredictedLatencyMs);
        PredictedAccuracy = CSharpLiteral.NullableDouble(rung.PredictedAccuracy);
        Macs = CSharpLiteral.Long(rung.Macs);
        Params = CSharpLiteral.Long(rung.Params);
    }

    public string Name { get; }
    public string ResourceName { get; }
    public string ConfigJson { get; }
    public string Resolution { get; }
    public string PredictedLatencyMs { get; }
    public string PredictedAccuracy { get; }
    public string Macs { get; }
    public string Params { get; }
}
