using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace OfaBuild.Core.Devices;

/// <summary>What recognition looks at on the running machine. <see cref="Detect"/> reads it; tests build it by hand.</summary>
public sealed record HostCpu(string Architecture, string Os, IReadOnlyList<string> ArmCpuParts, IReadOnlyList<string> X64Features)
{
    public static HostCpu Detect()
    {
        string arch = RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "x64",
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            System.Runtime.InteropServices.Architecture.Arm => "arm",
            var a => a.ToString().ToLowerInvariant(),
        };
        string os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "osx" : OperatingSystem.IsWindows() ? "windows" : "other";
        var parts = new List<string>();
        if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
        {
            try { parts.AddRange(ArmPartsFromCpuInfo(File.ReadAllText("/proc/cpuinfo"))); }
            catch (IOException) { /* unreadable: recognition falls back to host */ }
        }
        var features = new List<string>();
        if (Avx2.IsSupported) features.Add("avx2");
        if (Fma.IsSupported) features.Add("fma");
        if (Avx512F.IsSupported) features.Add("avx512f");
        return new HostCpu(arch, os, parts, features);
    }

    /// <summary>The "CPU part" values of /proc/cpuinfo, one per core, lower case (e.g. "0xd03").</summary>
    public static IReadOnlyList<string> ArmPartsFromCpuInfo(string cpuinfo)
    {
        var parts = new List<string>();
        foreach (var line in cpuinfo.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon < 0) continue;
            if (line[..colon].Trim() == "CPU part") parts.Add(line[(colon + 1)..].Trim().ToLowerInvariant());
        }
        return parts;
    }
}
