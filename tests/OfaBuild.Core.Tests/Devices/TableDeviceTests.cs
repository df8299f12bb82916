using OfaBuild.Contracts;
using OfaBuild.Core.Tests.Packaging;

namespace OfaBuild.Core.Tests.Devices;

/// <summary>
/// A catalog device's profile must be that device's table (TableDevice): before, a table `ofa profile` made on or for
/// another device was searched on without a word, and the subnet shipped to the catalog device's RIDs.
/// </summary>
public sealed class TableDeviceTests : TempDirTest
{
    private static readonly SearchSpace Space = TestSpaces.ForPackage();
    private static readonly DeviceCatalog Catalog = DeviceCatalog.Builtin();

    /// <summary>A table of the space's shapes that says <paramref name="device"/> and records <paramref name="info"/> of its machine.</summary>
    private static LatencyTable Table(string device, params (string Key, string Value)[] info)
    {
        var estimate = Catalog.LatencyTable("cortex-a53", Space);
        return new LatencyTable(device, LatencyTableKind.Measured, "test", estimate.Entries, estimate.ConstantMs, info.ToDictionary(i => i.Key, i => i.Value));
    }

    private static string? Mismatch(LatencyTable table, string device, ProfileHint.Reader reader = ProfileHint.Reader.CommandLine) =>
        TableDevice.Mismatch(table, "profiles/x.json", Catalog.Get(device), Catalog, Space, "models/net.ofa", reader);

    [Fact]
    public void A_table_of_another_catalog_device_names_the_file_both_devices_and_the_fixes()
    {
        var warning = Mismatch(Table("cortex-a72"), "cortex-a53", ProfileHint.Reader.Build);
        Assert.Equal(
            "Latency profile 'profiles/x.json' says device 'cortex-a72', but the target's device is 'cortex-a53' (linux-arm64, Arm CPU part 0xd03): " +
            "the search would choose its subnet by another device's latencies, and the app would run it on cortex-a53. Profile cortex-a53 on that device " +
            "(`ofa profile -o profiles/cortex-a53.net.json --model models/net.ofa --device cortex-a53`, there or with --ssh) and point the target at the new file: " +
            "[OfaTarget(\"cortex-a53\", LatencyMs = ..., Profile = \"profiles/cortex-a53.net.json\")], or, if the table is right, name the target after the profiled device: " +
            "[OfaTarget(\"cortex-a72\", LatencyMs = ..., Profile = \"profiles/x.json\")].", warning);
    }

    [Theory]
    [InlineData("cortex-a53", "linux-x64", "Intel(R) Xeon(R) CPU (2 logical CPUs)")] // `ofa profile -o cortex-a53.json` run on the laptop
    [InlineData("x", "linux-arm64", "Arm64 CPU part 0xd08, Raspberry Pi 4 Model B (4 logical CPUs)")] // a Cortex-A72 board
    [InlineData("x", "ubuntu.24.04-x64", "AMD EPYC (8 logical CPUs)")] // a distribution's RID: its architecture counts
    public void A_table_measured_on_a_machine_the_device_is_not_says_which(string tableDevice, string rid, string cpu)
    {
        var warning = Mismatch(Table(tableDevice, ("runtime_identifier", rid), ("cpu", cpu)), "cortex-a53");
        Assert.NotNull(warning);
        Assert.Contains($"'profiles/x.json' says device '{tableDevice}' and was measured on {rid} ({cpu}), but the target's device is 'cortex-a53'", warning, StringComparison.Ordinal);
        // Renaming the target is a fix only when the table names another device.
        Assert.Equal(tableDevice != "cortex-a53", warning.Contains("name the target after the profiled device: [OfaTarget(\"x\"", StringComparison.Ordinal));
        Assert.Contains("point the target at the new file: [OfaTarget(\"cortex-a53\", LatencyMs = ..., Profile = \"profiles/cortex-a53.net.json\")] (or --profile profiles/cortex-a53.net.json on the command line)", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cortex-a53")]
    [InlineData("Cortex-A53")]
    [InlineData("x")] // a table named after its file, measured on the device
    public void The_devices_own_table_passes_as_do_tables_that_record_no_machine(string tableDevice)
    {
        Assert.Null(Mismatch(Table(tableDevice, ("runtime_identifier", "linux-arm64"), ("cpu", "Arm64 CPU part 0xd03, Raspberry Pi 3 Model B (4 logical CPUs)")), "cortex-a53"));
        Assert.Null(Mismatch(Table(tableDevice), "cortex-a53")); // written before machines were recorded, or imported
    }

    [Fact]
    public void Report_words_the_command_line_fix_as_its_profile_option_takes_it()
    {
        // `ofa report --profile` is DEVICE=FILE; `--profile FILE` is what search and inspect take.
        var warning = TableDevice.Check(Table("cortex-a72"), "profiles/x.json", "cortex-a53", Catalog.ForReport(), Space, "models/net.ofa");
        Assert.Contains("(or --profile cortex-a53=profiles/cortex-a53.net.json on the command line)", warning, StringComparison.Ordinal);
        Assert.Contains("name the target after the profiled device: [OfaTarget(\"cortex-a72\", LatencyMs = ..., Profile = \"profiles/x.json\")] (or --profile cortex-a72=profiles/x.json on the command line).",
            warning, StringComparison.Ordinal);
        Assert.Null(TableDevice.Check(Table("cortex-a72"), "profiles/x.json", "lab-board", Catalog.ForReport(), Space, "models/net.ofa"));
    }

    [Fact]
    public void Host_is_any_machine_but_not_another_catalog_device()
    {
        Assert.Null(Mismatch(Table("laptop", ("runtime_identifier", "linux-x64")), "host"));
        Assert.Null(Mismatch(Table("laptop", ("runtime_identifier", "osx-arm64")), "host"));
        Assert.Contains("says device 'cortex-a53', but the target's device is 'host'", Mismatch(Table("cortex-a53"), "host"), StringComparison.Ordinal);
    }

    [Fact]
    public void Search_specialize_and_the_build_warn_through_the_target_problem_and_a_device_outside_the_catalog_takes_any_table()
    {
        var profile = Dir["x.json"];
        LatencyTableFile.Save(Table("x64-avx2", ("runtime_identifier", "linux-x64")), profile);
        var manifest = TestPackage.Manifest(Space, withExtras: false);

        Assert.Contains($"Latency profile '{profile}' says device 'x64-avx2' and was measured on linux-x64",
            TargetProblem.Create(manifest, null, "Cortex-A53", 1e9, profile).TableWarning, StringComparison.Ordinal);
        Assert.Null(TargetProblem.Create(manifest, null, "lab-board", 1e9, profile).TableWarning); // by design: a profiled device of one's own
        Assert.Null(TargetProblem.Create(manifest, null, "x64-avx2", 1e9, profile).TableWarning);
        Assert.Null(TargetProblem.Create(manifest, null, "cortex-a53", 1e9).TableWarning); // the catalog's own table
    }
}
