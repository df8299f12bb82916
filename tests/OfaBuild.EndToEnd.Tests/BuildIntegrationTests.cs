using OfaBuild.Core.Devices;
using OfaBuild.Core.Latency;
using OfaBuild.Core.Onnx;
using static OfaBuild.EndToEnd.Tests.ConsumerProject;

namespace OfaBuild.EndToEnd.Tests;

/// <summary>
/// The product as a user meets it: the packed OfaBuild referenced from a fresh project, `dotnet build`,
/// run, incremental rebuilds, Clean, `dotnet publish -r linux-arm64` run under qemu, and a Native AOT publish.
/// </summary>
[Collection("package")]
public sealed class BuildIntegrationTests(PackageFixture package, TwoTargetAppFixture twoTargets, Xunit.Abstractions.ITestOutputHelper output)
    : IClassFixture<TwoTargetAppFixture>
{
    [Fact]
    public void Build_embeds_specialised_models_and_the_generated_wrapper_predicts_like_onnx_runtime()
    {
        var (app, build, run) = twoTargets.Built;
        build.Succeeded();
        Assert.Contains("specialising 2 of 2 target(s)", build.Output);
        // Packed on this linux-x64 machine, the package has the Native AOT tool for it, and the build runs that one.
        // The task names it by its full path (inside the restored package): match the package-relative end.
        Assert.Matches(@"\(native tool [^)\r\n]*" + System.Text.RegularExpressions.Regex.Escape(Path.Combine("tools", "net10.0", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "ofa")) + @"\)", build.Output);

        Assert.NotNull(run);
        run.Succeeded();
        Assert.Contains("targets: cortex-a53,x64-avx2", run.Output);
        Assert.Contains("chosen x64-avx2", run.Output); // this x64 machine has AVX2 and FMA
        Assert.Contains("two threads same label", run.Output); // Create(target, options)

        foreach (var (target, scores) in ConsumerProject.Scores(run.Output))
        {
            var manifest = Contracts.TargetManifest.Load(Path.Combine(app.OfaDir(), target + ".json"));
            Assert.True(manifest.PredictedLatencyMs <= manifest.LatencyBudgetMs);
            int r = manifest.Config.R;
            using var ort = new OnnxModelRunner(File.ReadAllBytes(Path.Combine(app.OfaDir(), target + ".onnx")));
            AssertClose(Softmax(ort.RunFirst(Input(r), [1, 1, r, r])), scores, 1e-5);
        }
    }

    [Fact]
    public void Rebuilds_respecialise_only_what_changed_and_clean_removes_it()
    {
        double a53 = Budget("cortex-a53", 0.5), avx2 = Budget("x64-avx2", 0.8);
        var app = new ConsumerProject(package, "incremental", ("cortex-a53", a53), ("x64-avx2", avx2));
        app.Build().Succeeded();
        var avx2Stamp = Path.Combine(app.OfaDir(), "x64-avx2.stamp");
        var avx2Time = File.GetLastWriteTimeUtc(avx2Stamp);

        var noop = app.Build().Succeeded();
        Assert.DoesNotContain("specialising", noop.Output);

        // Editing a file without specs keeps the fast path: no parsing, no hashing of the supernet.
        File.WriteAllText(Path.Combine(app.Dir, "Other.cs"), "static class Other { public static int Answer => 42; }\n");
        var edited = app.Build("-v:d").Succeeded();
        Assert.Contains("OfaBuild: specialised models are up to date.", edited.Output);

        app.WriteSpec(("cortex-a53", Budget("cortex-a53", 0.3)), ("x64-avx2", avx2));
        var changed = app.Build().Succeeded();
        Assert.Contains("specialising 1 of 2 target(s): E2E.Net/cortex-a53", changed.Output);
        Assert.Equal(avx2Time, File.GetLastWriteTimeUtc(avx2Stamp));

        // obj/ofa deleted: everything is made again.
        Directory.Delete(Path.Combine(app.Dir, "obj", "Debug", "net10.0", "ofa"), recursive: true);
        var full = app.Build().Succeeded();
        Assert.Contains("specialising 2 of 2 target(s)", full.Output);

        app.Build("-t:Clean").Succeeded();
        Assert.False(Directory.Exists(Path.Combine(app.Dir, "obj", "Debug", "net10.0", "ofa")));
    }

    [Fact]
    public void A_project_folder_moved_whole_specialises_nothing_and_its_warning_names_the_profile_as_the_project_does()
    {
        // Before, a profiled target's hash held the full paths its OFA0019 warning names: the project folder moved with its
        // obj/ (a CI cache restored to another path, a renamed folder) specialised the target again, though nothing the
        // user wrote had changed, and the warning, the tool's and the repeated one, named the folder's full path.
        var app = new ConsumerProject(package, "moving");
        var estimate = DeviceCatalog.Builtin().LatencyTable("x64-avx2", TestSpaces.ForBuild); // an x64 machine's table
        Directory.CreateDirectory(Path.Combine(app.Dir, "profiles"));
        LatencyTableFile.Save(new LatencyTable("x", LatencyTableKind.Measured, "test", estimate.Entries, 0,
            new Dictionary<string, string> { ["runtime_identifier"] = "linux-x64" }), Path.Combine(app.Dir, "profiles", "a53.json"));
        app.AddItem("cortex-a53", Budget("cortex-a53", 0.5), profile: "profiles/a53.json");
        string warning = $"warning OFA0019: {Contracts.TargetWording.Subject(true, "cortex-a53", ClassName)}: Latency profile 'profiles/a53.json' says device 'x'";

        var first = app.Build();
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("specialising 1 of 1 target(s)", first.Output);
        Assert.True(first.Output.Contains(warning, StringComparison.Ordinal), first.ToString()); // the tool's, run in the project folder
        string before = app.Dir;
        app.Move("moved");

        var moved = app.Build();
        Assert.True(moved.ExitCode == 0, moved.ToString());
        Assert.DoesNotContain("specialising", moved.Output);
        var repeated = moved.Output.Split('\n').Where(l => l.Contains(warning, StringComparison.Ordinal)).ToArray(); // and in the summary
        Assert.NotEmpty(repeated);
        Assert.All(repeated, l => Assert.StartsWith(Path.Combine(app.Dir, "consumer.csproj"), l.Trim(), StringComparison.Ordinal)); // at the item, where it is now
        Assert.All(repeated, l => Assert.DoesNotContain(before, l, StringComparison.Ordinal));
    }

    [Fact]
    public void Spec_errors_are_build_errors_at_the_attribute()
    {
        var app = new ConsumerProject(package, "errors", ("cortex-a53", 1e-6), ("no-such-cpu", 5));
        var build = app.Build();
        Assert.NotEqual(0, build.ExitCode);
        // The impossible budget names the smallest latency; the unknown device lists the catalog. Both at Net.cs.
        Assert.Matches(@"Net\.cs\(4,\d+\): error OFA0002: \[OfaTarget\(""cortex-a53""\)\].*smallest latency", build.Output);
        Assert.Matches(@"Net\.cs\(5,\d+\): error OFA0002: \[OfaTarget\(""no-such-cpu""\)\].*Known devices: apple-m1", build.Output);
        Assert.DoesNotContain("   at ", build.Output);
    }

    [Fact]
    public void Item_errors_are_build_errors_at_the_item_in_the_file_that_defines_it()
    {
        // MSBuild gives the task no item lines: both were at (1,1), the second of the .props, not at the items.
        var app = new ConsumerProject(package, "itemerrors");
        var project = Path.Combine(app.Dir, "consumer.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("</Project>", $"""
              <ItemGroup>
                <OfaTarget Include="cortex-a53" Class="{ClassName}" LatencyMs="fast" />
              </ItemGroup>
            </Project>
            """));
        var props = Path.Combine(app.Dir, "Directory.Build.props");
        File.WriteAllText(props, $"""
            <Project>
              <ItemGroup>
                <OfaTarget Include="no-such-cpu" Class="{ClassName}" LatencyMs="5" />
              </ItemGroup>
            </Project>
            """);
        int line = Array.FindIndex(File.ReadAllLines(project), l => l.Contains("LatencyMs=\"fast\"", StringComparison.Ordinal)) + 1;

        var build = app.Build();
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains($"{project}({line},5): error OFA0004: <OfaTarget Include=\"cortex-a53\" Class=\"E2E.Net\">: LatencyMs=\"fast\" is not a number", build.Output);
        // The tool's error for an item planned from the imported .props: the plan carries the item's place.
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(props)}\(3,5\): error OFA0002: <OfaTarget Include=""no-such-cpu"" Class=""E2E.Net"">: .*Known devices: apple-m1", build.Output);
    }

    [Fact]
    public void A_wrong_model_path_or_a_class_that_is_not_partial_is_exactly_one_error()
    {
        var app = new ConsumerProject(package, "wrongpath", ("cortex-a53", Budget("cortex-a53", 0.5)));
        var net = Path.Combine(app.Dir, "Net.cs");
        File.WriteAllText(net, File.ReadAllText(net).Replace("models/net.ofa", "models/nett.ofa"));
        var build = app.Build();
        Assert.NotEqual(0, build.ExitCode);
        // MSBuild's summary after "Build FAILED." repeats each error; its count says how many were reported.
        Assert.Contains(" 1 Error(s)", build.Output);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(build.Output, @"error [A-Z]+\d+: .*").Select(m => m.Value).Distinct());
        Assert.Matches(@"Net\.cs\(3,\d+\): error OFA0001: \[OfaModel\(""models/nett\.ofa""\)\] on E2E\.Net: no such file", build.Output);

        // Not partial: the build used to search for every target before the generator's OFA0003 stopped it. Now no search
        // runs and OFA0003 is the one OFA error (Program.cs's calls of the missing Create() add the compiler's own).
        File.WriteAllText(net, File.ReadAllText(net).Replace("models/nett.ofa", "models/net.ofa").Replace("partial class Net", "class Net"));
        var notPartial = app.Build();
        Assert.NotEqual(0, notPartial.ExitCode);
        Assert.DoesNotContain("OfaBuild: specialising", notPartial.Output);
        var ofaErrors = System.Text.RegularExpressions.Regex.Matches(notPartial.Output, @"error OFA\d+: .*").Select(m => m.Value).Distinct();
        Assert.Matches(@"^error OFA0003: .*E2E\.Net has \[OfaModel\] but is not partial", Assert.Single(ofaErrors));
        Assert.Matches(@"Net\.cs\(\d+,\d+\): error OFA0003", notPartial.Output);
    }

    [Fact]
    public void A_design_time_build_runs_no_search_and_hands_the_generator_what_the_last_build_made()
    {
        // Before, design-time builds skipped the step altogether: the IDE's generator saw no manifest even after a build,
        // so the IDE showed OFA0014 ("Create will throw") and a wrapper without labels.
        var app = new ConsumerProject(package, "designtime", ("cortex-a53", Budget("cortex-a53", 0.5)));
        string[] designTime = ["-p:DesignTimeBuild=true", "-p:BuildingInsideVisualStudio=true"];
        var first = app.Build(designTime).Succeeded();
        Assert.DoesNotContain("specialising", first.Output);
        Assert.Contains("warning OFA0014", first.Output); // nothing built yet

        app.Build().Succeeded();
        app.WriteSpec(("cortex-a53", Budget("cortex-a53", 0.4)));
        var edited = app.Build(designTime).Succeeded();
        Assert.DoesNotContain("specialising", edited.Output);
        Assert.DoesNotContain("OFA0014", edited.Output);

        // The Compile target alone, as the IDE runs it: it writes the compiler's editorconfig (the manifests' metadata)
        // at BeforeCompile; before, that came ahead of the step, and the generator saw manifests without their class.
        app.WriteSpec(("cortex-a53", Budget("cortex-a53", 0.45)));
        var compileOnly = Shell.Dotnet(app.Dir, "msbuild", "-t:Compile", "-p:DesignTimeBuild=true").Succeeded();
        Assert.DoesNotContain("specialising", compileOnly.Output);
        Assert.DoesNotContain("OFA0014", compileOnly.Output);

        // The design-time builds left the edited target stale: the next build specialises it.
        var build = app.Build().Succeeded();
        Assert.Contains("specialising 1 of 1 target(s)", build.Output);
    }

    [Fact]
    public void Items_and_attributes_are_equal_targets_and_the_runtime_identifier_decides_what_is_embedded()
    {
        var app = new ConsumerProject(package, "items", ("x64-avx2", Budget("x64-avx2", 0.8)));
        app.AddItem("cortex-a72", Budget("cortex-a72", 0.5));
        var build = app.Build().Succeeded();
        Assert.Contains("specialising 2 of 2 target(s)", build.Output);
        var run = app.Run().Succeeded();
        Assert.Contains("targets: x64-avx2,cortex-a72\n", run.Output.Replace("\r", ""));

        // A target the RuntimeIdentifier excludes is the expected case: a message, no warning, shown at the default
        // verbosity (before, it was said at normal importance, which `dotnet build` and `dotnet publish` do not show).
        var x64 = app.Build("-r", "linux-x64", "-p:UseAppHost=false").Succeeded();
        Assert.Contains("OfaBuild: not embedded in this linux-x64 build: E2E.Net/cortex-a72 (runs on linux-arm64).", x64.Output);
        Assert.DoesNotContain("warning OFA", x64.Output);
        // ... and is not specialised: this RID's obj folder has the x64 target's model only.
        Assert.Contains("OfaBuild: specialising 1 of 2 target(s): E2E.Net/x64-avx2 (", x64.Output);
        Assert.True(File.Exists(Path.Combine(app.OfaDir(rid: "linux-x64"), "x64-avx2.onnx")));
        Assert.False(File.Exists(Path.Combine(app.OfaDir(rid: "linux-x64"), "cortex-a72.onnx")));

        // A RuntimeIdentifier ONNX Runtime ships no native code for fails the build, naming the RIDs that work.
        var arm32 = app.Build("-r", "linux-arm", "-p:UseAppHost=false");
        Assert.NotEqual(0, arm32.ExitCode);
        Assert.Matches(@"error OFA0013: RuntimeIdentifier 'linux-arm': .*Build for one of: linux-x64, linux-arm64", arm32.Output);
    }

    [Fact]
    public void An_int8_target_is_quantised_at_build_time_and_says_so_at_run_time()
    {
        var app = new ConsumerProject(package, "int8", ("x64-avx2", Budget("x64-avx2", 0.8)));
        app.AddItem("cortex-a72", Budget("cortex-a72", 0.5), precision: "Int8");
        app.Build().Succeeded();
        var run = app.Run().Succeeded();
        Assert.Matches(@"target cortex-a72 r \d+ precision Int8 ", run.Output);
        Assert.Matches(@"target x64-avx2 r \d+ precision Fp32 ", run.Output);

        var manifest = Contracts.TargetManifest.Load(Path.Combine(app.OfaDir(), "cortex-a72.json"));
        Assert.Equal((Contracts.Precisions.Int8, Contracts.Precisions.Int8), (manifest.Precision, manifest.TablePrecision)); // searched on the int8 estimate
        var onnx = File.ReadAllBytes(Path.Combine(app.OfaDir(), "cortex-a72.onnx"));
        Assert.Contains(Core.Quantization.OnnxModel.Read(onnx, "cortex-a72.onnx").Nodes, n => n.OpType == "QuantizeLinear");
        int r = manifest.Config.R;
        using var ort = new OnnxModelRunner(onnx);
        AssertClose(Softmax(ort.RunFirst(Input(r), [1, 1, r, r])), ConsumerProject.Scores(run.Output)["cortex-a72"], 1e-5);
    }

    [Fact]
    public void Publish_for_linux_arm64_embeds_only_arm64_targets_and_runs_under_qemu_with_the_same_predictions()
    {
        var app = twoTargets.Built.App;
        var x64Scores = twoTargets.Built.Scores();
        var (publishDir, publish) = app.Publish("publish-arm64", "-r", "linux-arm64", "--self-contained");
        // The x64 target, which linux-arm64 leaves out, is not searched and exported at all.
        Assert.Contains("OfaBuild: specialising 1 of 2 target(s): E2E.Net/cortex-a53 (", publish.Output);
        Assert.False(File.Exists(Path.Combine(app.OfaDir("Release", "linux-arm64"), "x64-avx2.onnx")));

        // Under qemu-user, /proc/cpuinfo still describes the x64 host, and ONNX Runtime's cpuinfo library
        // dereferences null when it finds no Arm processor there. So the app runs in a private mount
        // namespace with a Cortex-A53 /proc/cpuinfo bound over it, which also exercises the runtime's
        // recognition of the CPU ("CPU part : 0xd03").
        var cpuinfo = Path.Combine(app.Dir, "cpuinfo-a53");
        File.WriteAllText(cpuinfo, string.Concat(Enumerable.Range(0, 2).Select(i =>
            $"processor\t: {i}\nBogoMIPS\t: 38.40\nFeatures\t: fp asimd evtstrm crc32 cpuid\nCPU implementer\t: 0x41\n" +
            "CPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd03\nCPU revision\t: 4\n\n")));
        var run = Shell.Run("unshare", publishDir, new Dictionary<string, string>
        {
            ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1",
            ["DOTNET_EnableWriteXorExecute"] = "0",
        }, TimeSpan.FromMinutes(5), "-m", "--propagation", "private", "sh", "-c",
            $"mount --bind '{cpuinfo}' /proc/cpuinfo && exec qemu-aarch64-static '{Path.Combine(publishDir, "consumer")}'");
        run.Succeeded();
        Assert.Contains("targets: cortex-a53\n", run.Output.Replace("\r", ""));
        var armScores = ConsumerProject.Scores(run.Output);
        AssertClose(x64Scores["cortex-a53"], armScores["cortex-a53"], 1e-4);
        Assert.Contains("chosen cortex-a53", run.Output);
    }

    [Fact]
    public void Native_AOT_publish_has_no_trim_or_AOT_warnings_from_OfaBuild_and_predicts_like_the_JIT_build()
    {
        var app = twoTargets.Built.App;
        var jitScores = twoTargets.Built.Scores();
        var (jitDir, _) = app.Publish("publish-jit", "-r", "linux-x64", "--self-contained");
        var (aotDir, aot) = app.Publish("publish-aot", "-r", "linux-x64", "-p:PublishAot=true");
        // IL2xxx are trim warnings, IL3xxx AOT ones: none may come from the runtime or the generated wrapper.
        Assert.DoesNotMatch(@"(OfaBuild|E2E|consumer)[^\n]*warning IL[23]\d{3}", aot.Output);
        Assert.DoesNotMatch(@"warning IL[23]\d{3}[^\n]*OfaBuild", aot.Output);

        var run = Shell.Run(Path.Combine(aotDir, "consumer"), aotDir).Succeeded();
        Assert.Contains("targets: x64-avx2\n", run.Output.Replace("\r", "")); // the linux-x64 publish embeds the x64 target only
        Assert.Contains("chosen x64-avx2", run.Output);
        AssertClose(jitScores["x64-avx2"], ConsumerProject.Scores(run.Output)["x64-avx2"], 1e-6);

        static long Size(string dir) => Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".pdb", StringComparison.Ordinal) && !f.EndsWith(".dbg", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);
        output.WriteLine($"published linux-x64: JIT self-contained {Size(jitDir) / 1e6:F1} MB, Native AOT {Size(aotDir) / 1e6:F1} MB " +
                         $"(executable {new FileInfo(Path.Combine(aotDir, "consumer")).Length / 1e6:F1} MB); symbols excluded");
    }
}

/// <summary>Build faults: a changed or foreign supernet, and a build killed while specialising.</summary>
[Collection("package")]
public sealed class BuildFaultTests(PackageFixture package)
{
    [Fact]
    public void A_changed_supernet_respecialises_all_its_targets()
    {
        var app = ConsumerProject.WithTwoTargets(package, "changed");
        app.Build().Succeeded();
        PackageFixture.WriteSupernet(Path.Combine(app.Dir, "models", "net.ofa"), seed: 2);
        var rebuilt = app.Build().Succeeded();
        Assert.Contains("specialising 2 of 2 target(s)", rebuilt.Output);
    }

    [Fact]
    public void A_supernet_with_a_space_the_tool_does_not_know_is_a_clear_build_error()
    {
        var app = new ConsumerProject(package, "foreign", ("cortex-a53", Budget("cortex-a53", 0.5)));
        var model = Path.Combine(app.Dir, "models", "net.ofa");
        using (var zip = System.IO.Compression.ZipFile.Open(model, System.IO.Compression.ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("manifest.json")!;
            string json;
            using (var reader = new StreamReader(entry.Open())) json = reader.ReadToEnd();
            entry.Delete();
            var foreign = System.Text.RegularExpressions.Regex.Replace(json, @"""kernel_sizes"":\s*\[[^\]]*\]", "\"kernel_sizes\": [3, 9]");
            Assert.NotEqual(json, foreign);
            using var writer = new StreamWriter(zip.CreateEntry("manifest.json").Open());
            writer.Write(foreign);
        }
        var build = app.Build();
        Assert.NotEqual(0, build.ExitCode);
        Assert.Matches(@"Net\.cs\(3,\d+\): error OFA0002: \[OfaModel\] on E2E\.Net .*net\.ofa.*kernel_sizes must be an ascending subset of \{3, 5, 7\}", build.Output);
        Assert.DoesNotContain("   at ", build.Output);
    }

    [Fact]
    public void A_build_killed_while_specialising_leaves_nothing_a_later_build_trusts()
    {
        var app = ConsumerProject.WithTwoTargets(package, "killed");
        app.Build().Succeeded();
        app.WriteSpec(("cortex-a53", Budget("cortex-a53", 0.4)), ("x64-avx2", Budget("x64-avx2", 0.7)));

        var plan = Path.Combine(app.Dir, "obj", "Debug", "net10.0", "ofa", "plan.json");
        var planTime = File.GetLastWriteTimeUtc(plan);
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet", "build") { WorkingDirectory = app.Dir, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var build = System.Diagnostics.Process.Start(psi)!;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (File.GetLastWriteTimeUtc(plan) == planTime && !build.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Thread.Sleep(150); // into the tool's run: searching or writing
        build.Kill(entireProcessTree: true);
        build.WaitForExit();

        // Whatever the kill interrupted: a stamp only stands next to complete outputs that match their manifest.
        foreach (var stamp in Directory.GetFiles(app.OfaDir(), "*.stamp"))
        {
            var manifest = Contracts.TargetManifest.Load(Path.ChangeExtension(stamp, ".json"));
            var onnx = File.ReadAllBytes(Path.ChangeExtension(stamp, ".onnx"));
            Assert.Equal(manifest.OnnxSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(onnx)));
        }
        app.Build().Succeeded();
        app.Run().Succeeded();
        foreach (var target in new[] { "cortex-a53", "x64-avx2" })
        {
            var manifest = Contracts.TargetManifest.Load(Path.Combine(app.OfaDir(), target + ".json"));
            Assert.Equal(Budget(target, target == "cortex-a53" ? 0.4 : 0.7), manifest.LatencyBudgetMs);
        }
    }
}
