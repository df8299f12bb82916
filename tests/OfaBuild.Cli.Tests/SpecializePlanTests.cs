using OfaBuild.Cli.Commands;
using OfaBuild.Contracts;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Specialization;

namespace OfaBuild.Cli.Tests;

/// <summary>`ofa specialize --plan`, as the build runs it: each mistake is one error at the spec that made it.</summary>
public sealed class SpecializePlanTests : TempDirTest
{
    private string WritePlan(string model, params string[] devices) => WritePlan(model, fromItem: false, devices);

    private string WritePlan(string model, bool fromItem, params string[] devices) => WriteHashedPlan(model, fromItem, "h", devices);

    /// <param name="hash">The targets' hash, which each stamp holds once its outputs are written.</param>
    private string WriteHashedPlan(string model, bool fromItem, string hash, string[] devices)
    {
        var plan = new SpecializationPlan
        {
            Targets = devices.Select((d, i) => new PlannedTarget
            {
                ClassName = "App.Net", Model = model, Device = d, LatencyMs = 4, OutputDir = Dir["obj"], Name = d,
                SourceFile = Dir["Net.cs"], Line = 3 + i, Column = 2, Hash = hash, FromItem = fromItem,
                ModelSourceFile = Dir["Net.cs"], ModelLine = 2, ModelColumn = 2,
            }).ToList(),
        };
        File.WriteAllText(Dir["plan.json"], plan.ToJson());
        return Dir["plan.json"];
    }

    private static string[] Errors(ProcessResult r) =>
        (r.Stdout + r.Stderr).Split('\n').Where(l => l.Contains($"error {DiagnosticIds.SpecializeFailed}:", StringComparison.Ordinal)).ToArray();

