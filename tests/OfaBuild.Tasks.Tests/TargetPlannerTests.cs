using Microsoft.Build.Framework;

namespace OfaBuild.Tasks.Tests;

public sealed class TargetPlannerTests : IDisposable
{
    private readonly ProjectFolder _project = new();

    public void Dispose() => _project.Dispose();

    private (List<Core.Specialization.PlannedTarget> Planned, TargetPlanner Planner) Plan(string classSource, params ITaskItem[] items)
    {
        var specs = _project.Specs("Net.cs", "using OfaBuild;\nnamespace App;\n" + classSource);
        var planner = _project.Planner();
        return (planner.Plan(specs, items), planner);
    }

    /// <summary>A class with one [OfaTarget("host", ...)] over models/net.ofa; <paramref name="targetArguments"/> follow the device name.</summary>
    private (List<Core.Specialization.PlannedTarget> Planned, TargetPlanner Planner) PlanHost(string targetArguments) =>
        Plan($"[OfaModel(\"models/net.ofa\")][OfaTarget(\"host\", {targetArguments})] partial class Net;");

    private string HashOf(string targetArguments) => Assert.Single(PlanHost(targetArguments).Planned).Hash;

    private static SpecError Single(TargetPlanner planner, string code)
    {
        var error = Assert.Single(planner.Errors);
        Assert.Equal(code, error.Code);
        return error;
    }

    [Theory]
    [InlineData("[OfaModel(\"models/net.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] class Net;")]
    [InlineData("[OfaModel(\"models/missing.ofa\")][OfaTarget(\"host\", LatencyMs = -1)] sealed class Net;")]
    [InlineData("static class Outer { [OfaModel(\"models/net.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] partial class Net; }")]
    public void A_class_that_is_not_partial_is_not_planned_and_left_to_the_generators_OFA0003(string classSource)
    {
        // Before: its targets were planned and searched (seconds, minutes on a real supernet) before the generator's
        // OFA0003 stopped the build; the planner now skips it without an error of its own, so OFA0003 is the one error.
        string name = classSource.Contains("Outer", StringComparison.Ordinal) ? "App.Outer.Net" : "App.Net";
        var (planned, planner) = Plan(classSource, _project.Item("x64-avx2", name, "1", definedIn: _project.ProjectFile));
        Assert.Empty(planned);
        Assert.Empty(planner.Errors);

        var (partial, _) = Plan("partial class Outer { [OfaModel(\"models/net.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] partial class Net; }");
        Assert.Equal("App.Outer.Net", Assert.Single(partial).ClassName);
    }

