using System.Buffers.Binary;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Space;
using OfaBuild.Core.Accuracy;

namespace OfaBuild.Cli.Tests;

public class ReportCommandTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>An untrained mbv3-fmnist package with a random accuracy predictor (base 85%).</summary>
    private static string PackageWithPredictor(TempDir dir)
    {
        var space = Presets.Get("mbv3-fmnist");
        var untrained = UntrainedPackage.Create(space, calibrationImages: 8);
        var manifest = untrained.Manifest with { Predictor = new PredictorInfo { Kind = "mlp" } };
        var predictor = AccuracyPredictor.CreateRandom(ArchEncoder.For(space), 7, 0.85f).ToTensors();
        var path = dir["p.ofa"];
        new OfaPackage(manifest, untrained.Weights, predictor, untrained.Calibration).Write(path);
        return path;
    }

    /// <summary>An SDK project folder, app/ with App.csproj, for --project; the tests write its sources and items.</summary>
    private static string AppProject(TempDir dir)
    {
        var app = Directory.CreateDirectory(dir["app"]).FullName;
        File.WriteAllText(Path.Combine(app, "App.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        return app;
    }

    /// <summary>app/Classifier.cs: a partial [OfaModel] class (on the package beside app/) with the given [OfaTarget] lines.</summary>
    private static void Classifier(string app, params string[] targets) =>
        File.WriteAllText(Path.Combine(app, "Classifier.cs"),
            string.Join('\n', ["using OfaBuild;", "[OfaModel(\"../p.ofa\")]", .. targets, "public partial class Classifier;", ""]));

    /// <summary>The package (<see cref="PackageWithPredictor"/>) and app/ (<see cref="AppProject"/>) whose Classifier has the given [OfaTarget] lines (<see cref="Classifier"/>).</summary>
    private static (string Model, string App) ProjectWithTargets(TempDir dir, params string[] targets)
    {
        var model = PackageWithPredictor(dir);
        var app = AppProject(dir);
        Classifier(app, targets);
        return (model, app);
    }

    /// <summary>A cortex-a53 latency table at <paramref name="path"/> measured on linux-x64: a table the build warns of (OFA0019).</summary>
    private static void AnotherMachinesProfile(string path)
    {
        var estimate = Core.Devices.DeviceCatalog.Builtin().LatencyTable("x64-avx2", Presets.Get("mbv3-fmnist"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Core.Latency.LatencyTableFile.Save(new Core.Latency.LatencyTable("cortex-a53", Core.Latency.LatencyTableKind.Measured, "test", estimate.Entries, 0,
            new Dictionary<string, string> { ["runtime_identifier"] = "linux-x64" }), path);
    }

    /// <summary>
    /// The package and app/ with a cortex-a53 target whose Profile, app/profiles/a53.json, was measured on linux-x64
    /// (<see cref="AnotherMachinesProfile"/>).
    /// </summary>
    private static (string Model, string App) ProjectWithAnotherMachinesProfile(TempDir dir)
    {
        var (model, app) = ProjectWithTargets(dir, "[OfaTarget(\"cortex-a53\", LatencyMs = 4, Profile = \"profiles/a53.json\")]");
        AnotherMachinesProfile(Path.Combine(app, "profiles", "a53.json"));
        return (model, app);
    }

    /// <summary>(width, height) from the IHDR chunk, after checking the signature.</summary>
    private static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000, $"{path} has only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void Report_plots_each_device_and_lists_the_front_and_the_project_targets()
    {
        using var dir = new TempDir();
        var model = PackageWithPredictor(dir);
        var app = AppProject(dir);
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), """
            <Project>
              <ItemGroup>
                <OfaTarget Include="cortex-a72" Class="Classifier" LatencyMs="8" />
                <OfaTarget Include="cortex-a76" Class="Classifier" LatencyMs="2.5" Condition="'$(Board)' == 'lab'" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Classifier.cs"), """
            using OfaBuild;
            [OfaModel("../p.ofa")]
            [OfaTarget("cortex-a53", LatencyMs = 4.5)]
            //[OfaTarget("cortex-a53", LatencyMs = 99)]
            [OfaTarget("x64-avx2", LatencyMs = 0.4, MaxMFlops = 20)]
            public partial class Classifier;
            """);
        Directory.CreateDirectory(Path.Combine(app, "obj"));
        File.WriteAllText(Path.Combine(app, "obj", "Stale.cs"), "[OfaTarget(\"cortex-a53\", LatencyMs = 77)] class Stale;");

        var r = Ofa.Succeeds("report", "--model", model, "--device", "cortex-a53", "--device", "cortex-a76", "--project", Path.Combine(app, "App.csproj"), "-p:Board=lab",
            "--target", "cortex-a76=3", "--generations", "60", "--samples", "300", "--width", "900", "--height", "600", "-o", dir["out"]);
        Assert.DoesNotContain("warning", r.Stderr); // --model is the supernet the class names

        Assert.Equal((900, 600), PngSize(dir["out/cortex-a53.png"]));
        Assert.Equal((900, 600), PngSize(dir["out/cortex-a76.png"]));
        var md = File.ReadAllText(dir["out/report.md"]);
        Assert.Contains("## cortex-a53", md);
        Assert.Contains("## cortex-a76", md);
        Assert.Contains("](cortex-a53.png)", md);
        Assert.Contains("Latency table: **estimated**", md);
        Assert.Contains("| 4.5 | Classifier.cs:3 |", md);
        Assert.Contains("| 3 | --target |", md);
        // The items MSBuild evaluates from Directory.Build.props are marked, the one -p:Board=lab brings in on its panel.
        Assert.Contains("| 2.5 | Directory.Build.props:4 |", md);
        Assert.Contains("- cortex-a72, 8 ms (Directory.Build.props:3): add --device cortex-a72", md);
        Assert.DoesNotContain("| 99 |", md);   // commented out
        Assert.DoesNotContain("| 77 |", md);   // under obj/
        Assert.Contains("- x64-avx2, 0.4 ms, at most 20 MFLOPs (Classifier.cs:5): add --device x64-avx2", md);

        // cortex-a53's front: latency ascending and predicted top-1 rising (non-dominated), each row with MACs and a config;
        // its target's chosen subnet fits the budget and lies on or under the front.
        var a53 = md[md.IndexOf("## cortex-a53", StringComparison.Ordinal)..md.IndexOf("## cortex-a76", StringComparison.Ordinal)];
        var front = Rows(a53[..a53.IndexOf("### Targets", StringComparison.Ordinal)]);
        Assert.True(front.Count >= 3, a53);
        var lat = front.Select(c => Number(c[1])).ToList();
        var acc = front.Select(c => Number(c[2])).ToList();
        Assert.Equal(lat.Order(), lat);
        for (int i = 1; i < acc.Count; i++) Assert.True(acc[i] >= acc[i - 1], a53); // strictly rising, but printed to 0.01 %
        Assert.True(acc[^1] > acc[0], a53);
        Assert.All(front, c => Assert.True(Number(c[3]) > 0 && c[4].StartsWith("`{\"ks\":", StringComparison.Ordinal), string.Join('|', c)));
        var target = Assert.Single(Rows(a53[a53.IndexOf("### Targets", StringComparison.Ordinal)..]));
        Assert.True(Number(target[3]) <= 4.5, target[3]);
        Assert.True(Number(target[4]) <= acc[lat.FindLastIndex(l => l <= Number(target[3]))], a53);
    }

    [Fact]
    public void The_chosen_subnet_is_the_one_ofa_search_picks_with_the_same_seed()
    {
        using var dir = new TempDir();
        var model = PackageWithPredictor(dir);
        var r = Ofa.Succeeds("report", "--model", model, "--target", "cortex-a72=2", "--seed", "3", "--samples", "100", "-o", dir["out"]);
        Assert.Equal((1000, 700), PngSize(dir["out/cortex-a72.png"]));
        var md = File.ReadAllText(dir["out/report.md"]);
        var target = Assert.Single(Rows(md[md.IndexOf("### Targets", StringComparison.Ordinal)..]));

        var search = Ofa.Succeeds("search", "--model", model, "--device", "cortex-a72", "--latency-ms", "2", "--seed", "3");
        Assert.Contains(target[6].Trim('`'), search.Stdout);
    }

    [Fact]
    public void A_device_named_in_another_case_is_the_targets_device_and_one_panel()
    {
        using var dir = new TempDir();
        var model = PackageWithPredictor(dir);
        Ofa.Succeeds("report", "--model", model, "--device", "Cortex-A72", "--target", "cortex-a72=2", "--samples", "50", "--generations", "20", "-o", dir["out"]);
        // The panel is named as the catalog spells the device, and the target is on it, not left "unplotted".
        Assert.Equal(["cortex-a72.png", "report.md"], Directory.GetFiles(dir["out"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var md = File.ReadAllText(dir["out/report.md"]);
        Assert.Single(Rows(md[md.IndexOf("### Targets", StringComparison.Ordinal)..]));
        Assert.DoesNotContain("to plot it", md);
    }

    [Fact]
    public void An_int8_target_with_an_MFLOPs_cap_is_marked_where_ofa_search_with_them_chooses()
    {
        using var dir = new TempDir();
        var (model, app) = ProjectWithTargets(dir, "[OfaTarget(\"cortex-a53\", LatencyMs = 2, Precision = OfaPrecision.Int8, MaxMFlops = 3)]");

        Ofa.Succeeds("report", "--model", model, "--project", app, "--samples", "100", "-o", dir["out"]);

        // The int8 target is drawn on the int8 table's panel, with its cap beside the budget.
        Assert.True(File.Exists(dir["out/cortex-a53.int8.png"]));
        Assert.False(File.Exists(dir["out/cortex-a53.png"]));
        var md = File.ReadAllText(dir["out/report.md"]);
        Assert.Contains("## cortex-a53, int8", md);
        Assert.Contains("(catalog:cortex-a53 (estimated, int8))", md);
        var target = Assert.Single(Rows(md[md.IndexOf("### Targets", StringComparison.Ordinal)..]));
        Assert.Equal(("2, at most 3 MFLOPs", "Classifier.cs:3"), (target[1], target[2]));
        Assert.True(Number(target[5]) <= 3e6, target[5]);
        var marked = target[6].Trim('`');

        // What the build runs for this target: ofa search with its precision and cap.
        var build = Ofa.Succeeds("search", "--model", model, "--device", "cortex-a53", "--latency-ms", "2", "--precision", "int8", "--max-mflops", "3", "--json");
        Assert.Contains($"\"config\":{marked},", build.Stdout);
        // Dropping them (as the report did) searches another problem, with another answer.
        var budgetOnly = Ofa.Succeeds("search", "--model", model, "--device", "cortex-a53", "--latency-ms", "2", "--json");
        Assert.DoesNotContain(marked, budgetOnly.Stdout);
    }

    /// <summary>The cells of a Markdown table's data rows (header and separator skipped); cell 0 is empty.</summary>
    private static List<string[]> Rows(string markdown) =>
        markdown.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| budget", StringComparison.Ordinal) && !l.StartsWith("| latency", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)).ToList();

    private static double Number(string cell) =>
        double.Parse(cell.TrimEnd('%', ' ').Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_package_without_a_predictor_says_to_run_measure()
    {
        using var dir = new TempDir();
        var r = Ofa.Refuses("report", "--model", Ofa.Untrained(), "--device", "cortex-a53", "-o", dir["out"]);
        Assert.Contains("has no accuracy predictor", r.Stderr);
        Assert.Contains("ofa measure", r.Stderr);
        Assert.False(File.Exists(dir["out/report.md"]));
    }

    [Fact]
    public void A_project_without_a_dotnet_sdk_on_the_path_says_what_to_install()
    {
        // --project asks the SDK's MSBuild for the project's items: without `dotnet` on PATH the report says so, not a stack trace.
        // The tool's own executable (its apphost, as an installed tool runs): under `dotnet ofa.dll` the host's folder has dotnet.
        using var dir = new TempDir();
        File.WriteAllText(dir["App.csproj"], "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        var r = ProcessRunner.Run(Path.ChangeExtension(Ofa.ToolPath, null), ["report", "--model", PackageWithPredictor(dir), "--project", dir["App.csproj"], "-o", dir["out"]],
            environment: new Dictionary<string, string> { ["PATH"] = dir.Path });
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("`dotnet` could not be started", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("Put the .NET SDK's dotnet on PATH, or pass --target DEVICE=MS instead of --project.", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void MSBuilds_warnings_about_the_project_are_passed_on_and_targets_its_rid_leaves_out_are_named()
    {
        // Before: `dotnet msbuild -getItem`'s warnings (here MSB4011, a file imported twice) went nowhere, and a linux-x64
        // project's cortex-a53 target was marked though its build leaves it out.
        using var dir = new TempDir();
        var (model, app) = ProjectWithTargets(dir, "[OfaTarget(\"cortex-a53\", LatencyMs = 4)]", "[OfaTarget(\"x64-avx2\", LatencyMs = 1)]");
        File.WriteAllText(Path.Combine(app, "extra.props"), "<Project />");
        File.WriteAllText(Path.Combine(app, "App.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="extra.props" />
              <Import Project="extra.props" />
              <PropertyGroup><RuntimeIdentifier>linux-x64</RuntimeIdentifier></PropertyGroup>
            </Project>
            """);

        var r = Ofa.Succeeds("report", "--model", model, "--project", app, "--generations", "5", "--samples", "50", "-o", dir["out"]);

        // MSBuild's own line, which names its file and code, as one warning (before: "warning: App.csproj(3,3): warning MSB4011: ...").
        var warning = Assert.Single(r.Stderr.Split('\n'), l => l.Contains("warning", StringComparison.Ordinal));
        Assert.StartsWith($"{Path.Combine(app, "App.csproj")}(3,3): warning MSB4011: ", warning, StringComparison.Ordinal);
        Assert.Contains("Classifier.cs:3: the cortex-a53 target is not marked: App.csproj builds for RuntimeIdentifier linux-x64", r.Stdout, StringComparison.Ordinal);
        Assert.Equal(["x64-avx2.png"], Directory.GetFiles(dir["out"], "*.png").Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("/app/App.csproj(3,3): warning MSB4011: \"/app/x.props\" cannot be imported again.", "/app/App.csproj(3,3): warning MSB4011: \"/app/x.props\" cannot be imported again.")]
    [InlineData("MSBUILD : warning MSB4186: Invalid static method invocation syntax.", "MSBUILD : warning MSB4186: Invalid static method invocation syntax.")]
    [InlineData("/app/App.csproj : warning : no code given", "/app/App.csproj : warning : no code given")]
    [InlineData("Some text an SDK resolver printed", "warning: Some text an SDK resolver printed")]
    [InlineData("note: warnings: none", "warning: note: warnings: none")]
    public void A_warning_another_program_printed_is_passed_on_as_one_warning(string line, string shown) =>
        // Before, every line got "warning: " in front of MSBuild's own "warning MSB4011:".
        Assert.Equal(shown, OfaBuild.Cli.Commands.CliRunner.PassedOn(line));

    [Fact]
    public void A_project_for_a_rid_onnx_runtime_cannot_run_is_refused_as_its_build_is()
    {
        // Before: with `-p RuntimeIdentifier=linux-arm` the report plotted x64-avx2 and named the cortex-a53 target as left
        // out by the RID, exit 0, though the build of that project stops with OFA0013.
        using var dir = new TempDir();
        var (model, app) = ProjectWithTargets(dir, "[OfaTarget(\"cortex-a53\", LatencyMs = 4)]");

        var r = Ofa.Refuses("report", "--model", model, "--project", app, "-p", "RuntimeIdentifier=linux-arm", "--device", "x64-avx2", "-o", dir["out"]);

        Assert.StartsWith($"error: {Path.Combine(app, "App.csproj")}: RuntimeIdentifier 'linux-arm': ONNX Runtime ", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("Build for one of: linux-x64, linux-arm64, win-x64, win-arm64, osx-arm64", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("(OFA0013)", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["out"]));
    }

    [Fact]
    public void An_unknown_device_gets_the_catalogs_message()
    {
        using var dir = new TempDir();
        var r = Ofa.Refuses("report", "--model", PackageWithPredictor(dir), "--device", "pdp-11", "-o", dir["out"]);
        Assert.Contains("Unknown device 'pdp-11'. Known devices: apple-m1, cortex-a53", r.Stderr);
        Assert.Contains("ofa profile", r.Stderr);
        // report's --profile takes DEVICE=FILE (before, the message said --profile pdp-11.json, which report refuses).
        Assert.Contains("(or --profile pdp-11=pdp-11.json on the command line)", r.Stderr);
    }

    [Fact]
    public void A_project_targets_profile_of_another_machine_is_warned_of_as_the_build_warns()
    {
        // Before, only the build that specialised the target said OFA0019; the report plotted the cortex-a53 target on a
        // table `ofa profile -o a53.json` measured on an x64 machine without a word.
        using var dir = new TempDir();
        var (model, app) = ProjectWithTargets(dir,
            "[OfaTarget(\"cortex-a53\", LatencyMs = 4, Profile = \"a53.json\")]", "[OfaTarget(\"cortex-a53\", LatencyMs = 4, Profile = \"a53.json\", Precision = OfaPrecision.Int8)]");
        AnotherMachinesProfile(Path.Combine(app, "a53.json"));

        var r = Ofa.Succeeds("report", "--model", model, "--project", app, "--generations", "5", "--samples", "50", "-o", dir["out"]);

        // Once, though the fp32 and int8 targets are two panels on the one table.
        var warning = Assert.Single(r.Stderr.Split('\n'), l => l.StartsWith("warning: ", StringComparison.Ordinal));
        Assert.StartsWith("warning: Latency profile 'a53.json' says device 'cortex-a53' and was measured on linux-x64, " +
            "but the target's device is 'cortex-a53' (linux-arm64, Arm CPU part 0xd03)", warning, StringComparison.Ordinal);
        Assert.Contains("(or --profile cortex-a53=cortex-a53.p.json on the command line)", warning, StringComparison.Ordinal);
        Assert.Contains("**Warning:** " + warning["warning: ".Length..], File.ReadAllText(dir["out/report.md"]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_targets_profile_and_supernet_are_named_as_the_build_names_them_and_a_profile_option_as_typed()
    {
        // Before, the report's OFA0019 warning named a project target's profile by its full path, the build's relative to
        // the project folder, and a --profile by its full path, not as typed; and its fix (`ofa profile ... --model PKG`)
        // named the supernet by the full path the report resolved, the build's as the project names it (relative to the
        // project folder, as the profile beside it). The build's naming is the reference, also when --model names the same file.
        using var dir = new TempDir();
        var (model, app) = ProjectWithAnotherMachinesProfile(dir);
        string[] quick = ["--generations", "5", "--samples", "50", "-o", dir["out"]];

        var fromProject = Ofa.Succeeds(["report", "--model", model, "--project", app, .. quick]);
        Assert.Contains($"warning: Latency profile '{Path.Combine("profiles", "a53.json")}' says device 'cortex-a53'", fromProject.Stderr, StringComparison.Ordinal);
        Assert.Contains($"(`ofa profile -o {Path.Combine("profiles", "cortex-a53.p.json")} --model {Path.Combine("..", "p.ofa")} --device cortex-a53`,", fromProject.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain($"--model {model}", fromProject.Stderr, StringComparison.Ordinal);

        // A --profile is named as typed, and the supernet beside it by its path: the build names neither.
        string typed = Path.Combine(app, "..", "app", "profiles", "a53.json");
        var fromOption = Ofa.Succeeds(["report", "--model", model, "--project", app, "--profile", $"cortex-a53={typed}", .. quick]);
        Assert.Contains($"warning: Latency profile '{typed}' says device 'cortex-a53'", fromOption.Stderr, StringComparison.Ordinal);
        var withoutModel = Ofa.Succeeds(["report", "--project", app, "--profile", $"cortex-a53={typed}", .. quick]);
        Assert.Contains($"(`ofa profile -o {Path.Combine(app, "..", "app", "profiles", "cortex-a53.p.json")} --model {model} --device cortex-a53`,", withoutModel.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Device_names_are_taken_as_regret_takes_them_trimmed_once_each_and_empty_ones_dropped()
    {
        // Before, report refused " cortex-a53" (Unknown device ' cortex-a53') and an empty --device, which
        // `ofa regret --devices " cortex-a53,,"` accepts (CommonOptions.DeviceNames is now both commands' rule).
        using var dir = new TempDir();
        var r = Ofa.Succeeds("report", "--model", PackageWithPredictor(dir), "--device", " cortex-a53", "--device", "cortex-a53", "--device", "",
            "--generations", "5", "--samples", "50", "-o", dir["out"]);
        Assert.Single(r.Stdout.Split('\n'), line => line.StartsWith("cortex-a53 ", StringComparison.Ordinal));
        Assert.Equal(["cortex-a53.png"], Directory.GetFiles(dir["out"], "*.png").Select(Path.GetFileName));
    }

    [Fact]
    public void With_project_and_no_model_the_supernet_its_class_names_is_reported_and_named()
    {
        // Before: "Option '--model' is required.", though the project's [OfaModel("../p.ofa")] names the supernet.
        using var dir = new TempDir();
        var (model, app) = ProjectWithTargets(dir, "[OfaTarget(\"x64-avx2\", LatencyMs = 1)]");

        var r = Ofa.Succeeds("report", "--project", app, "--generations", "5", "--samples", "50", "-o", dir["out"]);

        Assert.Contains($"App.csproj: supernet {model}, which [OfaModel] names on Classifier (Classifier.cs:2) (no --model given).", r.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("# OFA report: p.ofa", File.ReadAllText(dir["out/report.md"]), StringComparison.Ordinal);
        Assert.Single(Rows(File.ReadAllText(dir["out/report.md"]).Split("### Targets")[1]));
    }

    [Fact]
    public void With_project_and_no_model_classes_naming_two_supernets_are_refused_each_named()
    {
        using var dir = new TempDir();
        var (model, app) = ProjectWithTargets(dir, "[OfaTarget(\"x64-avx2\", LatencyMs = 1)]");
        var other = Path.Combine(app, "q.ofa");
        File.Copy(model, other);
        File.WriteAllText(Path.Combine(app, "Other.cs"), "using OfaBuild;\n[OfaModel(\"q.ofa\")]\n[OfaTarget(\"cortex-a53\", LatencyMs = 2)]\npublic partial class Other;\n");

        var r = Ofa.Refuses("report", "--project", app, "-o", dir["out"]);

        Assert.StartsWith("error: App.csproj's classes name 2 supernets, and a report searches one: ", r.Stderr, StringComparison.Ordinal);
        Assert.Contains($"Classifier (Classifier.cs:2) names {model}; Other (Other.cs:2) names {other}.", r.Stderr, StringComparison.Ordinal);
        Assert.Contains($"Pass --model with one of them, e.g. --model {model};", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["out"]));
    }

    [Fact]
    public void A_model_other_than_the_one_the_projects_class_names_is_warned_of_naming_both()
    {
        // Before: the targets were marked on --model's search without a word, though the build searches the class's supernet.
        using var dir = new TempDir();
        var (named, app) = ProjectWithTargets(dir, "[OfaTarget(\"x64-avx2\", LatencyMs = 1)]");
        var given = dir["copy/q.ofa"];
        Directory.CreateDirectory(dir["copy"]);
        File.Copy(named, given);

        var r = Ofa.Succeeds("report", "--model", given, "--project", app, "--generations", "5", "--samples", "50", "-o", dir["out"]);

        var warning = Assert.Single(r.Stderr.Split('\n'), l => l.StartsWith("warning: ", StringComparison.Ordinal));
        Assert.Equal($"warning: Classifier.cs:2: class Classifier's [OfaModel] names {named}, not --model {given}: its targets are marked where a search of " +
            $"--model's supernet puts them, not where its build's search does; pass --model {named} to see its build's choices.", warning);
        // The class's own file given: no warning.
        var same = Ofa.Succeeds("report", "--model", named, "--project", app, "--generations", "5", "--samples", "50", "-o", dir["out2"]);
        Assert.DoesNotContain("warning", same.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_model_a_report_names_what_to_give()
    {
        // Before: System.CommandLine's "Option '--model' is required." alone, also with a project that names no supernet.
        using var dir = new TempDir();
        var r = Ofa.Refuses("report", "--target", "cortex-a72=2", "-o", dir["out"]);
        Assert.Contains("error: Option '--model' is required without --project: give --model x.ofa (the .ofa supernet to plot), or --project App.csproj whose [OfaModel] class names it.", r.Stderr, StringComparison.Ordinal);

        var app = AppProject(dir);
        var none = Ofa.Refuses("report", "--project", app, "--target", "cortex-a72=2", "-o", dir["out"]);
        Assert.Contains($"error: Option '--model' is required here: {Path.Combine(app, "App.csproj")} has no [OfaModel] class with a target its build specialises, " +
            "so it names no supernet to report on; pass --model x.ofa.", none.Stderr, StringComparison.Ordinal);
        // A class whose [OfaModel] names no file: the build's OFA0001 message, and --model as the other way.
        Classifier(app, "[OfaTarget(\"x64-avx2\", LatencyMs = 1)]");
        var missing = Ofa.Refuses("report", "--project", app, "-o", dir["out"]);
        Assert.Contains($"error: Classifier.cs:2: [OfaModel(\"../p.ofa\")] on Classifier: no such file relative to the project folder '{app}'; " +
            "fix the path, or train/copy the .ofa package there. Or pass --model with the supernet to report on.", missing.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["out"]));
    }
}
