using System.IO;

namespace OfaBuild.Contracts;

/// <summary>
/// The files the tool writes for one target, named by its file stem (the device name, or `ofa specialize --name`):
/// the model, its target manifest, an adaptive target's lower rungs beside them, and the build's stamp, which
/// `ofa specialize --plan` writes last (the build task reads all four to tell a fresh target from a stale one), after
/// the warnings it gave the target (which the build repeats while the target is fresh).
/// </summary>
public static class TargetFiles
{
    public static string Onnx(string outputDir, string stem) => Path.Combine(outputDir, stem + ".onnx");
    public static string Manifest(string outputDir, string stem) => Path.Combine(outputDir, stem + ".json");
    public static string Stamp(string outputDir, string stem) => Path.Combine(outputDir, stem + ".stamp");

    /// <summary>The warnings `ofa specialize --plan` gave the target (<see cref="TargetWarnings"/>); none when absent.</summary>
    public static string Warnings(string outputDir, string stem) => Path.Combine(outputDir, stem + ".warnings");

    /// <summary>File name (no folder) of an adaptive target's lower rung <paramref name="rung"/> (1, 2, ...).</summary>
    public static string RungOnnxName(string stem, int rung) => stem + ".rung" + rung + ".onnx";
}
