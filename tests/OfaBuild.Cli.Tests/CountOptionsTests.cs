namespace OfaBuild.Cli.Tests;

/// <summary>Counts below their least value are refused when the command line is read, in one wording (CommonOptions.AtLeast).</summary>
public sealed class CountOptionsTests
{
    [Theory]
    // Before: "Sequence contains no elements" with a stack trace, after loading the dataset.
    [InlineData("measure", "--subnets", "0", 1)]
    // Before: ArgumentOutOfRangeException (-1), or every subnet measured at NaN top-1 and then an error (0).
    [InlineData("measure", "--eval-images", "-1", 1)]
    [InlineData("measure", "--eval-images", "0", 1)]
    // Before: ArgumentOutOfRangeException with a stack trace.
    [InlineData("measure", "--calibration-images", "-1", 1)]
    [InlineData("regret", "--calibration-images", "-1", 1)]
    // Before: refused only after the random sample was measured ("Budgets per device: 0").
    [InlineData("measure", "--refine-budgets", "0", 1)]
    [InlineData("measure", "--refine-rounds", "-1", 0)]
    [InlineData("regret", "--budgets", "0", 1)]
    // Before: ArgumentOutOfRangeException (-5), or "top-1 NaN % on 0 test images" and exit 0.
    [InlineData("eval", "--limit", "-5", 1)]
    [InlineData("eval", "--limit", "0", 1)]
    [InlineData("eval", "--calibration-images", "-1", 1)]
    // Before: silently no timing at all.
    [InlineData("quantize", "--latency-runs", "-1", 0)]
    // Before: "Non-negative number required" with a stack trace, after profiling every layer shape.
    [InlineData("profile", "--validate", "-1", 0)]
    // Before: the protocol's own wordings ("give a number of timed rounds >= 1", "give a number of subnets >= 0").
    [InlineData("profile", "--repetitions", "0", 1)]
    [InlineData("profile", "--calibration", "-1", 0)]
    // Before: the report's own wording ("Report: --samples 0 must be at least 1."), or the search's, naming no option, after reading the package.
    [InlineData("report", "--samples", "0", 1)]
    [InlineData("report", "--generations", "-1", 0)]
    // Before: taken as 1 thread, where `ofa profile --threads 0` was refused.
    [InlineData("measure", "--threads", "0", 1)]
    [InlineData("regret", "--threads", "-2", 1)]
    [InlineData("eval", "--threads", "0", 1)]
    [InlineData("train", "--threads", "0", 1)]
    // Before: accepted, and found out late: a top-1 over 0 images after each phase's training; 1 calibration image stored for 0 or less.
    [InlineData("train", "--eval-images", "0", 1)]
    [InlineData("train", "--calibration-images", "0", 1)]
    [InlineData("import", "--calibration-images", "0", 1)]
    public void A_count_below_its_least_value_is_refused_before_the_command_runs(string command, string option, string value, int least)
    {
        using var dir = new TempDir();
        // The dataset is nowhere: a command that ran would fail on it, with another message.
        string[] dataset = ["--dataset", "fashion-mnist", "--data-dir", dir["nowhere"]];
        string[] rest = command switch
        {
            "eval" => [.. dataset, "--largest"],
            "quantize" => ["--largest", "-o", dir["out.onnx"]],
            "profile" => ["-o", dir["table.json"]],
            "report" => ["--device", "x64-avx2", "-o", dir["out"]],
            "train" => [.. dataset, "-o", dir["out.ofa"]],
            "import" => ["--calibration", dir["nowhere"], "-o", dir["out.ofa"]],
            _ => dataset,
        };
        string[] model = command == "train" ? [] : ["--model", Ofa.Untrained()];
        var r = Ofa.Refuses([command, .. model, .. rest, option, value]);
        Assert.Contains($"{option} {value}: give at least {least}.", r.Stderr);
    }

    [Fact]
    public void Bench_refuses_zero_timed_steps()
    {
        // Before: "Index was out of range" with a stack trace, after building the network.
        var r = Ofa.Refuses("bench", "train-step", "--space", "mbv3-fmnist", "--steps", "0");
        Assert.Contains("--steps 0: give at least 1.", r.Stderr);
    }

    [Fact]
    public void Bench_refuses_zero_threads()
    {
        // Before: taken as 1 thread (one small step timed here), where `ofa profile --threads 0` was refused.
        var r = Ofa.Refuses("bench", "train-step", "--space", "mbv3-fmnist", "--batch", "1", "--subnets", "1", "--steps", "1", "--warmup", "0", "--threads", "0");
        Assert.Contains("--threads 0: give at least 1.", r.Stderr);
    }
}
