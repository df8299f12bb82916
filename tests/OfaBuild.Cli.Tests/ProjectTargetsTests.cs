using OfaBuild.Contracts;
using OfaBuild.Core;
using OfaBuild.Core.Specialization;
using OfaBuild.Tool.Reporting;

namespace OfaBuild.Cli.Tests;

/// <summary>`ofa report --project` reads a project's targets with the build's parse and path rule (SpecDiscovery, SpecRules).</summary>
public sealed class ProjectTargetsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string relative, string text)
    {
        var path = _dir[relative];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Items_of_the_project_file_are_named_as_not_marked_at_their_lines()
    {
        // The build makes a target of each <OfaTarget> item ("an equal way to declare a target"); the report reads
        // attributes only, and said nothing about the item it left out. It names each at the line the build's errors
        // about it name (the build's ItemLocator).
        var csproj = Write("App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <OfaTarget Include="cortex-a72" Class="App.Net" LatencyMs="8" />
                <Compile Include="Other.cs" />

                <OfaTarget Include="host;x64-avx2" Class="App.Net" LatencyMs="1" />
              </ItemGroup>
            </Project>
            """);
        Write("Net.cs", "[OfaModel(\"m.ofa\")][OfaTarget(\"cortex-a53\", LatencyMs = 2)] partial class Net;");

        Assert.Equal("cortex-a53", Assert.Single(ProjectTargets.Scan(csproj)).Device);
        string[] named = ["<OfaTarget Include=\"cortex-a72\"> at App.csproj:3", "<OfaTarget Include=\"host;x64-avx2\"> at App.csproj:6"];
        Assert.Equal(named, ProjectTargets.ItemsNotRead(csproj));
        Assert.Equal(named, ProjectTargets.ItemsNotRead(_dir.Path));
    }

    [Fact]
    public void Items_of_the_directory_build_files_and_the_imports_msbuild_reads_are_named_with_their_file_and_line()
    {
        // The build makes the items of every file MSBuild reads for the project; the report named the .csproj's alone,
        // so a target written in Directory.Build.props was neither marked nor named.
        Write("Directory.Build.props", ItemFile("too-far")); // hidden by the nearer src/Directory.Build.props, as MSBuild hides it
        Write("src/Directory.Build.props", """
            <Project>
              <Import Project="build/ofa.props" />
              <ItemGroup>
                <OfaTarget Include="cortex-a72" Class="App.Net" LatencyMs="8" />
              </ItemGroup>
            </Project>
            """);
        Write("src/build/ofa.props", ItemFile("cortex-a53"));
        Write("src/Directory.Build.targets", """
            <Project>
              <Import Project="$(SharedTargets)/ofa.targets" />
              <Import Project="local.props" Condition="Exists('local.props')" />
              <Import Project="gone.props" />
              <ItemGroup><OfaTarget Include="jetson" Class="App.Net" LatencyMs="9" /></ItemGroup>
            </Project>
            """);
        Write("src/common/devices.props", """
            <Project>
              <Import Project="../build/ofa.props" />
              <ItemGroup>
                <OfaTarget Include="x64-avx2" Class="App.Net" LatencyMs="1" Condition="false" />
                <OfaTarget Include="x64-avx2" Class="App.Net" LatencyMs="2" />
              </ItemGroup>
            </Project>
            """);
        var csproj = Write("src/app/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="../common/devices.props" />
              <Import Project="Sdk.targets" Sdk="Microsoft.NET.Sdk" />
              <ItemGroup>
                <OfaTarget Include="host" Class="App.Net" LatencyMs="1" />
              </ItemGroup>
            </Project>
            """);

        string Up(params string[] path) => Path.Combine(["..", .. path]);
        Assert.Equal([
            $"<OfaTarget Include=\"cortex-a72\"> at {Up("Directory.Build.props")}:4",
            $"<OfaTarget Include=\"cortex-a53\"> at {Up("build", "ofa.props")}:3", // imported twice, read once
            "<OfaTarget Include=\"host\"> at App.csproj:5",
            $"<OfaTarget Include=\"x64-avx2\"> at {Up("common", "devices.props")}:5", // not the element whose Condition is false
            $"<OfaTarget Include=\"jetson\"> at {Up("Directory.Build.targets")}:5",
        ], ProjectTargets.ItemsNotRead(csproj));
        Assert.Equal([
            $"<Import Project=\"$(SharedTargets)/ofa.targets\"> at {Up("Directory.Build.targets")}:2 (MSBuild makes its path)",
            $"<Import Project=\"gone.props\"> at {Up("Directory.Build.targets")}:4 (no such file: '{_dir["src/gone.props"]}')",
        ], ProjectTargets.ImportsNotFollowed(csproj)); // not the SDK's import, nor one on the condition that its file exists
    }

    [Fact]
    public void An_import_under_a_condition_false_as_written_is_not_read_and_one_msbuild_decides_is_not_missing()
    {
        // Before, only an import's own Condition was looked at, and only to tell "may be missing": an <ImportGroup
        // Condition="false">'s imports, and an import whose own Condition is false as written, were read as the build's.
        Write("off.props", ItemFile("cortex-a72"));
        Write("on.props", ItemFile("cortex-a53"));
        var csproj = Write("App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ImportGroup Condition="false">
                <Import Project="off.props" />
              </ImportGroup>
              <Import Project="off.props" Condition="'a' == 'b'" />
              <ImportGroup Condition="'$(Lab)' == 'true'">
                <Import Project="on.props" />
                <Import Project="lab-only.props" />
              </ImportGroup>
            </Project>
            """);
        Assert.Equal(["<OfaTarget Include=\"cortex-a53\"> at on.props:3"], ProjectTargets.ItemsNotRead(csproj));
        Assert.Empty(ProjectTargets.ImportsNotFollowed(csproj)); // lab-only.props is not there, but MSBuild decides whether it is imported
    }

    [Fact]
    public void A_directory_build_file_the_project_turns_off_is_not_read_where_msbuild_honours_the_switch()
    {
        // The report read Directory.Build.props and .targets whatever the project set. MSBuild imports each unless its switch
        // is set to other than "true" before the SDK imports it: .targets after the project's body, .props before it, so
        // in <Project Sdk="..."> a props switch comes too late, and takes effect before an explicit <Import Project="Sdk.props">.
        Write("Directory.Build.props", ItemFile("cortex-a72"));
        Write("Directory.Build.targets", ItemFile("jetson"));
        var sdk = Write("sdk/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
                <ImportDirectoryBuildTargets>False</ImportDirectoryBuildTargets>
              </PropertyGroup>
            </Project>
            """);
        var imports = Write("imports/App.csproj", """
            <Project>
              <PropertyGroup><ImportDirectoryBuildProps>false</ImportDirectoryBuildProps></PropertyGroup>
              <Import Project="Sdk.props" Sdk="Microsoft.NET.Sdk" />
              <Import Project="Sdk.targets" Sdk="Microsoft.NET.Sdk" />
              <PropertyGroup><ImportDirectoryBuildTargets>false</ImportDirectoryBuildTargets></PropertyGroup>
            </Project>
            """);

        string Up(string file) => Path.Combine("..", file);
        Assert.Equal([$"<OfaTarget Include=\"cortex-a72\"> at {Up("Directory.Build.props")}:3"], ProjectTargets.ItemsNotRead(sdk));
        Assert.Equal([$"<OfaTarget Include=\"jetson\"> at {Up("Directory.Build.targets")}:3"], ProjectTargets.ItemsNotRead(imports));
        Assert.Empty(ProjectTargets.ImportsNotFollowed(sdk));
        Assert.Empty(ProjectTargets.ImportsNotFollowed(imports));
    }

    [Theory]
    [InlineData("<ImportDirectoryBuildTargets Condition=\"'$(Configuration)' == 'Release'\">false</ImportDirectoryBuildTargets>")]
    [InlineData("<ImportDirectoryBuildTargets>$(UseSharedTargets)</ImportDirectoryBuildTargets>")]
    public void A_directory_build_switch_msbuild_decides_is_said_and_its_file_not_followed(string setting)
    {
        Write("Directory.Build.targets", ItemFile("jetson"));
        var csproj = Write("app/App.csproj", $"<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    {setting}\n  </PropertyGroup>\n</Project>\n");
        Assert.Empty(ProjectTargets.ItemsNotRead(csproj));
        Assert.Equal([$"{Path.Combine("..", "Directory.Build.targets")} (imported when ImportDirectoryBuildTargets is true; set at App.csproj:3 by a condition or property MSBuild decides)"],
            ProjectTargets.ImportsNotFollowed(csproj));

        // A Condition false as written sets nothing: the file is read as MSBuild reads it.
        Write("app/App.csproj", $"<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup Condition=\"false\">\n    {setting}\n  </PropertyGroup>\n</Project>\n");
        Assert.Equal([$"<OfaTarget Include=\"jetson\"> at {Path.Combine("..", "Directory.Build.targets")}:3"], ProjectTargets.ItemsNotRead(csproj));
        Assert.Empty(ProjectTargets.ImportsNotFollowed(csproj));
    }

    private static string ItemFile(string device) => $"<Project>\n  <ItemGroup>\n    <OfaTarget Include=\"{device}\" Class=\"App.Net\" LatencyMs=\"4\" />\n  </ItemGroup>\n</Project>\n";

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

        var targets = ProjectTargets.Scan(_dir["App.csproj"]);

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

        var e = Assert.Throws<OfaException>(() => ProjectTargets.Scan(_dir.Path));

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

        var targets = ProjectTargets.Scan(_dir.Path);

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

        var e = Assert.Throws<OfaException>(() => ProjectTargets.Scan(_dir.Path));

        Assert.StartsWith($"{Path.Combine("src", "Net.cs")}:3: [OfaTarget(\"cortex-a53\", Profile = \"profiles/a53.json\")]: the profile was not found relative to '{Path.Combine(_dir.Path, "src")}' or to the project folder '{_dir.Path}'.", e.Message, StringComparison.Ordinal);
        Assert.Contains("ofa profile -o profiles/a53.json`", e.Message, StringComparison.Ordinal); // m.ofa is not there: no --model to name
        Assert.Contains("--profile cortex-a53=PATH", e.Message, StringComparison.Ordinal);

        // With the class's supernet found, the command profiles its space.
        Write("src/m.ofa", "found by path; never read");
        e = Assert.Throws<OfaException>(() => ProjectTargets.Scan(_dir.Path));
        Assert.Contains($"`ofa profile -o profiles/a53.json --model {_dir["src/m.ofa"]}` on the device", e.Message, StringComparison.Ordinal);
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

        var targets = ProjectTargets.Scan(_dir.Path);

        Assert.Equal([new TargetSpec("cortex-a53", 2, MaxMFlops: 3, Precision: "int8"), new TargetSpec("cortex-a72", 4), new TargetSpec("x64-avx2", 1)],
            targets.Select(t => t.Spec));
        Assert.Equal([null, LadderLevels.Default, 4], targets.Select(t => t.Levels));
        Assert.Equal("Net.cs:4 (adaptive: rung 0 of up to 3 marked)", targets[1].Origin);
    }
}
