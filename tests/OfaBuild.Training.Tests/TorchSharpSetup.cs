using System.Runtime.CompilerServices;
using OfaBuild.Training.Native;

namespace OfaBuild.Training.Tests;

internal static class TorchSharpSetup
{
    /// <summary>Before any test loads TorchSharp, as the `ofa` tool does at start-up (Debian 12's libstdc++ is older than the library asks).</summary>
    [ModuleInitializer]
    internal static void FixLibTorchSharp() => TorchSharpDebianFix.Apply();
}
