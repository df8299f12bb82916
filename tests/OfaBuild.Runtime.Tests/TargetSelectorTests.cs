using System.Runtime.InteropServices;

namespace OfaBuild.Runtime.Tests;

public class TargetSelectorTests
{
    private static OfaTargetInfo T(string name, string rid, double budget, string[]? parts = null, string[]? x86 = null) =>
        TestModel.Info(name) with { RuntimeIdentifiers = [rid], LatencyBudgetMs = budget, ArmCpuParts = parts ?? [], X86Features = x86 ?? [] };

    private static readonly OfaTargetInfo A53 = T("cortex-a53", "linux-arm64", 4, parts: ["0xd03"]);
    private static readonly OfaTargetInfo A55 = T("cortex-a55", "linux-arm64", 3, parts: ["0xd05"]);
    private static readonly OfaTargetInfo A76 = T("cortex-a76", "linux-arm64", 1, parts: ["0xd0b"]);
    private static readonly OfaTargetInfo Avx2 = T("x64-avx2", "linux-x64", 0.5, x86: ["avx2", "fma"]);
    private static readonly OfaTargetInfo Avx512 = T("x64-avx512", "linux-x64", 0.3, x86: ["avx2", "fma", "avx512f"]);
    private static readonly OfaTargetInfo[] All = [A53, A55, A76, Avx2, Avx512];

    private static CpuFacts Arm(params string[] parts) => new("linux-arm64", "linux-arm64", Architecture.Arm64, parts, []);
    private static CpuFacts X64(params string[] features) => new("ubuntu.24.04-x64", "linux-x64", Architecture.X64, [], features);

    private static TargetChoice Select(CpuFacts cpu, string? requested = null, string? env = null, IReadOnlyList<OfaTargetInfo>? targets = null) =>
        TargetSelector.Select("Demo.Classifier", targets ?? All, requested, env, cpu);

    [Fact]
    public void Environment_override_wins_over_cpu_recognition()
    {
        var choice = Select(Arm("0xd03"), env: "cortex-a76");
        Assert.Equal("cortex-a76", choice.Target.Target);
        Assert.Equal(TargetChoiceReason.Environment, choice.Reason);
    }

    [Fact]
    public void Explicit_argument_wins_over_environment_and_ignores_case()
    {
        var choice = Select(Arm("0xd03"), requested: "X64-AVX2", env: "cortex-a76");
        Assert.Equal("x64-avx2", choice.Target.Target);
        Assert.Equal(TargetChoiceReason.Requested, choice.Reason);
    }

    // The fix for an unknown name depends on where it came from: a Create("...") argument is not fixed by unsetting
    // an environment variable nobody set.
    [Theory]
    [InlineData(null, "cortex-a99", "(from OFABUILD_TARGET)", "or unset OFABUILD_TARGET to choose by CPU", "Create")]
    [InlineData("cortex-a99", null, "(from the Create argument)", "or call Create() without a target to choose by CPU", "OFABUILD_TARGET")]
    public void An_unknown_name_lists_the_embedded_targets_and_says_how_to_drop_it_where_it_came_from(
        string? requested, string? env, string source, string fix, string otherSource)
    {
        var ex = Assert.Throws<OfaRuntimeException>(() => Select(Arm("0xd03"), requested, env, targets: [A53, A76]));
        Assert.Contains("Demo.Classifier", ex.Message);
        Assert.Contains("'cortex-a99' " + source, ex.Message);
        Assert.Contains(fix, ex.Message);
        Assert.Contains("embedded: cortex-a53, cortex-a76", ex.Message);
        Assert.DoesNotContain(otherSource, ex.Message);
    }

    [Fact]
    public void An_unknown_name_near_an_embedded_target_asks_did_you_mean_it()
    {
        var ex = Assert.Throws<OfaRuntimeException>(() => Select(Arm("0xd03"), requested: "cortex-a35", targets: [A53, A76]));
        Assert.Contains("is not embedded in this build; embedded: cortex-a53, cortex-a76. Did you mean 'cortex-a53'? Use one of those", ex.Message);
        var far = Assert.Throws<OfaRuntimeException>(() => Select(Arm("0xd03"), env: "cortex-a99", targets: [A53, A76]));
        Assert.DoesNotContain("Did you mean", far.Message);
    }

