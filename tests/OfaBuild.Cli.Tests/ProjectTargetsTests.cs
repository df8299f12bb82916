using OfaBuild.Contracts;
using OfaBuild.Core;
using OfaBuild.Core.Specialization;
using OfaBuild.Tool.Reporting;

namespace OfaBuild.Cli.Tests;

/// <summary>`ofa report --project` reads a project's targets, as MSBuild evaluates it, with the build's parse, item reading and rules (SpecDiscovery, TargetItem, SpecRules).</summary>
public sealed class ProjectTargetsTests : TempDirTest
{
    private string Write(string relative, string text)
    {
        var path = Dir[relative];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string ItemFile(string device) => $"<Project>\n  <ItemGroup>\n    <OfaTarget Include=\"{device}\" Class=\"App.Net\" LatencyMs=\"4\" />\n  </ItemGroup>\n</Project>\n";

    private const string Net = "namespace App;\n[OfaModel(\"m.ofa\")][OfaTarget(\"cortex-a53\", LatencyMs = 2)] partial class Net;\n";

    private static string SdkProject(string body = "") => $"<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>\n{body}</Project>\n";

    private static (string Device, double LatencyMs, string Source)[] Marked(EvaluatedProject project) =>
        ProjectTargets.Scan(project).Select(t => (t.Device, t.LatencyMs, t.Source)).ToArray();

    [Fact]
    public void An_item_msbuild_imports_from_directory_build_props_is_marked_at_its_line()
    {
        // Before, <OfaTarget> items were named ("is not marked"), never marked: the report read files, not MSBuild's evaluation.
        Write("Directory.Build.props", ItemFile("cortex-a72"));
        Write("app/Net.cs", Net);
        var csproj = Write("app/App.csproj", SdkProject());

        (string, double, string)[] expected = [("cortex-a53", 2, "Net.cs:2"), ("cortex-a72", 4, Path.Combine("..", "Directory.Build.props") + ":3")];
        Assert.Equal(expected, Marked(ProjectEvaluation.Of(csproj, [])));
        Assert.Equal(expected, Marked(ProjectEvaluation.Of(Dir["app"], []))); // the folder of one project
    }

    [Fact]
    public void Only_the_compile_items_are_read_a_removed_file_not_and_a_linked_one_too()
    {
        // Before, every .cs under the folder was read: a <Compile Remove>d file was marked, a file linked from outside was not.
        Write("app/Net.cs", Net);
        Write("app/Off.cs", "namespace App;\n[OfaModel(\"m.ofa\")][OfaTarget(\"x64-avx2\", LatencyMs = 1)] partial class Off;\n");
        Write("common/Linked.cs", "namespace App;\n\n[OfaModel(\"m.ofa\")][OfaTarget(\"jetson\", LatencyMs = 5)] partial class Linked;\n");
        var csproj = Write("app/App.csproj", SdkProject("""
              <ItemGroup>
                <Compile Remove="Off.cs" />
                <Compile Include="../common/Linked.cs" />
              </ItemGroup>

            """));

        Assert.Equal([("cortex-a53", 2, "Net.cs:2"), ("jetson", 5, Path.Combine("..", "common", "Linked.cs") + ":3")], Marked(ProjectEvaluation.Of(csproj, [])));
    }

    [Fact]
    public void A_property_passed_to_the_evaluation_decides_the_items_as_it_decides_the_builds()
    {
        Write("Directory.Build.props", """
            <Project>
              <ItemGroup Condition="'$(Board)' == 'jetson'">
                <OfaTarget Include="jetson" Class="App.Net" LatencyMs="$(JetsonBudget)" />
              </ItemGroup>
            </Project>
            """);
        Write("app/Net.cs", Net);
        var csproj = Write("app/App.csproj", SdkProject());

        Assert.Equal([("cortex-a53", 2, "Net.cs:2")], Marked(ProjectEvaluation.Of(csproj, [])));
        Assert.Equal([("cortex-a53", 2, "Net.cs:2"), ("jetson", 6.5, Path.Combine("..", "Directory.Build.props") + ":3")],
            Marked(ProjectEvaluation.Of(csproj, ["Board=jetson", "JetsonBudget=6.5"])));
    }

    [Fact]
    public void What_msbuild_warns_of_while_evaluating_is_kept_for_the_user()
    {
        // Before: MSBuild's warnings of an evaluation that succeeded (on stderr) were thrown away.
        Write("app/Net.cs", Net);
        Write("app/extra.props", "<Project />");
        var csproj = Write("app/App.csproj", SdkProject("  <Import Project=\"extra.props\" />\n  <Import Project=\"extra.props\" />\n"));
        var project = ProjectEvaluation.Of(csproj, []);
        Assert.StartsWith($"{csproj}(4,3): warning MSB4011: ", Assert.Single(project.Warnings), StringComparison.Ordinal);
        Assert.Equal([("cortex-a53", 2, "Net.cs:2")], Marked(project));
    }

    [Fact]
    public void A_project_that_disables_ofabuild_marks_nothing_and_says_so()
    {
        // Before: its targets were marked though its build, with OfaEnabled=false, specialises none.
        Write("app/Net.cs", Net);
        var csproj = Write("app/App.csproj", SdkProject("  <PropertyGroup><OfaEnabled>false</OfaEnabled></PropertyGroup>\n"));
        var (marked, notes) = ProjectTargets.Built(ProjectEvaluation.Of(csproj, []));
        Assert.Empty(marked);
        Assert.Equal(["App.csproj sets OfaEnabled=false: its build specialises no target, so none of its targets is marked."], notes);

        // Unset (no restore: the package's props that default it to true are not imported), the targets are marked, silently.
        (marked, notes) = ProjectTargets.Built(ProjectEvaluation.Of(Write("app/App.csproj", SdkProject()), []));
        Assert.Equal(["cortex-a53"], marked.Select(t => t.Device));
        Assert.Empty(notes);
        (marked, _) = ProjectTargets.Built(ProjectEvaluation.Of(csproj, ["OfaEnabled=true"]));
        Assert.Single(marked);
    }

    [Fact]
    public void With_a_runtime_identifier_the_targets_its_build_leaves_out_are_not_marked_and_named()
    {
        // Before: a linux-x64 build's report marked its cortex-a53 target too, which that build never specialises.
        Write("app/Net.cs", "namespace App;\n[OfaModel(\"m.ofa\")][OfaTarget(\"Cortex-A53\", LatencyMs = 2)][OfaTarget(\"x64-avx2\", LatencyMs = 1)]\n" +
            "[OfaTarget(\"lab-board\", LatencyMs = 3, Profile = \"lab.json\")] partial class Net;\n");
        Write("app/lab.json", "{}");
        var csproj = Write("app/App.csproj", SdkProject("  <PropertyGroup><RuntimeIdentifier>linux-x64</RuntimeIdentifier></PropertyGroup>\n"));
        var (marked, notes) = ProjectTargets.Built(ProjectEvaluation.Of(csproj, []));
        // A profiled device outside the catalog runs on any RID, as the build embeds it for any.
        Assert.Equal(["x64-avx2", "lab-board"], marked.Select(t => t.Device));
        Assert.Equal(["Net.cs:2: the Cortex-A53 target is not marked: App.csproj builds for RuntimeIdentifier linux-x64, and its build leaves the target out (it runs on linux-arm64)."], notes);
        Assert.Equal(3, ProjectTargets.Built(ProjectEvaluation.Of(csproj, ["RuntimeIdentifier="])).Marked.Count);
    }

    [Theory]
    [InlineData("linux-arm")]
    [InlineData("osx-x64")]
    public void A_runtime_identifier_onnx_runtime_cannot_run_is_refused_as_the_build_refuses_it(string rid)
    {
        // Before: the report went on (here marking no target, each named as left out by the RID), though the build
        // stops with OFA0013 before specialising any.
        Write("app/Net.cs", Net);
        var csproj = Write("app/App.csproj", SdkProject($"  <PropertyGroup><RuntimeIdentifier>{rid}</RuntimeIdentifier></PropertyGroup>\n"));

        var e = Assert.Throws<OfaException>(() => ProjectTargets.Built(ProjectEvaluation.Of(csproj, [])));

        Assert.Equal($"{csproj}: {OnnxRuntimeRids.Refusal(rid)} Its build fails there (OFA0013), before specialising any target, so none is marked: " +
            "set RuntimeIdentifier to one of those (in the project, or -p RuntimeIdentifier=RID), or pass --target DEVICE=MS instead of --project.", e.Message);
        // A RID ONNX Runtime runs on is the usual filter; a project with no target builds for any RID (the task checks none), and marks nothing.
        Assert.Empty(ProjectTargets.Built(ProjectEvaluation.Of(csproj, ["RuntimeIdentifier=linux-x64"])).Marked);
        Assert.Single(ProjectTargets.Built(ProjectEvaluation.Of(csproj, ["RuntimeIdentifier=linux-arm64"])).Marked);
        File.Delete(Dir["app/Net.cs"]);
        var (marked, notes) = ProjectTargets.Built(ProjectEvaluation.Of(csproj, []));
        Assert.Empty(marked);
        Assert.Empty(notes);
    }

    [Fact]
    public void A_project_msbuild_cannot_evaluate_is_refused_with_its_errors_and_file()
    {
        var csproj = Write("app/App.csproj", SdkProject("  <Import Project=\"ofa/devices.props\" />\n"));

        var e = Assert.Throws<OfaException>(() => ProjectEvaluation.Of(csproj, []));

        Assert.StartsWith($"MSBuild could not evaluate {csproj} (", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{csproj}(3,3): error MSB4019: ", e.Message, StringComparison.Ordinal); // MSBuild's own error line
        Assert.Contains("ofa/devices.props", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("or pass --target DEVICE=MS instead of --project.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_without_its_sdk_installed_is_refused_with_what_dotnet_says()
    {
        var csproj = Write("app/App.csproj", SdkProject());
        Write("app/global.json", """{ "sdk": { "version": "99.0.100", "rollForward": "disable" } }"""); // read where the report runs MSBuild: the project's folder

        var e = Assert.Throws<OfaException>(() => ProjectEvaluation.Of(csproj, []));

        Assert.StartsWith($"MSBuild could not evaluate {csproj} (", e.Message, StringComparison.Ordinal);
        Assert.Contains("A compatible .NET SDK was not found.", e.Message, StringComparison.Ordinal);
        Assert.Contains("Requested SDK version: 99.0.100", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_one_project_file_says_which_to_pass()
    {
        Directory.CreateDirectory(Dir["empty"]);
        Write("two/A.csproj", SdkProject());
        Write("two/B.csproj", SdkProject());

        Assert.Contains("has no .csproj file", Assert.Throws<OfaException>(() => ProjectEvaluation.Of(Dir["empty"], [])).Message, StringComparison.Ordinal);
        var e = Assert.Throws<OfaException>(() => ProjectEvaluation.Of(Dir["two"], []));
        Assert.Contains("has 2 project files (A.csproj, B.csproj); give --project the one to report, e.g. --project " + Dir["two/A.csproj"], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_item_is_checked_by_the_builds_rules_and_named_at_its_file_and_line()
    {
        Write("Net.cs", Net);
        var props = Write("Directory.Build.props", "<Project>\n  <ItemGroup>\n    <OfaTarget Include=\"cortex-a72\" Class=\"App.Nett\" LatencyMs=\"4\" />\n    <OfaTarget Include=\"jetson\" Class=\"App.Net\" LatencyMs=\"fast\" />\n  </ItemGroup>\n</Project>\n");
        EvaluatedItem Item(string device, string cls, string ms) => new(device, new Dictionary<string, string>
        {
            ["Class"] = cls, ["LatencyMs"] = ms, ["FullPath"] = Dir[device], ["DefiningProjectFullPath"] = props,
        });

        var e = Assert.Throws<OfaException>(() => ProjectTargets.Scan(SourcesOnly.Of(Dir.Path, Item("cortex-a72", "App.Nett", "4"))));
        Assert.Equal("Directory.Build.props:3: <OfaTarget Include=\"cortex-a72\" Class=\"App.Nett\"> names no [OfaModel] class. Did you mean 'App.Net'? " + // the build's OFA0009
            "Set Class to the namespace-qualified name of a class with [OfaModel]. Known: App.Net.", e.Message);
        e = Assert.Throws<OfaException>(() => ProjectTargets.Scan(SourcesOnly.Of(Dir.Path, Item("jetson", "App.Net", "fast"))));
        Assert.StartsWith("Directory.Build.props:4: <OfaTarget Include=\"jetson\" Class=\"App.Net\">: LatencyMs=\"fast\" ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_targets_of_a_class_that_is_not_partial_are_not_marked_and_the_fix_is_named()
    {
        // Before: the report marked them, though the build plans nothing for such a class (the generator reports OFA0003).
        // Its budget is not checked either, as the build checks none of it.
        Write("Net.cs", "namespace App;\n[OfaModel(\"m.ofa\")][OfaTarget(\"x64-avx2\", LatencyMs = 1)] partial class Net;\n" +
            "[OfaModel(\"m.ofa\")][OfaTarget(\"cortex-a53\", LatencyMs = Budgets.A53)] class Plain;\n");

        var (marked, notes) = ProjectTargets.Built(SourcesOnly.Of(Dir.Path));

        Assert.Equal(["x64-avx2"], marked.Select(t => t.Device));
        Assert.Equal(["Net.cs:3: the cortex-a53 target is not marked: class App.Plain is not partial, so its build specialises none of its targets (OFA0003); " +
            "declare it partial (and any class it is nested in)."], notes);
    }

    [Fact]
    public void Comments_and_disabled_code_are_not_targets_and_numbers_read_as_the_compiler_reads_them()
    {
        Write("App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        Write("Net.cs", """
            [OfaModel("m.ofa")]
            [OfaTarget("cortex-a53", LatencyMs = 4.5f)] // [OfaTarget("cortex-a53", LatencyMs = 99)]
            /* [OfaTarget("cortex-a72", LatencyMs = 98)] */
            #if NEVER_DEFINED
            [OfaTarget("cortex-a76", LatencyMs = 97)]
            #endif
            [OfaTarget("x64-avx2",
                       LatencyMs = 1_2e-1)]
            partial class Net;

            [OfaTarget("jetson", LatencyMs = 96)] partial class NoModel; // the build makes nothing of it either
            """);

        var targets = ProjectTargets.Scan(SourcesOnly.Of(Dir.Path));

        Assert.Equal([("cortex-a53", 4.5, "Net.cs:2"), ("x64-avx2", 1.2, "Net.cs:7")], targets.Select(t => (t.Device, t.LatencyMs, t.Source)));
        Assert.All(targets, t => Assert.Null(t.Profile));
    }

    [Theory]
    [InlineData("LatencyMs = Budgets.A53", " has no literal LatencyMs = N the report can read", "--target DEVICE=MS")]
    [InlineData("MaxMFlops = 300", " has no literal LatencyMs = N the report can read", "--target DEVICE=MS")]
    [InlineData("LatencyMs = 0", " has LatencyMs = 0, not a positive budget", "--target DEVICE=MS")]
    [InlineData("LatencyMs = -2.5", " has LatencyMs = -2.5, not a positive budget", "--target DEVICE=MS")]
    [InlineData("LatencyMs = 2, Precision = OfaPrecision.Bf16", ": Precision 'Bf16' is unknown", null)]
    [InlineData("LatencyMs = 2, Precision = (OfaPrecision)1", ": Precision is not an OfaPrecision member", null)]
    [InlineData("LatencyMs = 2, Levels = 3", ": Levels = 3 without Adaptive = true", null)]
    [InlineData("LatencyMs = 2, Adaptive = true, Levels = 9", ": Levels is 9; set Levels to a whole number of rungs from 2 to 8", null)]
    [InlineData("LatencyMs = 2, MaxMFlops = Limits.Cap", ": MaxMFlops = Limits.Cap is not a number the build can read", null)]
    [InlineData("LatencyMs = 2, Adaptive = true, Levels = Rungs.Many", ": Levels = Rungs.Many is not a number the build can read", null)]
    [InlineData("LatencyMS = 2", ": LatencyMS is not an [OfaTarget] argument, so nothing would read it. Did you mean 'LatencyMs'?", null)] // was "no literal LatencyMs"
    [InlineData("LatencyMs = 2, MaxMflop = 300", ": MaxMflop is not an [OfaTarget] argument, so nothing would read it. Did you mean 'MaxMFlops'?", null)] // was marked without the cap
    public void A_target_the_build_would_reject_names_the_file_line_and_the_rule(string arguments, string problem, string? fix)
    {
        Write("src/Net.cs", $"""
            using OfaBuild;
            [OfaModel("m.ofa")]
            [OfaTarget("cortex-a53", {arguments})]
            partial class Net;
            """);

        var e = Assert.Throws<OfaException>(() => ProjectTargets.Scan(SourcesOnly.Of(Dir.Path)));

        Assert.StartsWith($"{Path.Combine("src", "Net.cs")}:3: [OfaTarget(\"cortex-a53\")]{problem}", e.Message, StringComparison.Ordinal);
        if (fix is not null) Assert.Contains(fix, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_is_found_next_to_the_source_file_before_the_project_folder()
    {
        var nextToSource = Write("src/profiles/a53.json", "{}");
        Write("profiles/a53.json", "{}"); // the same name in the project folder: not taken
        var onlyInProject = Write("profiles/a72.json", "{}");
        Write("src/Net.cs", """
            [OfaModel("m.ofa")]
            [OfaTarget("cortex-a53", LatencyMs = 4, Profile = "profiles/a53.json")]
            [OfaTarget("cortex-a72", LatencyMs = 2, Profile = @"profiles/a72.json")]
            partial class Net;
            """);

        var targets = ProjectTargets.Scan(SourcesOnly.Of(Dir.Path));

        Assert.Equal([nextToSource, onlyInProject], targets.Select(t => t.Profile));
    }

    [Fact]
    public void A_missing_profile_names_the_file_line_and_how_to_make_it()
    {
        Write("src/Net.cs", """
            [OfaModel("m.ofa")]

            [OfaTarget("cortex-a53", LatencyMs = 4, Profile = "profiles/a53.json")]
            partial class Net;
            """);

        var e = Assert.Throws<OfaException>(() => ProjectTargets.Scan(SourcesOnly.Of(Dir.Path)));

        Assert.StartsWith($"{Path.Combine("src", "Net.cs")}:3: [OfaTarget(\"cortex-a53\", Profile = \"profiles/a53.json\")]: the profile was not found relative to '{Path.Combine(Dir.Path, "src")}' or to the project folder '{Dir.Path}'.", e.Message, StringComparison.Ordinal);
        // m.ofa is not there: no --model to name. The file's name is not the device's, which `ofa profile` would record instead.
        Assert.Contains($"ofa profile -o {Path.Combine("src", "profiles", "a53.json")} --device cortex-a53`", e.Message, StringComparison.Ordinal);
        Assert.Contains("--profile cortex-a53=PATH", e.Message, StringComparison.Ordinal);

        // With the class's supernet found, the command profiles its space, in the target's precision, as the build's OFA0012 words it.
        // Before: no --precision or --device, a table the int8 cortex-a53 target would be warned of (OFA0019) and not searched on.
        Write("src/m.ofa", "found by path; never read");
        Write("src/Net.cs", """
            [OfaModel("m.ofa")]

            [OfaTarget("Cortex-A53", LatencyMs = 4, Profile = "profiles/a53.json", Precision = OfaPrecision.Int8)]
            partial class Net;
            """);
        e = Assert.Throws<OfaException>(() => ProjectTargets.Scan(SourcesOnly.Of(Dir.Path)));
        Assert.Contains($"`ofa profile -o {Path.Combine("src", "profiles", "a53.json")} --model {Path.Combine("src", "m.ofa")} --precision int8 --device cortex-a53` in the project folder, on the device", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_carries_its_whole_spec_as_the_build_plans_it()
    {
        Write("Net.cs", """
            using OfaBuild;
            [OfaModel("m.ofa")]
            [OfaTarget("cortex-a53", LatencyMs = 2, Precision = OfaPrecision.Int8, MaxMFlops = 3)]
            [OfaTarget("cortex-a72", LatencyMs = 4, Adaptive = true)]
            [OfaTarget("x64-avx2", LatencyMs = 1, Adaptive = true, Levels = 4, Precision = OfaPrecision.Fp32)]
            partial class Net;
            """);

        var targets = ProjectTargets.Scan(SourcesOnly.Of(Dir.Path));

        Assert.Equal([new TargetSpec("cortex-a53", 2, MaxMFlops: 3, Precision: "int8"), new TargetSpec("cortex-a72", 4), new TargetSpec("x64-avx2", 1)],
            targets.Select(t => t.Spec));
        Assert.Equal([null, LadderLevels.Default, 4], targets.Select(t => t.Levels));
        Assert.Equal("Net.cs:4 (adaptive: rung 0 of up to 3 marked)", targets[1].Origin);
    }
}
