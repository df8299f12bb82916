using System;
using System.Collections.Generic;
using System.Linq;

namespace OfaBuild.Contracts;

/// <summary>
/// The runtime identifiers an app can load ONNX Runtime on: where Microsoft.ML.OnnxRuntime 1.31.1 ships native code.
/// Read from the package itself: runtimes/{win-x64, win-arm64, linux-x64, linux-arm64, osx-arm64}/native, the
/// Android archive (runtimes/android/native/onnxruntime.aar: jni/arm64-v8a, armeabi-v7a, x86, x86_64) and the
/// iOS xcframework (ios-arm64, ios-arm64_x86_64-simulator, ios-arm64_x86_64-maccatalyst). None for linux-arm,
/// osx-x64 or musl. The build refuses other RIDs (<see cref="Refusal"/>) and the device catalog may list only these.
/// </summary>
public static class OnnxRuntimeRids
{
    public const string PackageVersion = "1.31.1";

    public static readonly IReadOnlyList<string> Supported = new[]
    {
        "linux-x64", "linux-arm64", "win-x64", "win-arm64", "osx-arm64",
        "android-arm64", "android-arm", "android-x64", "android-x86",
        "ios-arm64", "iossimulator-arm64", "iossimulator-x64", "maccatalyst-arm64", "maccatalyst-x64",
    };

    public static bool IsSupported(string rid) => Supported.Contains(rid, StringComparer.OrdinalIgnoreCase);

    /// <summary>The supported RIDs as a sentence fragment for error messages.</summary>
    public static string List => string.Join(", ", Supported);

    /// <summary>
    /// The error (OFA0013) for a RuntimeIdentifier ONNX Runtime ships no native library for; null when it can run, or
    /// none is set. The one rule: the build task refuses such a build with it, and `ofa report --project` such a project.
    /// </summary>
    public static string? Refusal(string? rid) =>
        string.IsNullOrEmpty(rid) || IsSupported(rid!) ? null
        : $"RuntimeIdentifier '{rid}': ONNX Runtime {PackageVersion}, which OfaBuild apps run their models on, ships no native library " +
          $"for it, so the app could never load a model. Build for one of: {List} (a 32-bit Arm board such as a Raspberry Pi runs a 64-bit OS as linux-arm64).";
}