    [Fact]
    public void A_profiled_board_s_target_lists_no_rid_and_fits_any()
    {
        // Specialised from `ofa profile` on the user's board: no catalog RIDs, no recognition. Before, such a target
        // never fitted, so on that board the catalog's fallback was chosen over the user's own profile.
        var board = TestModel.Info("my-board") with { RuntimeIdentifiers = [], LatencyBudgetMs = 5 };
        var choice = Select(Arm("0xd03"), targets: [T("cortex-a72", "linux-arm64", 2, parts: ["0xd08"]), board]);
        Assert.Equal(("my-board", TargetChoiceReason.Generic), (choice.Target.Target, choice.Reason));
        Assert.Equal("cortex-a72", Select(Arm("0xd08"), targets: [T("cortex-a72", "linux-arm64", 2, parts: ["0xd08"]), board]).Target.Target);
    }

    [Fact]
    public void Cpu_part_selects_the_matching_arm_target()
    {
        Assert.Equal("cortex-a53", Select(Arm("0xd03")).Target.Target);
        var a76 = Select(Arm("0xd0b"));
        Assert.Equal("cortex-a76", a76.Target.Target);
        Assert.Equal(TargetChoiceReason.Recognised, a76.Reason);
    }

    [Fact]
    public void Rid_filter_keeps_x64_targets_away_from_arm_and_back()
    {
        // An x64 CPU with AVX2 never gets an Arm target, even though the Arm budgets differ.
        Assert.Equal("x64-avx2", Select(X64("avx", "avx2", "fma")).Target.Target);
        // The distro-specific RID does not list any target; the portable OS-arch RID does.
        Assert.Equal(TargetChoiceReason.Recognised, Select(X64("avx", "avx2", "fma")).Reason);
    }

    [Fact]
    public void The_most_specific_x86_target_wins()
    {
        Assert.Equal("x64-avx512", Select(X64("avx", "avx2", "fma", "avx512f")).Target.Target);
    }

    [Fact]
    public void Big_little_prefers_the_narrower_claim_then_the_smaller_budget()
    {
        var both = T("big-little", "linux-arm64", 2, parts: ["0xd05", "0xd0b"]);
        Assert.Equal("cortex-a76", Select(Arm("0xd05", "0xd0b"), targets: [both, A55, A76]).Target.Target);
        Assert.Equal("cortex-a55", Select(Arm("0xd05", "0xd0b"), targets: [both, A55]).Target.Target);
        Assert.Equal("big-little", Select(Arm("0xd05", "0xd0b"), targets: [both, A53]).Target.Target);
    }

    [Fact]
    public void Recognised_target_beats_a_generic_one()
    {
        var generic = T("host", "linux-arm64", 0.1);
        Assert.Equal("cortex-a53", Select(Arm("0xd03"), targets: [generic, A53]).Target.Target);
        var onlyGeneric = Select(Arm("0xd08"), targets: [generic, A53]);
        Assert.Equal(("host", TargetChoiceReason.Generic), (onlyGeneric.Target.Target, onlyGeneric.Reason));
    }

    [Fact]
    public void Unknown_cpu_falls_back_to_the_fastest_budget_of_its_arch()
    {
        var choice = Select(Arm("0xd08")); // Cortex-A72: not in this build
        Assert.Equal("cortex-a76", choice.Target.Target); // 1 ms, the smallest Arm budget (x64 ones are smaller but filtered)
        Assert.Equal(TargetChoiceReason.Fallback, choice.Reason);
        Assert.Contains("0xd08", choice.Explanation);
    }

    [Fact]
    public void No_target_for_this_rid_considers_all()
    {
        var choice = Select(new CpuFacts("osx-arm64", "osx-arm64", Architecture.Arm64, [], []), targets: [A53, Avx2]);
        Assert.Equal("x64-avx2", choice.Target.Target);
        Assert.Equal(TargetChoiceReason.Fallback, choice.Reason);
        Assert.Contains("all were considered", choice.Explanation);
    }

    [Fact]
    public void Nothing_embedded_is_an_error_that_explains_the_build()
    {
        var ex = Assert.Throws<OfaRuntimeException>(() => Select(Arm("0xd03"), targets: []));
        Assert.Contains("Demo.Classifier", ex.Message);
        Assert.Contains("OFA0006", ex.Message);
    }

    [Fact]
    public void Nothing_embedded_names_both_forms_of_a_target_to_add()
    {
        // Before, the fix named only an [OfaTarget], though the class's targets may be <OfaTarget> items in a project file:
        // the app cannot tell which form its build used.
        var ex = Assert.Throws<OfaRuntimeException>(() => Select(Arm("0xd03"), targets: []));
        Assert.Contains("or add an [OfaTarget] on Demo.Classifier or an <OfaTarget Class=\"Demo.Classifier\"> item for a device that runs on linux-arm64.", ex.Message);
        Assert.Contains("OFA0014", ex.Message);
    }
}
