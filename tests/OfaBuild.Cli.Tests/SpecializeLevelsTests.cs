using OfaBuild.Contracts;
using OfaBuild.Core.Specialization;

namespace OfaBuild.Cli.Tests;

/// <summary>`ofa specialize --levels` takes the build's rule for a ladder's rungs (<see cref="PlannedTarget.IsValidLevels"/>) and refuses before it searches.</summary>
public sealed class SpecializeLevelsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(LadderLevels.Max + 1)]
    public void Levels_outside_the_rule_are_refused_before_the_package_is_read(int levels)
    {
        // The package does not exist: the refusal comes before it is read, let alone searched.
        var r = Ofa.Run("specialize", "--model", "missing.ofa", "--device", "host", "--latency-ms", "1", "-o", "out", "--levels", levels.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(PlannedTarget.LevelsRefusal("--levels", levels, "a fixed target"), r.Stderr + r.Stdout);
        Assert.DoesNotContain("missing.ofa", r.Stderr + r.Stdout);
    }

    [Fact]
    public void Inspect_target_lists_an_adaptive_target_s_rungs_as_specialize_printed_them()
    {
        using var dir = new TempDir();
        var specialize = Ofa.Succeeds("specialize", "--model", Ofa.Untrained(), "--device", "cortex-a53", "--latency-ms", "2", "-o", dir["out"], "--levels", "3");
        var rungs = specialize.Stdout.Split('\n').Where(l => l.StartsWith("rung ", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(rungs);

        var inspect = Ofa.Succeeds("inspect", "--target", Path.Combine(dir["out"], "cortex-a53.json"));

        foreach (var line in rungs) Assert.Contains(line.TrimEnd('\r'), inspect.Stdout);
        Assert.Contains("cortex-a53.rung1.onnx", inspect.Stdout);
    }

    [Fact]
    public void Levels_help_names_the_most_rungs()
    {
        var help = Ofa.Succeeds("specialize", "--help").Stdout;
        Assert.Contains($"(2-{LadderLevels.Max}, rung 0 included)", help);
    }
}