    [Fact]
    public void A_wrong_model_path_gives_exactly_one_error_at_the_attribute()
    {
        var (planned, planner) = Plan("[OfaModel(\"models/missing.ofa\")][OfaTarget(\"cortex-a53\", LatencyMs = 4)] partial class Net;");
        Assert.Empty(planned);
        var e = Single(planner, "OFA0001");
        Assert.Equal((3, 2), (e.Location.Line, e.Location.Column));
        // Net.cs is in the project folder: the folder is named once.
        Assert.Contains($"[OfaModel(\"models/missing.ofa\")] on App.Net: no such file relative to the project folder '{_project.Dir}'; fix the path", e.Message);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(e.Message, System.Text.RegularExpressions.Regex.Escape(_project.Dir)));
    }

    [Fact]
    public void Each_planned_target_carries_where_its_classs_OfaModel_is_written()
    {
        // The tool reports a supernet it cannot read there (PlanRunner), for an attribute's target and an item's alike.
        var (planned, planner) = Plan("[OfaModel(\"models/net.ofa\")]\n[OfaTarget(\"cortex-a53\", LatencyMs = 4)] partial class Net;",
            _project.Item("x64-avx2", "App.Net", "1", definedIn: _project.ProjectFile));
        Assert.Empty(planner.Errors);
        Assert.Equal(2, planned.Count);
        Assert.All(planned, t => Assert.Equal((Path.Combine(_project.Dir, "Net.cs"), 3, 2), (t.ModelSourceFile, t.ModelLine, t.ModelColumn)));
        Assert.Equal(4, planned.Single(t => !t.FromItem).Line);
    }

    [Fact]
    public void A_wrong_path_names_the_declaring_folder_and_the_project_folder_when_they_differ()
    {
        var specs = _project.Specs(Path.Combine("src", "Net.cs"), "using OfaBuild;\nnamespace App;\n[OfaModel(\"missing.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] partial class Net;");
        var planner = _project.Planner();
        planner.Plan(specs, []);
        Assert.Contains($"no such file relative to '{Path.Combine(_project.Dir, "src")}' or to the project folder '{_project.Dir}';", Single(planner, "OFA0001").Message);

        var (_, inProject) = PlanHost("LatencyMs = 1, Profile = \"profiles/board.json\"");
        Assert.Contains($"the profile was not found relative to the project folder '{_project.Dir}'.", Single(inProject, "OFA0012").Message);
    }

    [Fact]
    public void A_missing_profile_says_to_profile_the_classs_own_supernet()
    {
        // The table's keys hold the space's shapes (channels, resolutions): a plain `ofa profile` would measure mbv3-fmnist.
        var (_, planner) = PlanHost("LatencyMs = 1, Profile = \"profiles/board.json\"");
        string board = Path.Combine("profiles", "board.json"), model = Path.Combine("models", "net.ofa");
        Assert.EndsWith($"Make it with `ofa profile -o {board} --model {model} --device host` in the project folder, on the device or with --ssh from there.", Single(planner, "OFA0012").Message);
        Assert.Equal("ofa profile -o p.json --model '/my models/it'\\''s.ofa'", TargetPlanner.ProfileCommand("p.json", "/my models/it's.ofa", "fp32", "P"));
    }

    [Fact]
    public void A_missing_profile_is_made_for_the_targets_device_and_precision_as_the_tool_words_it()
    {
        // Before: `ofa profile -o boards/a53.json --model models/net.ofa`, which records device "a53" (the file's stem) and
        // fp32: the next build warned OFA0019 (a cortex-a53 target on another device's table) and searched the int8 target
        // on fp32 latencies. The device as the catalog spells it, as `ofa profile` records it.
        var (_, planner) = Plan("[OfaModel(\"models/net.ofa\")]" +
            "[OfaTarget(\"Cortex-A53\", LatencyMs = 4, Profile = \"boards/a53.json\", Precision = OfaPrecision.Int8)] partial class Net;");
        string board = Path.Combine("boards", "a53.json"), model = Path.Combine("models", "net.ofa");
        Assert.Contains($"Make it with `ofa profile -o {board} --model {model} --precision int8 --device cortex-a53` in the project folder", Single(planner, "OFA0012").Message);

        // A file named after the device records it: no --device, as for an fp32 item target.
        var item = _project.Item("cortex-a72", "App.Net", "2", profile: "profiles/Cortex-A72.json", definedIn: _project.ProjectFile);
        var (_, named) = Plan("[OfaModel(\"models/net.ofa\")] partial class Net;", item);
        Assert.Contains($"Make it with `ofa profile -o {Path.Combine("profiles", "Cortex-A72.json")} --model {model}` in the project folder", Single(named, "OFA0012").Message);
    }

    [Fact]
    public void A_missing_profiles_command_names_its_files_as_the_project_does()
    {
        // Before: -o was the Profile as written (relative to src/, where the build looks first) and --model the supernet's
        // full path; run in the project folder, the command wrote profiles/board.json, which the build did not find.
        _project.Write(Path.Combine("models", "net.ofa"), "a supernet outside src/");
        var specs = _project.Specs(Path.Combine("src", "Net.cs"), "using OfaBuild;\nnamespace App;\n" +
            "[OfaModel(\"../models/net.ofa\")][OfaTarget(\"host\", LatencyMs = 1, Profile = \"profiles/board.json\")] partial class Net;");
        var planner = _project.Planner();
        planner.Plan(specs, []);
        string board = Path.Combine("src", "profiles", "board.json"), model = Path.Combine("models", "net.ofa");
        Assert.Contains($"`ofa profile -o {board} --model {model} --device host` in the project folder", Single(planner, "OFA0012").Message);

        // Written rooted, the profile is made where it is written.
        string rooted = Path.Combine(_project.Dir, "boards", "a72.json");
        var (_, fromRoot) = PlanHost($"LatencyMs = 1, Profile = @\"{rooted}\"");
        Assert.Contains($"`ofa profile -o {rooted} --model {Path.Combine("models", "net.ofa")} --device host`", Single(fromRoot, "OFA0012").Message);
    }

    [Fact]
    public void A_model_path_that_is_not_a_literal_says_so()
    {
        var (_, planner) = Plan("[OfaModel(Paths.Net)][OfaTarget(\"cortex-a53\", LatencyMs = 4)] partial class Net;");
        Assert.Contains("needs the supernet path as a string literal", Single(planner, "OFA0001").Message);
    }

    [Theory]
    [InlineData("[OfaTarget(\"cortex-a53\")]", "OFA0004", "LatencyMs is not set")]
    [InlineData("[OfaTarget(\"cortex-a53\", LatencyMs = -2.5)]", "OFA0004", "LatencyMs is -2.5")]
    [InlineData("", "OFA0005", "App.Net has [OfaModel] but no target; add [OfaTarget(\"host\", LatencyMs = 1)] (a device and its latency budget) to the class, or <OfaTarget Include=\"cortex-a72\" Class=\"App.Net\" LatencyMs=\"8\" /> to the project.")]
    [InlineData("[OfaTarget(\"\", LatencyMs = 1)]", "OFA0010", "needs a device name")]
    [InlineData("[OfaTarget(\"lab/board\", LatencyMs = 1)]", "OFA0010", "use letters, digits, '-', '.', '_'")]
    [InlineData("[OfaTarget(\"host\", LatencyMs = 1, Precision = (OfaPrecision)7)]", "OFA0016", "Precision is not an OfaPrecision member")]
    [InlineData("[OfaTarget(\"host\", LatencyMs = 1, Precision = OfaPrecision.Int4)]", "OFA0016", "Precision 'Int4' is unknown")]
    [InlineData("[OfaTarget(\"jetson\", LatencyMs = 1, Profile = \"profiles/jetson.json\")]", "OFA0012", "ofa profile -o profiles/jetson.json")]
    [InlineData("[OfaTarget(\"host\", LatencyMs = 1, Levels = 3)]", "OFA0017", "Levels = 3 without Adaptive = true")]
    [InlineData("[OfaTarget(\"host\", LatencyMs = 1, Adaptive = true, Levels = 1)]", "OFA0017", "Levels is 1; set Levels to a whole number of rungs from 2 to 8")]
    [InlineData("[OfaTarget(\"host\", LatencyMs = 1, Adaptive = true, Levels = 9)]", "OFA0017", "Levels is 9")]
    [InlineData("[OfaTarget(\"host\", LatencyMs = 1, Adaptive = true, Levels = 2.5)]", "OFA0017", "Levels is 2.5")]
    [InlineData("[OfaTarget(\"host\", LatencyMs = 1, Adaptive = Flags.On)]", "OFA0017", "Adaptive is 'Flags.On'")]
    [InlineData("[OfaTarget(\"host\", LatencyMs = 1, Levels = Rungs.Five)]", "OFA0017", "Levels = Rungs.Five is not a number the build can read")]
    // Before, the task said "LatencyMs is not set" at an attribute that sets LatencyMS, and stopped the build before the compiler named it.
    [InlineData("[OfaTarget(\"host\", LatencyMS = 1)]", "OFA0018", "[OfaTarget(\"host\")] on App.Net: LatencyMS is not an [OfaTarget] argument, so nothing would read it. Did you mean 'LatencyMs'? Write one of LatencyMs, Profile, MaxMFlops, Precision, Adaptive, Levels.")]
    public void Each_spec_rule_has_one_error_at_the_attribute(string targets, string code, string message)
    {
        var (planned, planner) = Plan($"[OfaModel(\"models/net.ofa\")]{targets} partial class Net;");
        Assert.Empty(planned);
        var e = Single(planner, code);
        Assert.Contains(message, e.Message);
        Assert.Equal(3, e.Location.Line);
    }

    [Theory]
    [InlineData("host")]
    [InlineData("Host")] // host.onnx and Host.onnx are one file on Windows and macOS, and the app picks targets ignoring case
    public void A_device_named_twice_is_one_error_and_its_first_target_is_planned(string again)
    {
        var (planned, planner) = Plan($"[OfaModel(\"models/net.ofa\")][OfaTarget(\"host\", LatencyMs = 1)][OfaTarget(\"{again}\", LatencyMs = 2)] partial class Net;");
        Assert.Contains("appears twice", Single(planner, "OFA0011").Message);
        Assert.Equal(1, Assert.Single(planned).LatencyMs);
    }

    [Fact]
    public void A_device_in_another_case_is_planned_as_the_catalog_spells_it()
    {
        var (planned, planner) = Plan("[OfaModel(\"models/net.ofa\")][OfaTarget(\"Cortex-A53\", LatencyMs = 4)][OfaTarget(\"Lab-Board\", LatencyMs = 4)] partial class Net;",
            _project.Item("X64-AVX2", "App.Net", "2"));
        Assert.Empty(planner.Errors);
        // Outputs (name.onnx, the manifest's target, the wrapper's) are the catalog's; a device it does not know keeps its spelling.
        Assert.Equal(["cortex-a53", "Lab-Board", "x64-avx2"], planned.Select(t => t.Name));
        Assert.Equal(["cortex-a53", "Lab-Board", "x64-avx2"], planned.Select(t => t.Device));
        // The same outputs as the catalog's spelling gives, so the one hash.
        var (lower, _) = Plan("[OfaModel(\"models/net.ofa\")][OfaTarget(\"cortex-a53\", LatencyMs = 4)] partial class Net;");
        Assert.Equal(Assert.Single(lower).Hash, planned[0].Hash);
    }

    [Fact]
    public void A_device_named_twice_in_two_cases_on_an_attribute_and_an_item_says_which_came_first()
    {
        var (planned, planner) = Plan("[OfaModel(\"models/net.ofa\")][OfaTarget(\"x64-avx2\", LatencyMs = 1)] partial class Net;",
            _project.Item("X64-AVX2", "App.Net", "2"));
        Assert.Equal("<OfaTarget Include=\"X64-AVX2\" Class=\"App.Net\"> appears twice on App.Net (as \"x64-avx2\" before: device names ignore case); keep one per device.", Single(planner, "OFA0011").Message);
        Assert.Equal("x64-avx2", Assert.Single(planned).Name);
    }

    [Theory]
    [InlineData("App.Nte", "Did you mean 'App.Net'? ")]     // a swap
    [InlineData("app.net", "Did you mean 'App.Net'? ")]     // case: Class is C#'s name exactly, the suggestion ignores case
    [InlineData("Net", "Did you mean 'App.Net'? ")]         // the namespace left out: by simple name
    [InlineData("Demo.Net", "Did you mean 'App.Net'? ")]    // the wrong namespace
    [InlineData("App.Vision", "")]
    public void An_item_for_an_unknown_class_suggests_the_nearest_model_class(string cls, string suggestion)
    {
        var (_, planner) = Plan("[OfaModel(\"models/net.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] partial class Net;", _project.Item("cortex-a72", cls, "2"));
        Assert.Equal($"<OfaTarget Include=\"cortex-a72\" Class=\"{cls}\"> names no [OfaModel] class. {suggestion}Set Class to the namespace-qualified name of a class with [OfaModel]. Known: App.Net.",
            Single(planner, "OFA0009").Message);
    }

    [Fact]
    public void The_same_class_declared_twice_and_an_item_for_an_unknown_class_are_errors()
    {
        var specs = _project.Specs("A.cs", "namespace App; [OfaModel(\"models/net.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] partial class Net;")
            .Concat(_project.Specs("B.cs", "namespace App; [OfaModel(\"models/net.ofa\")] partial class Net;")).ToList();
        var planner = _project.Planner();
        var planned = planner.Plan(specs, [_project.Item("cortex-a72", "App.Vision", "2")]);
        Assert.Single(planned);
        Assert.Equal(["OFA0008", "OFA0009"], planner.Errors.Select(e => e.Code));
        Assert.Contains("Known: App.Net", planner.Errors[1].Message);
    }

    [Fact]
    public void Items_are_targets_like_attributes_and_a_class_with_only_items_is_planned()
    {
        var (planned, planner) = Plan("[OfaModel(\"models/net.ofa\")] partial class Net;",
            _project.Item("cortex-a72", "App.Net", "2"), _project.Item("host", "App.Net", "0.5"));
        Assert.Empty(planner.Errors);
        Assert.Equal(["cortex-a72", "host"], planned.Select(t => t.Device));
        Assert.Equal(2, planned[0].LatencyMs);
        Assert.Equal(Path.Combine("models", "net.ofa"), planned[0].Model); // as the project names it (SpecRules.AsNamed)
        Assert.Equal(Path.Combine(_project.Obj, "App.Net"), planned[0].OutputDir);
        Assert.Equal(new Location(Path.Combine(_project.Dir, "Net.cs"), 3, 2), planner.ClassLocations["App.Net"]);
    }

    [Fact]
    public void Precision_from_attributes_and_items_reaches_the_plan_and_its_hash()
    {
        var item = _project.Item("cortex-a72", "App.Net", "2");
        item.SetMetadata("Precision", "Int8");
        var (planned, planner) = Plan("[OfaModel(\"models/net.ofa\")][OfaTarget(\"host\", LatencyMs = 1, Precision = OfaPrecision.Int8)][OfaTarget(\"cortex-a53\", LatencyMs = 1)] partial class Net;", item);
        Assert.Empty(planner.Errors);
        Assert.Equal(["int8", "fp32", "int8"], planned.Select(t => t.Precision));
        var (fp32, _) = Plan("[OfaModel(\"models/net.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] partial class Net;");
        Assert.NotEqual(fp32[0].Hash, planned[0].Hash);
    }

    [Fact]
    public void An_item_with_a_bad_budget_is_refused_like_an_attribute()
    {
        var (_, planner) = Plan("[OfaModel(\"models/net.ofa\")] partial class Net;", _project.Item("cortex-a72", "App.Net", "fast"));
        Assert.Equal(["OFA0004"], planner.Errors.Select(e => e.Code));
    }

    [Theory]
    [InlineData("cortex-a72", "LatencyMs", "-1", "OFA0004", ": LatencyMs is -1; set LatencyMs to the latency budget in milliseconds, a positive number, e.g. LatencyMs=\"4\".")]
    [InlineData("cortex-a72", "MaxMFlops", "lots", "OFA0004", ": MaxMFlops=\"lots\" is not a number the build can read; write the number itself, e.g. MaxMFlops=\"4\".")]
    [InlineData("cortex-a72", "Precision", "Int4", "OFA0016", ": Precision 'Int4' is unknown; write Precision=\"Int8\" (or Fp32).")]
    [InlineData("cortex-a72", "Levels", "3", "OFA0017", ": Levels=\"3\" without Adaptive=\"true\"; add Adaptive=\"true\" to embed a ladder, or remove Levels.")]
    [InlineData("cortex-a72", "Adaptive", "yes", "OFA0017", ": Adaptive is 'yes'; write Adaptive=\"true\" (a ladder of subnets switched at run time) or leave it out.")]
    [InlineData("cortex-a72", "Profile", "profiles/a72.json", "OFA0012", " Profile=\"profiles/a72.json\">: the profile was not found")]
    [InlineData("lab/board", "LatencyMs", "2", "OFA0010", ": a device name names the target's files and resource")]
    // Before, a misspelt metadata was dropped: the build succeeded without the cap (or profile, precision) the user wrote.
    [InlineData("cortex-a72", "MaxMFlop", "3", "OFA0018", ": MaxMFlop is not metadata of an <OfaTarget> item, so nothing would read it. Did you mean 'MaxMFlops'? Write one of Class, LatencyMs, Profile, MaxMFlops, Precision, Adaptive, Levels.")]
    public void An_item_error_names_the_item_as_written_not_an_attribute(string device, string metadata, string value, string code, string rest)
    {
        // These read [OfaTarget("cortex-a72")] on App.Net: an attribute the project does not have, its fix an attribute's.
        var item = _project.Item(device, "App.Net", "2", definedIn: _project.Write("App.csproj", "<Project />")); // a Profile is found relative to it
        item.SetMetadata(metadata, value);
        var (planned, planner) = Plan("[OfaModel(\"models/net.ofa\")] partial class Net;", item);
        Assert.Empty(planned);
        var message = Single(planner, code).Message;
        string subject = $"<OfaTarget Include=\"{device}\" Class=\"App.Net\"";
        Assert.StartsWith(subject + (metadata == "Profile" ? "" : ">") + rest, message, StringComparison.Ordinal);
        Assert.DoesNotContain("[OfaTarget", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LatencyMs = -2.5", null, "LatencyMs is -2.5; ")]
    [InlineData("LatencyMs = -0.0001", null, "LatencyMs is -0.0001; ")] // three decimals would read "-0"
    [InlineData(null, "-2.5", "LatencyMs is -2.5; ")]
    [InlineData(null, "NaN", "LatencyMs is NaN; ")]
    [InlineData(null, "-Infinity", "LatencyMs is -Infinity; ")]
    public void A_refused_budget_is_echoed_by_LatencyText_Refused_under_a_german_culture(string? attributeArguments, string? itemLatencyMs, string echo)
    {
        // The rule `ofa report --project`, `ofa search` and `ofa specialize` echo a refused budget by (Cli.Tests' RefusedLimitTests).
        var before = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var (_, planner) = attributeArguments is not null
                ? PlanHost(attributeArguments)
                : Plan("[OfaModel(\"models/net.ofa\")] partial class Net;", _project.Item("cortex-a72", "App.Net", itemLatencyMs!));
            Assert.Contains(": " + echo, Single(planner, "OFA0004").Message, StringComparison.Ordinal);
        }
        finally { System.Globalization.CultureInfo.CurrentCulture = before; }
    }

    // Before, these passed the task and the tool refused them after the plan ran (OFA0002), while a LatencyMs so written was OFA0004.
    [Theory]
    [InlineData("MaxMFlops = -5", null, "MaxMFlops is -5; set MaxMFlops to the cap in millions of FLOPs, a positive literal number, e.g. MaxMFlops = 50, or leave it out for no cap.")]
    [InlineData("MaxMFlops = 0", null, "MaxMFlops is 0; ")]
    [InlineData("MaxMFlops = -0.0001", null, "MaxMFlops is -0.0001; ")]
    [InlineData(null, "-5", "MaxMFlops is -5; set MaxMFlops to the cap in millions of FLOPs, a positive number, e.g. MaxMFlops=\"50\", or leave it out for no cap.")]
    [InlineData(null, "0", "MaxMFlops is 0; ")]
    [InlineData(null, "NaN", "MaxMFlops is NaN; ")]
    [InlineData(null, "Infinity", "MaxMFlops is Infinity; ")]
    [InlineData(null, "lots", "MaxMFlops=\"lots\" is not a number the build can read")]
    [InlineData(null, "2,5", "MaxMFlops=\"2,5\" is not a number the build can read")] // a decimal comma
    public void An_invalid_MaxMFlops_is_refused_by_the_task_as_an_invalid_LatencyMs_is(string? attributeArguments, string? itemMFlops, string refusal)
    {
        TargetPlanner planner;
        if (attributeArguments is not null)
            (_, planner) = PlanHost("LatencyMs = 1, " + attributeArguments);
        else
        {
            var item = _project.Item("cortex-a72", "App.Net", "2");
            item.SetMetadata("MaxMFlops", itemMFlops);
            (_, planner) = Plan("[OfaModel(\"models/net.ofa\")] partial class Net;", item);
        }
        Assert.Contains(": " + refusal, Single(planner, "OFA0004").Message, StringComparison.Ordinal);
        Assert.Single(PlanHost("LatencyMs = 1, MaxMFlops = 2.5").Planned); // a positive cap is planned
    }

    [Fact]
    public void An_item_that_names_no_defining_file_finds_its_profile_in_the_project_folder()
    {
        // MSBuild always sets DefiningProjectFullPath; an item made by hand (a test, a direct task call) has none, and its
        // Profile threw ArgumentException from Path.GetFullPath(""). It is resolved as a file in the project folder's is.
        _project.Write("profiles/a72.json", "{}");
        var found = _project.Item("cortex-a72", "App.Net", "2", profile: "profiles/a72.json");
        var (planned, _) = Plan("[OfaModel(\"models/net.ofa\")] partial class Net;", found);
        Assert.Equal(Path.Combine("profiles", "a72.json"), Assert.Single(planned).Profile);

        var missing = _project.Item("cortex-a72", "App.Net", "2", profile: "profiles/gone.json");
        var (none, planner) = Plan("[OfaModel(\"models/net.ofa\")] partial class Net;", missing);
        Assert.Empty(none);
        Assert.Contains($"the profile was not found relative to the project folder '{_project.Dir}'.", Single(planner, "OFA0012").Message);
    }

    [Fact]
    public void An_item_that_names_no_defining_file_is_reported_at_the_project_file()
    {
        // An item with no DefiningProjectFullPath (made in code, not by MSBuild's evaluation) had its errors at an empty file name.
        var (_, planner) = Plan("[OfaModel(\"models/net.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] partial class Net;", _project.Item("cortex-a72", "App.Nte", "2"));
        Assert.Equal(new Location(_project.ProjectFile, 1, 1), Single(planner, "OFA0009").Location);
    }

    [Fact]
    public void A_device_twice_is_named_as_the_second_was_written_an_item_or_an_attribute()
    {
        var (_, fromItem) = Plan("[OfaModel(\"models/net.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] partial class Net;", _project.Item("host", "App.Net", "2"));
        Assert.Equal("<OfaTarget Include=\"host\" Class=\"App.Net\"> appears twice on App.Net; keep one per device.", Single(fromItem, "OFA0011").Message);
        var (_, fromAttribute) = Plan("[OfaModel(\"models/net.ofa\")][OfaTarget(\"host\", LatencyMs = 1)][OfaTarget(\"host\", LatencyMs = 2)] partial class Net;");
        Assert.Equal("[OfaTarget(\"host\")] appears twice on App.Net; keep one per device.", Single(fromAttribute, "OFA0011").Message);
        var (_, attribute) = PlanHost("LatencyMs = 1, Precision = OfaPrecision.Int4");
        Assert.Equal("[OfaTarget(\"host\")] on App.Net: Precision 'Int4' is unknown; write Precision = OfaPrecision.Int8 (or Fp32).", Single(attribute, "OFA0016").Message);
    }

    [Fact]
    public void An_item_error_is_at_the_item_in_the_file_that_defines_it()
    {
        // MSBuild gives a task no item lines: these were all at (1,1) of the file, the IDE jumping to its top.
        var csproj = _project.Write("App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="targets.props" />
              <ItemGroup>
                <OfaTarget Include="host" Class="App.Net" LatencyMs="1" />
                <OfaTarget Include="cortex-a72" Class="App.Net" LatencyMs="fast" />
                <OfaTarget Include="$(Board)" Class="App.Net" LatencyMs="2" />
              </ItemGroup>
            </Project>
            """);
        var props = _project.Write("targets.props", ProjectText.Items(
            "<OfaTarget Include=\"cortex-a53\" Class=\"App.Vision\" LatencyMs=\"30\" />",
            "<OfaTarget Include=\"HOST\" Class=\"App.Net\" LatencyMs=\"3\" />"));
        var (_, planner) = Plan("[OfaModel(\"models/net.ofa\")] partial class Net;",
            _project.Item("cortex-a53", "App.Vision", "30", definedIn: props),
            _project.Item("HOST", "App.Net", "3", definedIn: props),
            _project.Item("host", "App.Net", "1", definedIn: csproj),
            _project.Item("cortex-a72", "App.Net", "fast", definedIn: csproj),
            _project.Item("lab/board", "App.Net", "2", definedIn: csproj));

        Assert.Equal([
            ("OFA0009", new Location(props, 3, 5)),    // the class is unknown: in the imported file, not the .csproj
            ("OFA0011", new Location(csproj, 4, 5)),   // the second "host" (after the imported HOST) is the duplicate
            ("OFA0004", new Location(csproj, 5, 5)),
            ("OFA0010", new Location(csproj, 6, 5)),   // $(Board): the element MSBuild expanded
        ], planner.Errors.Select(e => (e.Code, e.Location)));
    }

    [Fact]
    public void An_item_error_is_at_the_element_that_made_the_item_not_one_whose_condition_made_none()
    {
        // The nth item of a name was put at the nth element naming it: a Release build's item at the Debug-only element.
        var csproj = _project.Write("App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup Condition="'$(Configuration)' == 'Debug'">
                <OfaTarget Include="host" Class="App.Net" LatencyMs="0.5" />
              </ItemGroup>
              <ItemGroup>
                <OfaTarget Include="host" Class="App.Net" LatencyMs="fast" />
              </ItemGroup>
            </Project>
            """);
        var (_, planner) = Plan("[OfaModel(\"models/net.ofa\")] partial class Net;", _project.Item("host", "App.Net", "fast", definedIn: csproj));
        Assert.Equal(new Location(csproj, 6, 5), Single(planner, "OFA0004").Location);
    }

    [Fact]
    public void An_item_whose_file_cannot_be_read_is_at_the_top_of_that_file()
    {
        var gone = Path.Combine(_project.Dir, "gone.props");
        var (_, planner) = Plan("[OfaModel(\"models/net.ofa\")] partial class Net;", _project.Item("host", "App.Net", "fast", definedIn: gone));
        Assert.Equal(new Location(gone, 1, 1), Single(planner, "OFA0004").Location);
        var (_, noFile) = Plan("[OfaModel(\"models/net.ofa\")] partial class Net;", _project.Item("host", "App.Net", "fast"));
        Assert.Equal(1, Single(noFile, "OFA0004").Location.Line);
    }

    [Fact]
    public void The_model_path_resolves_beside_the_source_before_the_project_folder()
    {
        _project.Write("src/models/net.ofa", "a different supernet beside the source");
        var specs = SpecDiscovery.FromFile(_project.Write("src/Net.cs", ""), "[OfaModel(\"models/net.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] partial class Net;");
        var planned = _project.Planner().Plan(specs, []);
        Assert.Equal(Path.Combine("src", "models", "net.ofa"), Assert.Single(planned).Model);
    }

    private const string Profiled = "[OfaModel(\"models/net.ofa\")][OfaTarget(\"cortex-a53\", LatencyMs = 4, Profile = \"profiles/a53.json\")] partial class Net;";

    [Fact]
    public void A_profiled_target_is_planned_with_its_files_as_the_project_names_them_so_a_moved_project_folder_keeps_its_hash()
    {
        // Before, the plan, and the profiled target's hash (what its OFA0019 warning names), held the profile's and the
        // supernet's full paths: a project folder moved or copied whole (checkout and obj/ together, a CI cache restored
        // elsewhere) specialised every profiled target again, and the warning named the old folder.
        _project.Write("profiles/a53.json", "{}");
        var before = Assert.Single(_project.Planner().Plan(_project.Specs("Net.cs", Profiled), []));
        _project.Move();
        var after = Assert.Single(_project.Planner().Plan(_project.Specs("Net.cs", Profiled), []));
        Assert.Equal(before.Hash, after.Hash);
        Assert.Equal((Path.Combine("models", "net.ofa"), Path.Combine("profiles", "a53.json")), (after.Model, after.Profile));

        // The profile moved within the project is named anew, so the target is specialised again and warned of anew.
        _project.Write("profiles/moved.json", "{}");
        var moved = Assert.Single(_project.Planner().Plan(_project.Specs("Net.cs", Profiled.Replace("a53.json", "moved.json")), []));
        Assert.Equal(Path.Combine("profiles", "moved.json"), moved.Profile);
        Assert.NotEqual(after.Hash, moved.Hash);
    }

    [Fact]
    public void A_file_is_named_relative_to_the_project_folder_unless_written_rooted()
    {
        // Found beside a source in src/, by a path that climbs out of src/: relative to the project folder, not to the source.
        _project.Write("profiles/a53.json", "{}");
        var specs = SpecDiscovery.FromFile(_project.Write("src/Net.cs", ""), Profiled.Replace("profiles/a53.json", "../profiles/a53.json"));
        Assert.Equal(Path.Combine("profiles", "a53.json"), Assert.Single(_project.Planner().Plan(specs, [])).Profile);
        // Written rooted: the user chose the full path, and it is kept.
        string rooted = Path.Combine(_project.Dir, "profiles", "a53.json");
        Assert.Equal(rooted, Assert.Single(Plan(Profiled.Replace("profiles/a53.json", rooted)).Planned).Profile);
    }

    [Fact]
    public void The_hash_covers_the_budget_and_the_supernet_and_nothing_else()
    {
        var first = HashOf("LatencyMs = 1");
        Assert.Equal(first, HashOf("LatencyMs = 1"));
        Assert.NotEqual(first, HashOf("LatencyMs = 2"));
        _project.Write("models/net.ofa", "retrained");
        Assert.NotEqual(first, HashOf("LatencyMs = 1"));
    }

    [Theory]
    [InlineData("Adaptive = true", 3)]
    [InlineData("Adaptive = true, Levels = 4", 4)]
    [InlineData("Adaptive = false", null)]
    [InlineData("", null)]
    public void Adaptive_plans_a_ladder_of_levels_and_a_fixed_target_none(string adaptive, int? levels)
    {
        var (planned, planner) = PlanHost("LatencyMs = 1" + (adaptive.Length > 0 ? ", " + adaptive : ""));
        Assert.Empty(planner.Errors);
        Assert.Equal(levels, Assert.Single(planned).Levels);
    }

    [Theory]
    [InlineData("LatencyMs = Budgets.Pi3", "OFA0004", "LatencyMs = Budgets.Pi3 is not a number the build can read")]
    [InlineData("LatencyMs = 1, MaxMFlops = Limits.Cap", "OFA0004", "MaxMFlops = Limits.Cap is not a number the build can read")]
    [InlineData("LatencyMs = 1, Adaptive = true, Levels = Rungs.Many", "OFA0017", "Levels = Rungs.Many is not a number the build can read")]
    public void A_number_argument_that_is_not_a_literal_is_an_error_not_dropped(string arguments, string code, string message)
    {
        // Dropped, MaxMFlops would search without its cap and Levels would give the default ladder, with no word.
        var (planned, planner) = PlanHost(arguments);
        Assert.Empty(planned);
        Assert.Contains(message, Single(planner, code).Message);
    }

    [Theory]
    [InlineData("LatencyMs", "2,5", "OFA0004")]
    [InlineData("MaxMFlops", "lots", "OFA0004")]
    [InlineData("Levels", "three", "OFA0017")]
    public void An_item_number_that_is_not_a_number_is_an_error_not_dropped(string name, string value, string code)
    {
        var item = _project.Item("cortex-a72", "App.Net", "2");
        item.SetMetadata("Adaptive", "true");
        item.SetMetadata(name, value);
        var (planned, planner) = Plan("[OfaModel(\"models/net.ofa\")] partial class Net;", item);
        Assert.Empty(planned);
        Assert.Contains($"{name}=\"{value}\" is not a number the build can read", Single(planner, code).Message);
    }

    [Fact]
    public void An_item_is_adaptive_like_an_attribute()
    {
        var item = _project.Item("cortex-a72", "App.Net", "2");
        item.SetMetadata("Adaptive", "true");
        item.SetMetadata("Levels", "2");
        var bad = _project.Item("host", "App.Net", "1");
        bad.SetMetadata("Adaptive", "yes");
        var (planned, planner) = Plan("[OfaModel(\"models/net.ofa\")] partial class Net;", item, bad);
        Assert.Equal(2, Assert.Single(planned).Levels);
        Assert.Contains("Adaptive is 'yes'", Single(planner, "OFA0017").Message);
    }

    [Fact]
    public void Adaptive_changes_the_hash_and_a_fixed_target_keeps_its_hash()
    {
        var fixedHash = HashOf("LatencyMs = 1");
        Assert.Equal(fixedHash, HashOf("LatencyMs = 1, Adaptive = false"));
        var adaptive = HashOf("LatencyMs = 1, Adaptive = true");
        Assert.NotEqual(fixedHash, adaptive);
        Assert.NotEqual(adaptive, HashOf("LatencyMs = 1, Adaptive = true, Levels = 4"));
    }
}
