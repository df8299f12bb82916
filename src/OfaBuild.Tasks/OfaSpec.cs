using OfaBuild.Contracts;

namespace OfaBuild.Tasks;

/// <summary>An [OfaModel] class found in the project's sources, with its targets.</summary>
internal sealed record OfaClassSpec(string ClassName, string? ModelPath, Location Location, IReadOnlyList<OfaTargetSpec> Targets)
{
    /// <summary>
    /// The class and the types around it are partial (<see cref="Generator.Parsing.PartialRule"/>); when not, the build
    /// plans nothing for it and the generator's OFA0003 is the one error, before any search runs.
    /// </summary>
    public bool IsPartial { get; init; } = true;
}

/// <summary>
/// One [OfaTarget] (or &lt;OfaTarget&gt; item). Numbers are null when missing or not literals. <paramref name="Adaptive"/> is
/// the text as written (null when missing: a fixed target), so the attribute and the item are checked by one rule;
/// <see cref="Precision"/> is the name as written (OfaPrecision.Int8 -> "Int8", "" when it is no enum member name), null when not given.
/// </summary>
internal sealed record OfaTargetSpec(string Device, double? LatencyMs, string? Profile, double? MaxMFlops, Location Location,
    string? Adaptive = null, double? Levels = null)
{
    public string? Precision { get; init; }

    /// <summary>Written as an &lt;OfaTarget&gt; item, not an [OfaTarget] attribute: its messages name it so (<see cref="TargetWording"/>).</summary>
    public bool FromItem { get; init; }

    /// <summary>The target as its messages begin, as written (<see cref="TargetWording.Subject"/>).</summary>
    public string Subject(string className, (string Name, string Value)? argument = null) => TargetWording.Subject(FromItem, Device, className, argument);

    /// <summary>A named argument as this target writes it (<see cref="TargetWording.Argument"/>).</summary>
    public string Argument(string name, string value) => TargetWording.Argument(FromItem, name, value);

    /// <summary>
    /// The first number argument (LatencyMs, MaxMFlops, Levels) written but not as a literal number, as written
    /// (<c>MaxMFlops = Limits.Cap</c>, <c>MaxMFlops="lots"</c>): its value above is null as if not given, so
    /// <see cref="SpecRules.UnreadNumber"/> refuses it rather than the build dropping it.
    /// </summary>
    public (string Name, string Written)? UnreadNumber { get; init; }

    /// <summary>
    /// The first named argument (item metadata) written that [OfaTarget] does not have, as written (<c>LatencyMS</c>,
    /// <c>MaxMFlop</c>): nothing reads it, so <see cref="SpecRules.UnknownArgument"/> refuses it rather than the build
    /// going on without the cap or profile the user meant, or saying only that LatencyMs is not set.
    /// </summary>
    public string? UnknownArgument { get; init; }
}

/// <summary>Where a spec was written, for errors at the attribute (1-based line and column).</summary>
internal sealed record Location(string File, int Line, int Column)
{
    public override string ToString() => $"{File}({Line},{Column})";
}