    [Fact]
    public void An_unreadable_supernet_is_one_error_for_its_class_not_one_per_target()
    {
        File.WriteAllText(Dir["bad.ofa"], "not a zip");
        var r = Ofa.Refuses("specialize", "--plan", WritePlan(Dir["bad.ofa"], "cortex-a53", "cortex-a55", "cortex-a72", "cortex-a76", "x64-avx2"));
        var error = Assert.Single(Errors(r));
        // At the [OfaModel], where the path is fixed; before, at the first target.
        Assert.StartsWith($"{Dir["Net.cs"]}(2,2): error OFA0002: [OfaModel] on App.Net", error, StringComparison.Ordinal);
        Assert.Contains($"{Dir["bad.ofa"]} is not a .ofa package", error, StringComparison.Ordinal);
        Assert.Contains("Make one with `ofa train` or `ofa import`", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Dir["obj"], "cortex-a53.stamp")));
    }

    private int RunInProcess(string model, string hash, params string[] devices) =>
        PlanRunner.Run(WriteHashedPlan(model, fromItem: false, hash, devices), OfaPackageFile.Read, CancellationToken.None);

    /// <summary>Each of the target's files in obj/ and its bytes (the stamp's as text), to compare a run's before and after.</summary>
    private Dictionary<string, string> Outputs(params string[] devices) => devices
        .SelectMany(d => new[] { d + ".onnx", d + ".json", d + ".stamp" })
        .ToDictionary(f => f, f => File.Exists(Path.Combine(Dir["obj"], f)) ? Convert.ToHexString(File.ReadAllBytes(Path.Combine(Dir["obj"], f))) : "missing");

    private string Stamp(string device) => File.ReadAllText(Path.Combine(Dir["obj"], device + ".stamp"));

    [Fact]
    public void A_run_that_fails_on_a_bad_supernet_keeps_the_stamps_so_restoring_it_specialises_nothing()
    {
        // The run deleted every stamp before it read the supernet: once the supernet was restored, the build (whose
        // stamps hold the hash of the inputs) found none and specialised every target again.
        var model = Dir["net.ofa"];
        string[] devices = ["cortex-a53", "x64-avx2"];
        UntrainedPackage.Create(TestSpaces.ForPackage()).Write(model);
        Assert.Equal(0, RunInProcess(model, "good", devices));
        var made = Outputs(devices);
        var good = File.ReadAllBytes(model);

        File.WriteAllBytes(model, good[..(good.Length / 2)]); // truncated: the build's plan has the new hash
        Assert.Equal(1, RunInProcess(model, "truncated", devices));
        Assert.Equal(made, Outputs(devices)); // each stamp still says "good", true of the outputs beside it

        // A supernet that truly changed is specialised again, and its stamps hold its hash.
        UntrainedPackage.Create(TestSpaces.ForPackage(), seed: 2).Write(model);
        Assert.Equal(0, RunInProcess(model, "retrained", devices));
        foreach (var d in devices)
            Assert.Equal("retrained", Stamp(d));
        Assert.NotEqual(made[devices[0] + ".onnx"], Outputs(devices)[devices[0] + ".onnx"]);
    }

    [Fact]
    public void A_run_that_fails_while_replacing_a_targets_outputs_leaves_no_stamp_beside_them()
    {
        var model = Dir["net.ofa"];
        UntrainedPackage.Create(TestSpaces.ForPackage()).Write(model);
        Assert.Equal(0, RunInProcess(model, "first", "cortex-a53"));

        // The manifest cannot be replaced (a folder stands in its place): the model is written, the manifest is not.
        UntrainedPackage.Create(TestSpaces.ForPackage(), seed: 2).Write(model);
        File.Delete(Path.Combine(Dir["obj"], "cortex-a53.json"));
        Directory.CreateDirectory(Path.Combine(Dir["obj"], "cortex-a53.json"));
        Assert.Equal(1, RunInProcess(model, "second", "cortex-a53"));

        Assert.False(File.Exists(Path.Combine(Dir["obj"], "cortex-a53.stamp"))); // "first" would pass the new model as fresh
    }

    [Fact]
    public void A_plan_reads_its_supernet_once_and_its_targets_sharing_it_write_what_each_writes_alone()
    {
        var model = Dir["net.ofa"];
        UntrainedPackage.Create(TestSpaces.ForPackage()).Write(model);
        string[] devices = ["cortex-a53", "cortex-a76", "x64-avx2"];
        foreach (var d in devices)
            Specializer.Run(new SpecializeRequest(model, d, 4, Dir["alone"]));
        int reads = 0;

        // In process, where the runner's reads can be watched.
        int exitCode = PlanRunner.Run(WritePlan(model, devices), path =>
        {
            Interlocked.Increment(ref reads);
            var supernet = OfaPackageFile.Read(path);
            File.WriteAllText(path, "not a zip"); // any later read of the file fails
            return supernet;
        }, CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Equal(1, reads);
        foreach (var d in devices)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(Dir["alone"], d + ".onnx")), File.ReadAllBytes(Path.Combine(Dir["obj"], d + ".onnx")));
            Assert.Equal(File.ReadAllBytes(Path.Combine(Dir["alone"], d + ".json")), File.ReadAllBytes(Path.Combine(Dir["obj"], d + ".json")));
            Assert.True(File.Exists(Path.Combine(Dir["obj"], d + ".stamp")));
        }
    }

    [Fact]
    public void An_unknown_devices_hint_in_a_build_names_the_target_and_no_command_line()
    {
        var r = Ofa.Run("specialize", "--plan", WritePlan(Fixtures.RepoFile("samples", "models", "fashion-mnist.ofa"), "jetson-nano"));
        var error = Assert.Single(Errors(r));
        Assert.Contains("`ofa profile -o jetson-nano.json --model ", error, StringComparison.Ordinal);
        Assert.Contains("[OfaTarget(\"jetson-nano\", LatencyMs = ..., Profile = \"jetson-nano.json\")].", error, StringComparison.Ordinal);
        Assert.DoesNotContain("--profile", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mistyped_device_in_a_build_is_an_error_at_its_target_that_names_the_device_meant()
    {
        var r = Ofa.Run("specialize", "--plan", WritePlan(Fixtures.RepoFile("samples", "models", "fashion-mnist.ofa"), "cortex-a35"));
        var error = Assert.Single(Errors(r));
        Assert.StartsWith($"{Dir["Net.cs"]}(3,2): error OFA0002: [OfaTarget(\"cortex-a35\")] on App.Net: Unknown device 'cortex-a35'. Did you mean 'cortex-a53' or 'cortex-a55'? Known devices: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_about_an_item_names_the_item_as_written_with_its_profile_as_item_metadata()
    {
        // The plan said nothing of where a target was written: an item's error read [OfaTarget("jetson-nano")] on App.Net,
        // an attribute the project does not have, and told it to write one.
        var r = Ofa.Run("specialize", "--plan", WritePlan(Fixtures.RepoFile("samples", "models", "fashion-mnist.ofa"), fromItem: true, "jetson-nano"));
        var error = Assert.Single(Errors(r));
        Assert.StartsWith($"{Dir["Net.cs"]}(3,2): error OFA0002: <OfaTarget Include=\"jetson-nano\" Class=\"App.Net\">: ", error, StringComparison.Ordinal);
        Assert.Contains("Profile=\"jetson-nano.json\" on the <OfaTarget Include=\"jetson-nano\"> item.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("[OfaTarget", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_of_another_device_is_a_warning_at_its_target_before_the_search()
    {
        // Before, a cortex-a53 target searched on a table `ofa profile` made on an x64 machine without a word; here the
        // budget no subnet meets on it is explained by the warning the line before.
        var (model, profile) = PackageAndProfile("linux-x64");
        var plan = new SpecializationPlan
        {
            Targets = [new PlannedTarget
            {
                ClassName = "App.Net", Model = model, Device = "cortex-a53", LatencyMs = 1e-6, Profile = profile, OutputDir = Dir["obj"], Name = "cortex-a53",
                SourceFile = Dir["Net.cs"], Line = 3, Column = 2, Hash = "h",
            }],
        };
        File.WriteAllText(Dir["plan.json"], plan.ToJson());

        var lines = Ofa.Refuses("specialize", "--plan", Dir["plan.json"]).Stdout.Split('\n');
        int warning = Array.FindIndex(lines, l => l.StartsWith($"{Dir["Net.cs"]}(3,2): warning OFA0019: [OfaTarget(\"cortex-a53\")] on App.Net: " +
            $"Latency profile '{profile}' says device 'x' and was measured on linux-x64, but the target's device is 'cortex-a53'", StringComparison.Ordinal));
        Assert.True(warning >= 0, string.Join('\n', lines));
        Assert.Contains("[OfaTarget(\"cortex-a53\", LatencyMs = ..., Profile = \"", lines[warning], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("error OFA0002", StringComparison.Ordinal) && Array.IndexOf(lines, l) > warning);
    }

    [Fact]
    public void A_specialised_targets_warnings_are_kept_beside_its_outputs_for_the_build_to_repeat()
    {
        // Before, the tool's OFA0019 went to the build's output only; the build that next found the target up to date (no
        // tool run) had nothing to repeat. Written before the stamp, removed when a later run gives none.
        var (model, profile) = PackageAndProfile("linux-x64");
        var target = new PlannedTarget
        {
            ClassName = "App.Net", Model = model, Device = "cortex-a53", LatencyMs = 1e9, Profile = profile, OutputDir = Dir["obj"], Name = "cortex-a53",
            SourceFile = Dir["Net.cs"], Line = 3, Column = 2, Hash = "h",
        };
        File.WriteAllText(Dir["plan.json"], new SpecializationPlan { Targets = [target] }.ToJson());

        var lines = Ofa.Succeeds("specialize", "--plan", Dir["plan.json"]).Stdout.Split('\n');
        var said = Assert.Single(lines, l => l.Contains(": warning OFA0019: ", StringComparison.Ordinal));
        var kept = Assert.Single(TargetWarnings.Parse(File.ReadAllText(target.WarningsPath)));
        Assert.Equal($"{Dir["Net.cs"]}(3,2): warning {kept.Code}: {kept.Message}", said.TrimEnd('\r'));
        Assert.StartsWith("[OfaTarget(\"cortex-a53\")] on App.Net: Latency profile", kept.Message, StringComparison.Ordinal);
        Assert.Equal("h", File.ReadAllText(target.StampPath));

        PackageAndProfile("linux-arm64"); // the device's own machine: no warning, and none kept
        Assert.DoesNotContain("warning", Ofa.Succeeds("specialize", "--plan", Dir["plan.json"]).Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(target.WarningsPath));
    }

    [Fact]
    public void A_plan_runs_in_its_project_folder_where_its_paths_find_the_files_and_its_warning_names_them_as_the_project_does()
    {
        // The build's plan names the supernet and the profile as the project does (relative to its folder), so a moved
        // project folder keeps its hashes; the tool, started elsewhere (here: the test's folder), runs in the plan's project
        // folder, finds them, and words the warning the build keeps and repeats with them, not with the folder's full path.
        PackageAndProfile("linux-x64");
        var target = new PlannedTarget
        {
            ClassName = "App.Net", Model = "net.ofa", Device = "cortex-a53", LatencyMs = 1e9, Profile = "x.json", OutputDir = Dir["obj"], Name = "cortex-a53",
            SourceFile = Dir["Net.cs"], Line = 3, Column = 2, Hash = "h",
        };
        File.WriteAllText(Dir["plan.json"], new SpecializationPlan { ProjectDirectory = Dir.Path, Targets = [target] }.ToJson());

        Ofa.Succeeds("specialize", "--plan", Dir["plan.json"]);
        var kept = Assert.Single(TargetWarnings.Parse(File.ReadAllText(target.WarningsPath))).Message;
        Assert.StartsWith("[OfaTarget(\"cortex-a53\")] on App.Net: Latency profile 'x.json' says device 'x'", kept, StringComparison.Ordinal);
        Assert.Contains("--model net.ofa", kept, StringComparison.Ordinal); // the fix's `ofa profile`, to run in the project folder
        Assert.Contains("Profile = \"cortex-a53.net.json\")]", kept, StringComparison.Ordinal);
        Assert.DoesNotContain(Dir.Path, kept, StringComparison.Ordinal);
        Assert.Equal("h", File.ReadAllText(target.StampPath));
    }

    /// <summary>Dir/net.ofa, an untrained package, and Dir/x.json, a table of its space that says device 'x' and was measured on <paramref name="rid"/>.</summary>
    private (string Model, string Profile) PackageAndProfile(string rid)
    {
        var space = TestSpaces.ForPackage();
        var model = Dir["net.ofa"];
        UntrainedPackage.Create(space).Write(model);
        var estimate = Core.Devices.DeviceCatalog.Builtin().LatencyTable("x64-avx2", space);
        var profile = Dir["x.json"];
        Core.Latency.LatencyTableFile.Save(new Core.Latency.LatencyTable("x", Core.Latency.LatencyTableKind.Measured, "test", estimate.Entries, 0,
            new Dictionary<string, string> { ["runtime_identifier"] = rid }), profile);
        return (model, profile);
    }
}
