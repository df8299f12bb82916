namespace OfaBuild.Runtime.Tests;

public class CpuInfoTests
{
    // One Cortex-A53 core's lines of a Raspberry Pi 3's /proc/cpuinfo (4 x Cortex-A53); the file repeats them per core.
    private const string CortexA53Core = """
        BogoMIPS	: 38.40
        Features	: fp asimd evtstrm crc32 cpuid
        CPU implementer	: 0x41
        CPU architecture: 8
        CPU variant	: 0x0
        CPU part	: 0xd03
        CPU revision	: 4
        """;

    // The Raspberry Pi 3's /proc/cpuinfo, abridged to two cores.
    private const string RaspberryPi3 =
        $"processor\t: 0\n{CortexA53Core}\n\nprocessor\t: 1\n{CortexA53Core}\n\nHardware\t: BCM2835\nModel\t\t: Raspberry Pi 3 Model B Rev 1.2";

    // A big.LITTLE phone SoC: Cortex-A55 little cores and Cortex-A76 big cores; upper-case hex as some kernels print.
    private const string BigLittle = "processor\t: 0\nCPU part\t: 0xD05\n\nprocessor\t: 4\nCPU part\t: 0xd0b\n\nprocessor\t: 5\nCPU part\t: 0xd0b\n";

    [Fact]
    public void Raspberry_pi_3_has_one_part()
    {
        Assert.Equal(["0xd03"], CpuInfo.ParseArmParts(RaspberryPi3));
    }

    [Fact]
    public void Big_little_lists_each_part_once_lower_case_in_order()
    {
        Assert.Equal(["0xd05", "0xd0b"], CpuInfo.ParseArmParts(BigLittle));
    }

    [Fact]
    public void X86_cpuinfo_has_no_cpu_part()
    {
        const string x86 = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R)\nflags\t\t: fpu avx avx2\n";
        Assert.Empty(CpuInfo.ParseArmParts(x86));
    }

    [Fact]
    public void Current_facts_describe_this_process()
    {
        var cpu = CpuFacts.Current;
        Assert.Equal(System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, cpu.RuntimeIdentifier);
        Assert.EndsWith("-" + cpu.Architecture.ToString().ToLowerInvariant(), cpu.PortableRid);
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx2.IsSupported, cpu.X86Features.Contains("avx2"));
    }
}

public class OfaScoresTests
{
    [Fact]
    public void Softmax_sums_to_one_keeps_order_and_returns_the_argmax()
    {
        float[] s = [1f, 3f, 2f, -1f];
        int best = OfaScores.SoftmaxInPlace(s);
        Assert.Equal(1, best);
        Assert.Equal(1f, s.Sum(), 5);
        Assert.True(s[1] > s[2] && s[2] > s[0] && s[0] > s[3]);
        Assert.Equal(MathF.Exp(3) / (MathF.Exp(1) + MathF.Exp(3) + MathF.Exp(2) + MathF.Exp(-1)), s[1], 5);
    }

    [Fact]
    public void Large_logits_stay_finite()
    {
        float[] s = [1000f, 999f];
        Assert.Equal(0, OfaScores.SoftmaxInPlace(s));
        Assert.All(s, v => Assert.True(float.IsFinite(v)));
    }
}
