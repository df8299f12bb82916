using X86 = System.Runtime.Intrinsics.X86;

namespace OfaBuild.Runtime;

/// <summary>
/// The x86 features target recognition knows, by the names manifests and device files use, each with whether this
/// process's CPU has it. The one list: <see cref="CpuFacts"/> reports from it, and OfaBuild.Core compiles this file in
/// (linked source) to refuse a catalog device naming a feature the runtime could never report, so never recognise.
/// </summary>
internal static class KnownX86Features
{
    public static readonly (string Name, Func<bool> IsSupported)[] Known =
    [
        ("sse4.1", () => X86.Sse41.IsSupported),
        ("avx", () => X86.Avx.IsSupported),
        ("avx2", () => X86.Avx2.IsSupported),
        ("fma", () => X86.Fma.IsSupported),
        ("avxvnni", () => X86.AvxVnni.IsSupported),
        ("avx512f", () => X86.Avx512F.IsSupported),
        ("avx512bw", () => X86.Avx512BW.IsSupported),
        ("avx512dq", () => X86.Avx512DQ.IsSupported),
        ("avx512vbmi", () => X86.Avx512Vbmi.IsSupported),
    ];

    public static IEnumerable<string> Names => Known.Select(k => k.Name);

    /// <summary>The known features this process's CPU supports.</summary>
    public static List<string> Supported() => Known.Where(k => k.IsSupported()).Select(k => k.Name).ToList();
}
