using OfaBuild.Contracts;

namespace OfaBuild.Runtime;

/// <summary>Why a target was chosen.</summary>
public enum TargetChoiceReason
{
    /// <summary>Named by the caller (Create("...")).</summary>
    Requested,
    /// <summary>Named by the OFABUILD_TARGET environment variable.</summary>
    Environment,
    /// <summary>Its RID fits and its recognition (Arm CPU part / x86 features) matches this CPU.</summary>
    Recognised,
    /// <summary>Its RID fits and it declares no recognition, so it fits any CPU of that RID.</summary>
    Generic,
    /// <summary>Nothing recognised this CPU: the fastest-budget target of the candidates.</summary>
    Fallback,
}

public sealed record TargetChoice(OfaTargetInfo Target, TargetChoiceReason Reason, string Explanation);

/// <summary>
/// Chooses one of the targets embedded in this build. Order of rules:
/// <list type="number">
/// <item>an explicit name (argument, then the <c>OFABUILD_TARGET</c> environment variable) wins, in any case (<see cref="DeviceNames"/>); an unknown name is an error listing the embedded targets and the nearest of them (<see cref="NameSuggestions"/>);</item>
/// <item>candidates are the targets whose RIDs contain this process's RID or portable OS-arch RID, or that list none
/// (if none is, all targets: ONNX runs anywhere, only the latency promise is lost);</item>
/// <item>among candidates, those recognising this CPU (any listed Arm CPU part present, or all listed x86 features
/// supported) or declaring no recognition; the most specific wins: more required x86 features, then fewer
/// listed Arm parts (a narrower claim), then recognised before generic, then the smaller latency budget, then the name;</item>
/// <item>otherwise the fallback: the candidate with the smallest latency budget, the one least likely to be too slow on an unknown CPU.</item>
/// </list>
/// </summary>
public static class TargetSelector
{
    public const string EnvironmentVariable = "OFABUILD_TARGET";

    /// <summary>Chooses with the process's CPU facts and environment.</summary>
    public static TargetChoice Select(string model, IReadOnlyList<OfaTargetInfo> targets, string? requested = null) =>
        Select(model, targets, requested, System.Environment.GetEnvironmentVariable(EnvironmentVariable), CpuFacts.Current);

    /// <summary>Pure form of <see cref="Select(string, IReadOnlyList{OfaTargetInfo}, string?)"/>.</summary>
    /// <param name="model">The model class name, for messages.</param>
    public static TargetChoice Select(string model, IReadOnlyList<OfaTargetInfo> targets, string? requested, string? environment, CpuFacts cpu)
    {
        if (targets.Count == 0)
            // The app cannot tell whether its targets are attributes or items: the fix names both forms.
            throw new OfaRuntimeException(
                $"{model}: no specialised target is embedded in this build. The OfaBuild build step did not run, or none of {model}'s targets " +
                $"runs on the RuntimeIdentifier; check the build log for {DiagnosticIds.NoTargetForRid} (no target for the RID) or {DiagnosticIds.NoManifest} (the build step did not run), " +
                $"then publish with a RID that one of the targets lists, or add {TargetWording.Another(null, model)} for a device that runs on {cpu.PortableRid}.");

        if (!string.IsNullOrWhiteSpace(requested))
            return new(Named(model, targets, requested!, "the Create argument", "call Create() without a target"), TargetChoiceReason.Requested, $"requested by the caller");
        if (!string.IsNullOrWhiteSpace(environment))
            return new(Named(model, targets, environment!, EnvironmentVariable, $"unset {EnvironmentVariable}"), TargetChoiceReason.Environment, $"{EnvironmentVariable}={environment}");

        var candidates = targets.Where(t => FitsRid(t, cpu)).ToList();
        string ridNote = $"RID {cpu.RuntimeIdentifier}";
        if (candidates.Count == 0)
        {
            candidates = targets.ToList();
            ridNote = $"no target lists RID {cpu.RuntimeIdentifier} or {cpu.PortableRid}, so all were considered";
        }

        var matches = candidates
            .Select(t => (Target: t, Recognised: Recognises(t, cpu), Generic: t.ArmCpuParts.Count == 0 && t.X86Features.Count == 0))
            .Where(m => m.Recognised || m.Generic)
            .OrderByDescending(m => m.Target.X86Features.Count)
            .ThenBy(m => m.Target.ArmCpuParts.Count == 0 ? int.MaxValue : m.Target.ArmCpuParts.Count)
            .ThenByDescending(m => m.Recognised)
            .ThenBy(m => m.Target.LatencyBudgetMs)
            .ThenBy(m => m.Target.Target, StringComparer.Ordinal)
            .ToList();
        if (matches.Count > 0)
        {
            var best = matches[0];
            return best.Recognised
                ? new(best.Target, TargetChoiceReason.Recognised, $"{ridNote}; CPU recognised ({Describe(cpu)})")
                : new(best.Target, TargetChoiceReason.Generic, $"{ridNote}; target declares no CPU recognition");
        }

        var fallback = candidates.OrderBy(t => t.LatencyBudgetMs).ThenBy(t => t.Target, StringComparer.Ordinal).First();
        return new(fallback, TargetChoiceReason.Fallback,
            $"{ridNote}; no target recognises this CPU ({Describe(cpu)}), so the one with the smallest latency budget");
    }

    /// <param name="source">Where the name came from; <paramref name="byCpu"/> how to let the CPU choose instead.</param>
    private static OfaTargetInfo Named(string model, IReadOnlyList<OfaTargetInfo> targets, string name, string source, string byCpu)
    {
        var hit = targets.FirstOrDefault(t => DeviceNames.Same(t.Target, name.Trim()));
        var embedded = targets.Select(t => t.Target).ToArray();
        return hit ?? throw new OfaRuntimeException(
            $"{model}: target '{name}' (from {source}) is not embedded in this build; embedded: {string.Join(", ", embedded)}. " +
            $"{NameSuggestions.DidYouMean(name.Trim(), embedded)}Use one of those, or {byCpu} to choose by CPU (a build with a RuntimeIdentifier embeds only that RID's targets).");
    }

    /// <summary>
    /// A target that lists no RID (one specialised from a measured profile: the board is the user's, not the catalog's)
    /// fits any, as the build's RID filter (CatalogDevices.Fits) embedded it for any.
    /// </summary>
    private static bool FitsRid(OfaTargetInfo t, CpuFacts cpu) => t.RuntimeIdentifiers.Count == 0 || t.RuntimeIdentifiers.Any(r =>
        string.Equals(r, cpu.RuntimeIdentifier, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(r, cpu.PortableRid, StringComparison.OrdinalIgnoreCase));

    internal static bool Recognises(OfaTargetInfo t, CpuFacts cpu)
    {
        bool arm = t.ArmCpuParts.Count > 0 && t.ArmCpuParts.Any(p => cpu.ArmCpuParts.Contains(p.Trim().ToLowerInvariant()));
        bool x86 = t.X86Features.Count > 0 && t.X86Features.All(f => cpu.X86Features.Contains(f.Trim().ToLowerInvariant()));
        return arm || x86;
    }

    private static string Describe(CpuFacts cpu) =>
        cpu.ArmCpuParts.Count > 0 ? "CPU parts " + string.Join(", ", cpu.ArmCpuParts)
        : cpu.X86Features.Count > 0 ? "x86 " + string.Join(", ", cpu.X86Features)
        : cpu.Architecture.ToString();
}
