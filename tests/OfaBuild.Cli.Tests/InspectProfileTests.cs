using OfaBuild.Core.Devices;
using OfaBuild.Core.Latency;
using OfaBuild.Core.Space;

namespace OfaBuild.Cli.Tests;

/// <summary>
/// `ofa inspect --profile` judges the table as the table of the device it names, by the rule the build's OFA0019 applies
/// (Core's TableDevice): a catalog device's table measured on a machine that device is not is warned of.
/// </summary>
public sealed class InspectProfileTests
{
    private static string Profile(TempDir dir, string device, string rid, string? cpu = null)
    {
        var space = Presets.Get("mbv3-fmnist");
        var estimate = DeviceCatalog.Builtin().LatencyTable("x64-avx2", space);
        var info = new Dictionary<string, string> { ["runtime_identifier"] = rid };
        if (cpu is not null) info["cpu"] = cpu;
        var path = dir[$"{device}.{rid}.json"];
        LatencyTableFile.Save(new LatencyTable(device, LatencyTableKind.Measured, "test", estimate.Entries, 0, info), path);
        return path;
    }

    [Fact]
    public void A_catalog_devices_table_measured_on_another_machine_is_warned_of_on_stderr()
    {
        // Before, `ofa profile -o cortex-a53.json` run on an x64 laptop was printed as "latency ... on cortex-a53 (measured
        // table)" without a word; the build warned of the same table only when it specialised a target on it.
        using var dir = new TempDir();
        var laptop = Profile(dir, "cortex-a53", "linux-x64");

        var r = Ofa.Succeeds("inspect", "--model", Ofa.Untrained(), "--profile", laptop, "--smallest", "--json");

        // No target here: before, the message spoke of "the target's device" all the same.
        Assert.StartsWith($"warning: Latency profile '{laptop}' says device 'cortex-a53' and was measured on linux-x64, but the catalog's 'cortex-a53' is linux-arm64, Arm CPU part 0xd03: "
            + "a search on it would choose a cortex-a53 target's subnet by another device's latencies, and the app would run it on cortex-a53.",
            r.Stderr, StringComparison.Ordinal);
        Assert.Contains($"ofa profile -o {dir["cortex-a53.p.json"]} --model {Ofa.Untrained()}", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"latency_device\":\"cortex-a53\"", Assert.Single(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_devices_own_table_and_a_device_outside_the_catalog_pass()
    {
        using var dir = new TempDir();
        var board = Profile(dir, "cortex-a53", "linux-arm64", "Arm64 CPU part 0xd03, Raspberry Pi 3 Model B (4 logical CPUs)");
        var own = Profile(dir, "lab-board", "linux-x64");

        Assert.Equal("", Ofa.Succeeds("inspect", "--model", Ofa.Untrained(), "--profile", board, "--smallest").Stderr);
        Assert.Equal("", Ofa.Succeeds("inspect", "--model", Ofa.Untrained(), "--profile", own, "--smallest").Stderr);
    }
}
