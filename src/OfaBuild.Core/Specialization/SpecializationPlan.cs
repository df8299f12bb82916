using OfaBuild.Contracts;
using System.Text.Json;
using System.Text.Json.Serialization;

// Shared source: compiled into OfaBuild.Core (the `ofa` tool reads plans) and linked into
// OfaBuild.Tasks (the MSBuild task writes them), so the two sides cannot drift. No other Core types here.
namespace OfaBuild.Core.Specialization;

/// <summary>
/// The targets a build needs specialised: what the MSBuild task hands to `ofa specialize --plan`.
/// Each target's outputs are OutputDir/Name.onnx, OutputDir/Name.json and, written last,
/// OutputDir/Name.stamp holding <see cref="PlannedTarget.Hash"/>: only a stamp that matches proves
/// the outputs are complete and current. A target's <see cref="PlannedTarget.Model"/> and <see cref="PlannedTarget.Profile"/>
/// are as the project names them (relative to <see cref="ProjectDirectory"/> unless written rooted), the words of the tool's
/// messages, which the build repeats and hashes: so a moved project folder keeps its targets fresh.
/// </summary>
public sealed record SpecializationPlan
{
    /// <summary>/2: relative paths, to <see cref="ProjectDirectory"/> (/1's were full paths), which an older tool would not find.</summary>
    public const string FormatId = "ofabuild-plan/2";

    public string Format { get; init; } = FormatId;
    /// <summary>
    /// The project folder: `ofa specialize --plan` runs there, so the targets' relative paths find their files and its
    /// messages name them as the project does, as a user's `ofa specialize` there would. Null: the working directory.
    /// </summary>
    public string? ProjectDirectory { get; init; }
    public required IReadOnlyList<PlannedTarget> Targets { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, SpecializationPlanJson.Default.SpecializationPlan);

    public static SpecializationPlan FromJson(string json) =>
        JsonSerializer.Deserialize(json, SpecializationPlanJson.Default.SpecializationPlan) ?? throw new JsonException("empty plan");
}

/// <summary>Compile-time JSON metadata for the plan (indented, snake_case, nulls left out): no reflection in the Native AOT tool.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SpecializationPlan))]
internal sealed partial class SpecializationPlanJson : JsonSerializerContext;

/// <summary>One [OfaTarget] (or &lt;OfaTarget&gt; item) of a class, with where it was declared for error messages.</summary>
public sealed record PlannedTarget
{
    /// <summary>Namespace-qualified class name.</summary>
    public required string ClassName { get; init; }
    /// <summary>The supernet as the project names it: relative to <see cref="SpecializationPlan.ProjectDirectory"/> unless written rooted.</summary>
    public required string Model { get; init; }
    public required string Device { get; init; }
    public required double LatencyMs { get; init; }
    /// <summary>The latency table, named as <see cref="Model"/> is; null: the catalog's.</summary>
    public string? Profile { get; init; }
    public double? MaxMFlops { get; init; }
    public required string OutputDir { get; init; }
    /// <summary>File stem of the outputs (the device name).</summary>
    public required string Name { get; init; }
    /// <summary>Written as an &lt;OfaTarget&gt; item, not an [OfaTarget] attribute (absent in a plan: an attribute).</summary>
    public bool FromItem { get; init; }
    public required string SourceFile { get; init; }
    public int Line { get; init; }
    public int Column { get; init; }
    /// <summary>
    /// Where the class's [OfaModel] is written (an item's target too: its supernet is the class's): an error about the supernet
    /// points there, where its path is fixed. Absent in an older task's plan: at the target.
    /// </summary>
    public string? ModelSourceFile { get; init; }
    public int ModelLine { get; init; }
    public int ModelColumn { get; init; }
    /// <summary>Set for an adaptive target: the most rungs its ladder may have (rung 0 included); null for a fixed target.</summary>
    public int? Levels { get; init; }

    /// <summary>Whether a ladder may have <paramref name="levels"/> rungs: a whole number in <see cref="LadderLevels"/>' range, rung 0 included.</summary>
    public static bool IsValidLevels(double levels) => levels == Math.Floor(levels) && levels >= LadderLevels.Min && levels <= LadderLevels.Max;

    /// <summary>
    /// The refusal of a number of rungs that is not <see cref="IsValidLevels"/>, the build's and `ofa specialize`'s alike:
    /// <paramref name="name"/> is what the user wrote it as (Levels, --levels); <paramref name="leaveOut"/>, if given,
    /// what leaving it out means.
    /// </summary>
    public static string LevelsRefusal(string name, double levels, string? leaveOut = null) =>
        $"{name} is {levels.ToString(System.Globalization.CultureInfo.InvariantCulture)}; set {name} to a whole number of rungs from {LadderLevels.Min} to {LadderLevels.Max} (rung 0 included)" +
        (leaveOut is null ? "." : $", or leave it out for {leaveOut}.");
    /// <summary>Hash of everything the outputs depend on (supernet, spec, device table, tool).</summary>
    public required string Hash { get; init; }

    /// <summary>Numeric precision of the model: "fp32" or "int8" (OfaBuild.Contracts.Precisions).</summary>
    public string Precision { get; init; } = OfaBuild.Contracts.Precisions.Fp32;

    /// <summary>The target as the tool's errors about it begin, as the user wrote it (<see cref="TargetWording.Subject"/>).</summary>
    [JsonIgnore] public string Subject => TargetWording.Subject(FromItem, Device, ClassName);

    [JsonIgnore] public string OnnxPath => TargetFiles.Onnx(OutputDir, Name);
    [JsonIgnore] public string ManifestPath => TargetFiles.Manifest(OutputDir, Name);
    [JsonIgnore] public string StampPath => TargetFiles.Stamp(OutputDir, Name);
    [JsonIgnore] public string WarningsPath => TargetFiles.Warnings(OutputDir, Name);
}
