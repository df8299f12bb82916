namespace OfaBuild.Contracts;

/// <summary>
/// Every OfaBuild build diagnostic, one ID family, each rule checked in one place (README, "Diagnostics", names who reports each).
/// IDs are stable: users suppress and search for them. OfaBuild.Runtime compiles this file in as internal: its errors
/// point to the build's diagnostics by these IDs.
/// </summary>
static partial class DiagnosticIds
{
    /// <summary>Build task: [OfaModel] has no string-literal path, or no file at it.</summary>
    public const string ModelNotFound = "OFA0001";
    /// <summary>`ofa specialize`: a target cannot be specialised (unknown device, budget below the smallest subnet, bad supernet...).</summary>
    public const string SpecializeFailed = "OFA0002";
    /// <summary>Generator: the [OfaModel] class (or a containing type) is not partial.</summary>
    public const string NotPartial = "OFA0003";
    /// <summary>Build task: LatencyMs missing, not a literal, or not a positive number; MaxMFlops not a literal, positive number.</summary>
    public const string BadLatency = "OFA0004";
    /// <summary>Build task: an [OfaModel] class with neither [OfaTarget] nor &lt;OfaTarget&gt; item.</summary>
    public const string NoTargets = "OFA0005";
    /// <summary>Build task (warning): no target of a class runs on the RuntimeIdentifier, so nothing is embedded for it.</summary>
    public const string NoTargetForRid = "OFA0006";
    /// <summary>Generator, and the build task right after `ofa specialize` wrote the manifest: a target manifest cannot be read.</summary>
    public const string BadManifest = "OFA0007";
    /// <summary>Build task: [OfaModel] on the same class in more than one declaration.</summary>
    public const string DuplicateModel = "OFA0008";
    /// <summary>Build task: an &lt;OfaTarget&gt; item whose Class names no [OfaModel] class.</summary>
    public const string UnknownClass = "OFA0009";
    /// <summary>Build task: a target without a device name, or with one that is no plain file stem (TargetNames).</summary>
    public const string NoDevice = "OFA0010";
    /// <summary>Build task: the same device twice on one class.</summary>
    public const string DuplicateDevice = "OFA0011";
    /// <summary>Build task: Profile names no file.</summary>
    public const string ProfileNotFound = "OFA0012";
    /// <summary>Build task: ONNX Runtime ships no native library for the RuntimeIdentifier.</summary>
    public const string UnsupportedRid = "OFA0013";
    /// <summary>Generator (warning): an [OfaModel] class for which no manifest reached the compiler (the build task did not run).</summary>
    public const string NoManifest = "OFA0014";
    /// <summary>Build task / `ofa specialize`: the tool is missing, or the task and tool versions differ.</summary>
    public const string ToolProblem = "OFA0015";
    /// <summary>Build task: Precision is not an OfaPrecision member (attribute) or not "Fp32"/"Int8" (item).</summary>
    public const string BadPrecision = "OFA0016";
    /// <summary>Build task: Adaptive is not a literal true/false, or Levels is set without Adaptive = true or is not a whole number of rungs in PlannedTarget's range.</summary>
    public const string BadAdaptive = "OFA0017";
    /// <summary>Build task: an [OfaTarget] named argument or an &lt;OfaTarget&gt; item's metadata that OfaTarget does not have (a misspelt MaxMFlops would be dropped).</summary>
    public const string UnknownArgument = "OFA0018";
    /// <summary>`ofa specialize` (warning): a catalog device's Profile says another device, or was measured on a machine that device is not (Core's TableDevice).</summary>
    public const string ProfileOfAnotherDevice = "OFA0019";
}
