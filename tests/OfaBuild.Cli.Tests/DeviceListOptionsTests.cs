namespace OfaBuild.Cli.Tests;

/// <summary>The options that name several devices read them by one rule (CommonOptions.DeviceList), an explicitly empty list included.</summary>
public sealed class DeviceListOptionsTests
{
    [Theory]
    // Before: every catalog device with a table for the space, silently; `ofa regret` then measured each one's budgets.
    [InlineData("regret", "--devices", "", "--devices ''", "--devices x64-avx2,cortex-a53")]
    [InlineData("regret", "--devices", " , ", "--devices ' , '", "--devices x64-avx2,cortex-a53")]
    [InlineData("measure", "--refine-devices", "", "--refine-devices ''", "--refine-devices x64-avx2,cortex-a53")]
    // Before: the devices of the targets, as if --device had not been given.
    [InlineData("report", "--device", "", "--device ''", "--device x64-avx2 --device cortex-a53")]
    public void A_device_list_that_names_no_device_is_refused_before_the_command_runs(string command, string option, string value, string given, string example)
    {
        using var dir = new TempDir();
        // The dataset is nowhere and the package has no predictor: a command that ran would fail on them, with another message.
        string[] rest = command == "report"
            ? ["--target", "cortex-a53=2", "-o", dir["out"]]
            : ["--dataset", "fashion-mnist", "--data-dir", dir["nowhere"]];
        var r = Ofa.Refuses([command, "--model", Ofa.Untrained(), .. rest, option, value]);
        Assert.Contains($"{given}: name at least one device, e.g. {example}.", r.Stderr);
    }
}
