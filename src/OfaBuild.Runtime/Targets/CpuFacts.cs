using System.Runtime.InteropServices;

namespace OfaBuild.Runtime;

/// <summary>
/// What target selection needs to know about the machine. <see cref="Current"/> reads it from the
/// process; tests build it by hand so the rules run without the hardware.
/// </summary>
/// <param name="RuntimeIdentifier">RuntimeInformation.RuntimeIdentifier (may be distro-specific, e.g. "ubuntu.24.04-x64").</param>
/// <param name="PortableRid">The portable OS-arch RID ("linux-arm64", "osx-arm64", "win-x64", ...).</param>
/// <param name="ArmCpuParts">Distinct "CPU part" values of /proc/cpuinfo, lower case (several on big.LITTLE).</param>
/// <param name="X86Features">Supported x86 features, lower case ("avx2", "avx512f", ...).</param>
public sealed record CpuFacts(
    string RuntimeIdentifier,
    string PortableRid,
    Architecture Architecture,
    IReadOnlyCollection<string> ArmCpuParts,
    IReadOnlyCollection<string> X86Features)
{
    private static CpuFacts? _current;

    /// <summary>The facts of this process (read once: /proc/cpuinfo does not change under a running app).</summary>
    public static CpuFacts Current => _current ??= Read();

    private static CpuFacts Read()
    {
        var arch = RuntimeInformation.OSArchitecture;
        IReadOnlyCollection<string> parts = [];
        if (arch is Architecture.Arm64 or Architecture.Arm && OperatingSystem.IsLinux())
        {
            try { parts = CpuInfo.ParseArmParts(File.ReadAllText("/proc/cpuinfo")); }
            catch (IOException) { } // no /proc (containers with a restricted mount): recognition falls back
            catch (UnauthorizedAccessException) { }
        }
        return new CpuFacts(RuntimeInformation.RuntimeIdentifier, PortableRidOf(arch), arch, parts, KnownX86Features.Supported());
    }

    /// <summary>The portable RID of this OS and the given architecture.</summary>
    public static string PortableRidOf(Architecture arch)
    {
        string os = OperatingSystem.IsWindows() ? "win"
            : OperatingSystem.IsMacOS() ? "osx"
            : OperatingSystem.IsLinux() ? (IsMusl() ? "linux-musl" : "linux")
            : RuntimeInformation.OSDescription.ToLowerInvariant();
        return $"{os}-{arch.ToString().ToLowerInvariant()}";
    }

    private static bool IsMusl() => RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Parses /proc/cpuinfo text.</summary>
public static class CpuInfo
{
    /// <summary>Distinct "CPU part" values in order of first appearance, lower case ("0xd03").</summary>
    public static IReadOnlyList<string> ParseArmParts(string cpuinfo)
    {
        var parts = new List<string>();
        foreach (var rawLine in cpuinfo.Split('\n'))
        {
            int colon = rawLine.IndexOf(':');
            if (colon < 0) continue;
            if (!rawLine.AsSpan(0, colon).Trim().Equals("CPU part", StringComparison.OrdinalIgnoreCase)) continue;
            string value = rawLine[(colon + 1)..].Trim().ToLowerInvariant();
            if (value.Length > 0 && !parts.Contains(value)) parts.Add(value);
        }
        return parts;
    }
}
