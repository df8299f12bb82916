namespace OfaBuild.Runtime;

/// <summary>
/// The one rule for "these two device names are the same": ordinal, ignoring case (Cortex-A53 is cortex-a53; a name is
/// ASCII, <c>TargetNames</c>). A target is named after its device, so the runtime's <c>TargetSelector</c> matches
/// Create("...") and OFABUILD_TARGET by this rule, and the build side compiles this file in (linked source: the app-facing
/// library ships alone and is referenced by none of them): the device catalog (OfaBuild.Core), the build's planner
/// (OfaBuild.Tasks: duplicates, output names), the source generator and the `ofa profile` command messages word
/// (OfaBuild.Contracts: `--device` when a table's file name is not the device). Outputs are named with <see cref="Canonical"/>.
/// No implicit usings: the netstandard2.0 generator and contracts compile it too.
/// </summary>
internal static class DeviceNames
{
    public static System.StringComparer Comparer { get; } = System.StringComparer.OrdinalIgnoreCase;

    public static bool Same(string a, string b) => Comparer.Equals(a, b);

    /// <summary>
    /// The spelling outputs are named with (name.onnx, the manifest's target, the wrapper's target names): the
    /// <paramref name="known"/> name (the catalog's) that is the same as <paramref name="name"/>, else
    /// <paramref name="name"/> as written (a profiled device the catalog does not know).
    /// </summary>
    public static string Canonical(string name, System.Collections.Generic.IEnumerable<string> known)
    {
        foreach (var k in known)
            if (Same(k, name)) return k;
        return name;
    }
}
