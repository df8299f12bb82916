using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace OfaBuild.Tasks;

/// <summary>
/// Which `ofa` the task starts. The package carries the build-host commands twice: portable (tools/net10.0/any/,
/// run by the dotnet host on any OS) and, for the RID of the machine that packed it, as a Native AOT executable
/// (tools/net10.0/&lt;RID&gt;/ofa), which starts no runtime and compiles nothing. The native one is used when it exists
/// for this machine's RID and this CPU can run it; otherwise the portable one, as before.
/// </summary>
/// <param name="Program">What the task starts: the native executable, or the dotnet host.</param>
/// <param name="ToolFile">The file that must exist: the native executable, or the portable tool's OfaBuild.Cli.dll.</param>
internal sealed record ToolChoice(string Program, string ToolFile, bool IsNative)
{
    /// <param name="nativeToolsDirectory">The package's tools/net10.0/ ($(OfaNativeToolsDirectory)); empty for none.</param>
    /// <param name="toolAssembly">The portable tool's OfaBuild.Cli.dll ($(OfaToolAssembly)).</param>
    /// <param name="dotnetHost">The dotnet host ($(DOTNET_HOST_PATH)); "dotnet" from PATH when empty.</param>
    /// <param name="runsNative">Whether this machine can start the native executable (<see cref="CanRunNative"/>).</param>
    public static ToolChoice For(string nativeToolsDirectory, string toolAssembly, string dotnetHost, Func<string, bool> runsNative)
    {
        if (!string.IsNullOrEmpty(nativeToolsDirectory) && NativeTool(nativeToolsDirectory) is var native && File.Exists(native) && runsNative(native))
            return new ToolChoice(native, native, IsNative: true);
        return new ToolChoice(string.IsNullOrEmpty(dotnetHost) ? "dotnet" : dotnetHost, toolAssembly, IsNative: false);
    }

    /// <summary>
    /// Where the package keeps the native tool for this machine: &lt;RID&gt;/ofa, the RID as the running .NET names its
    /// own platform (linux-x64, ...), which is the packing SDK's $(NETCoreSdkRuntimeIdentifier) (nuget/OfaBuild.csproj).
    /// </summary>
    public static string NativeTool(string nativeToolsDirectory) =>
        Path.GetFullPath(Path.Combine(nativeToolsDirectory, RuntimeInformation.RuntimeIdentifier, OperatingSystem.IsWindows() ? "ofa.exe" : "ofa"));

    /// <summary>The command line after the program: the portable tool names its dll first.</summary>
    public string Arguments(string command) => IsNative ? command : $"\"{ToolFile}\" {command}";

    /// <summary>
    /// Whether this machine can start <paramref name="executable"/>: the CPU has the instruction set it was compiled for
    /// (<see cref="CpuHasInstructionSet"/>), and on Unix the file may be executed, which this sets if it can (a NuGet
    /// restore does not keep the package's file modes).
    /// </summary>
    public static bool CanRunNative(string executable)
    {
        if (!CpuHasInstructionSet) return false;
        if (OperatingSystem.IsWindows()) return true;
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        try
        {
            var mode = File.GetUnixFileMode(executable);
            if ((mode & UnixFileMode.UserExecute) == 0) File.SetUnixFileMode(executable, mode | execute);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // a read-only package folder: the portable tool runs instead
        }
    }

    /// <summary>
    /// On x64, x86-64-v3 (AVX2, FMA, BMI1/2, LZCNT; MOVBE and F16C come with every CPU that has these): the instruction
    /// set of the native tool (IlcInstructionSet in src/OfaBuild.Cli/OfaBuild.Cli.csproj), which refuses to start without it.
    /// </summary>
    public static bool CpuHasInstructionSet =>
        RuntimeInformation.ProcessArchitecture != Architecture.X64 ||
        (Avx2.IsSupported && Fma.IsSupported && Bmi1.IsSupported && Bmi2.IsSupported && Lzcnt.IsSupported);
}
