namespace OfaBuild.Tasks;

/// <summary>An [OfaModel] class found in the project's sources, with its targets.</summary>
internal sealed record OfaClassSpec(string ClassName, string? ModelPath, Location Location, IReadOnlyList<OfaTargetSpec> Targets);

/// <summary>One [OfaTarget] (or &lt;OfaTarget&gt; item). Numbers are null when missing or not literals.</summary>
internal sealed record OfaTargetSpec(string Device, double? LatencyMs, string? Profile, double? MaxMFlops, Location Location);

/// <summary>Where a spec was written, for errors at the attribute (1-based line and column).</summary>
internal sealed record Location(string File, int Line, int Column)
{
    public override string ToString() => $"{File}({Line},{Column})";
}
