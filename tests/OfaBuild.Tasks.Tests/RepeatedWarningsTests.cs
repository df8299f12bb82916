using System.Runtime.Versioning;
using Microsoft.Build.Framework;
using OfaBuild.Contracts;

namespace OfaBuild.Tasks.Tests;

/// <summary>
/// A warning the tool gave a target (OFA0019) is repeated by every build that finds the target up to date, though no tool
/// runs. The `ofa` stand-in "specialises" as RidPlanningTests' does, and also writes the stamp and the warnings file the
/// real tool writes (PlanRunner) and prints those warnings as it does, naming the profile as the plan does (the path as
/// the project names it, which the real tool, run in the project folder, names too); shell scripts with file modes: Unix only.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class RepeatedWarningsTests : IDisposable
{
    private const string Source = "[OfaModel(\"models/net.ofa\")][OfaTarget(\"cortex-a53\", LatencyMs = 4, Profile = \"profiles/a53.json\")] partial class Net;";
    /// <summary>The tool's warning, the plan's profile for <see cref="PlansProfile"/> (TableDevice words it so).</summary>
    private const string Warning = "[OfaTarget(\"cortex-a53\")] on Net: Latency profile '" + PlansProfile + "' says device 'cortex-a53' and was measured on linux-x64 (test)";
    private const string PlansProfile = "@PROFILE@";
    private static readonly string Message = Warning.Replace(PlansProfile, "profiles/a53.json");

    private readonly ProjectFolder _project = new();
    private string Output => _project.NetOutput;

    public RepeatedWarningsTests()
    {
        _project.Write("profiles/a53.json", "hashed, never read here");
        _project.Write("staged/cortex-a53.json", (ManifestContractTests.Sample with { Target = "cortex-a53", Onnx = "cortex-a53.onnx", RuntimeIdentifiers = ["linux-arm64"] }).ToJson());
        _project.Write("staged/cortex-a53.onnx", "model bytes");
        ToolWillWarn(Warning);
        string output = Path.GetRelativePath(_project.Dir, Output);
        _project.WriteStandIn($"""
            profile=$(sed -n 's/.*"profile": "\(.*\)".*/\1/p' "$3")
            cp "$d/staged/cortex-a53.json" "$d/staged/cortex-a53.onnx" "$d/{output}/"
            sed "s|{PlansProfile}|$profile|" "$d/staged/cortex-a53.warnings" > "$d/{output}/cortex-a53.warnings"
            sed "s|^|$d/Net.cs(1,1): warning |" "$d/{output}/cortex-a53.warnings"
            printf %s "$(sed -n 's/.*"hash": "\(.*\)".*/\1/p' "$3")" > "$d/{output}/cortex-a53.stamp"
            """);
    }

    public void Dispose() => _project.Dispose();

    private (RecordingEngine Engine, bool Ok) Build(string source = Source, ITaskItem[]? items = null)
    {
        var engine = new RecordingEngine();
        return (engine, _project.TaskWithStandIn(engine, source, items: items).Execute());
    }

    /// <summary>What the stand-in will say of the target when it next specialises it, as the real tool words it for the inputs it is given (<see cref="PlansProfile"/>: the plan's profile).</summary>
    private void ToolWillWarn(string message) =>
        File.WriteAllText(Path.Combine(_project.Dir, "staged", "cortex-a53.warnings"), TargetWarnings.Format([new TargetWarning(DiagnosticIds.ProfileOfAnotherDevice, message)]));

    /// <summary>The build's only warning, which must be <paramref name="message"/>.</summary>
    private static void AssertWarns(string message, (RecordingEngine Engine, bool Ok) build)
    {
        Assert.True(build.Ok, string.Join(" | ", build.Engine.Errors.Select(e => e.Message)));
        var warning = Assert.Single(build.Engine.Warnings);
        Assert.Equal((DiagnosticIds.ProfileOfAnotherDevice, message), (warning.Code, warning.Message));
    }

    private int PlansGiven => Directory.GetFiles(_project.Plans).Length;

    [Fact]
    public void An_up_to_date_target_repeats_its_warning_at_the_target_without_running_the_tool()
    {
        // Before, only the build that specialised showed OFA0019; every later build ran no tool and said nothing, so a
        // target searched on another device's table shipped without a word from then on.
        var target = Assert.Single(_project.Planner().Plan(_project.Specs("Net.cs", Source), []));
        var first = Build();
        Assert.True(first.Ok, string.Join(" | ", first.Engine.Errors.Select(e => e.Message)));
        Assert.Equal(1, PlansGiven);
        Assert.True(File.Exists(target.StampPath)); // the stand-in's stamp holds the planner's hash

        // No-op build: state.json's outputs, no tool.
        var noOp = Build();
        Assert.True(noOp.Ok);
        Assert.Equal(1, PlansGiven);
        var warning = Assert.Single(noOp.Engine.Warnings);
        Assert.Equal((DiagnosticIds.ProfileOfAnotherDevice, Message), (warning.Code, warning.Message));
        Assert.Equal((_project.Dir + "/Net.cs", target.Line, target.Column), (warning.File, warning.LineNumber, warning.ColumnNumber));

        // A source edit that leaves the target as it was: the plan is made again, the target is fresh, no tool runs.
        var edited = Build(Source + " // edited");
        Assert.True(edited.Ok);
        Assert.Equal(1, PlansGiven);
        Assert.Equal((DiagnosticIds.ProfileOfAnotherDevice, Message), (Assert.Single(edited.Engine.Warnings).Code, edited.Engine.Warnings[0].Message));
    }

    [Fact]
    public void A_target_specialised_without_a_warning_repeats_none()
    {
        File.WriteAllText(Path.Combine(_project.Dir, "staged", "cortex-a53.warnings"), "");
        Assert.True(Build().Ok);
        Assert.Empty(Build().Engine.Warnings);
        Assert.Empty(Build(Source + " // edited").Engine.Warnings);
    }

    [Fact]
    public void A_profile_moved_with_the_same_content_is_specialised_again_so_the_warning_names_the_new_file()
    {
        // Before, the target's hash held the profile's content only: after the move it stayed fresh, and every build
        // repeated a warning that named the old file, and told the user to fix a Profile the project no longer had.
        Assert.True(Build().Ok);
        File.Move(Path.Combine(_project.Dir, "profiles", "a53.json"), Path.Combine(_project.Dir, "profiles", "moved.json"));
        string moved = Source.Replace("profiles/a53.json", "profiles/moved.json");
        string message = Warning.Replace(PlansProfile, "profiles/moved.json"); // the stand-in words it from the plan

        AssertWarns(message, Build(moved));
        Assert.Equal(2, PlansGiven);
        AssertWarns(message, Build(moved)); // and the no-op build after it repeats the new text
        Assert.Equal(2, PlansGiven);
    }

    [Fact]
    public void An_attribute_made_an_item_with_the_same_values_is_specialised_again_so_the_warning_is_worded_for_the_item()
    {
        // Before, how the target was declared was not in its hash: the item's target stayed fresh, and every build
        // repeated the attribute's wording (its subject and its fix, [OfaTarget(...)]) at the item.
        Assert.True(Build().Ok);
        string itemWarning = TargetWording.Subject(true, "cortex-a53", "Net") + ": Latency profile '" + PlansProfile + "' says device 'cortex-a53' and was measured on linux-x64 (test)";
        ToolWillWarn(itemWarning);
        string itemMessage = itemWarning.Replace(PlansProfile, "profiles/a53.json");
        string noAttribute = "[OfaModel(\"models/net.ofa\")] partial class Net;";
        ITaskItem[] item = [_project.Item("cortex-a53", "Net", "4", "profiles/a53.json")];

        AssertWarns(itemMessage, Build(noAttribute, item));
        Assert.Equal(2, PlansGiven);
        AssertWarns(itemMessage, Build(noAttribute, item));
        Assert.Equal(2, PlansGiven);
    }

    [Fact]
    public void A_project_folder_moved_whole_specialises_nothing_and_repeats_the_warning_naming_the_profile_as_the_project_does()
    {
        // Before, a profiled target's hash held the full paths its warning named: the project folder moved or copied with
        // its obj/ (a CI cache restored elsewhere, a renamed folder) specialised the target again, though nothing the user
        // wrote had changed. The stand-in and plans folder move with it; a tool run would be a second plan.
        Assert.True(Build().Ok);
        _project.Move();

        var moved = Build();
        AssertWarns(Message, moved);
        Assert.Equal(1, PlansGiven);
        Assert.Equal(_project.Dir + "/Net.cs", moved.Engine.Warnings[0].File); // at the target, where it is now
        AssertWarns(Message, Build()); // and the no-op build after it
        Assert.Equal(1, PlansGiven);
    }
}
