using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using OfaBuild.Contracts;
using OfaBuild.Core.Specialization;

namespace OfaBuild.Tasks.Tests;

/// <summary>
/// A warning the tool gave a target (OFA0019) is repeated by every build that finds the target up to date, though no tool
/// runs. The `ofa` stand-in "specialises" as RidPlanningTests' does, and also writes the stamp and the warnings file the
/// real tool writes (PlanRunner); shell scripts with file modes: Unix only.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class RepeatedWarningsTests : IDisposable
{
    private const string Source = "[OfaModel(\"models/net.ofa\")][OfaTarget(\"cortex-a53\", LatencyMs = 4, Profile = \"profiles/a53.json\")] partial class Net;";
    private const string Message = "[OfaTarget(\"cortex-a53\")] on Net: Latency profile 'profiles/a53.json' says device 'cortex-a53' and was measured on linux-x64 (test)";

    private readonly ProjectFolder _project = new();
    private string Plans => Path.Combine(_project.Dir, "plans");
    private string Output => Path.Combine(_project.Obj, "Net");

    public RepeatedWarningsTests()
    {
        _project.Write("profiles/a53.json", "hashed, never read here");
        Directory.CreateDirectory(Plans);
        Directory.CreateDirectory(Output);
        _project.Write("staged/cortex-a53.json", (ManifestContractTests.Sample with { Target = "cortex-a53", Onnx = "cortex-a53.onnx", RuntimeIdentifiers = ["linux-arm64"] }).ToJson());
        _project.Write("staged/cortex-a53.onnx", "model bytes");
        _project.Write("staged/cortex-a53.warnings", TargetWarnings.Format([new TargetWarning(DiagnosticIds.ProfileOfAnotherDevice, Message)]));
        var tool = _project.Write(Path.Combine("tools", RuntimeInformation.RuntimeIdentifier, "ofa"), $"""
            #!/bin/sh
            cp "$3" "{Plans}/$(ls "{Plans}" | wc -l).json"
            cp "{_project.Dir}/staged/cortex-a53.json" "{_project.Dir}/staged/cortex-a53.onnx" "{_project.Dir}/staged/cortex-a53.warnings" "{Output}/"
            printf %s "$(sed -n 's/.*"hash": "\(.*\)".*/\1/p' "$3")" > "{Output}/cortex-a53.stamp"
            """);
        File.SetUnixFileMode(tool, File.GetUnixFileMode(tool) | UnixFileMode.UserExecute);
    }

    public void Dispose() => _project.Dispose();

    private (RecordingEngine Engine, bool Ok) Build(string source = Source)
    {
        var engine = new RecordingEngine();
        return (engine, _project.TaskWithStandIn(engine, source).Execute());
    }

    private int PlansGiven => Directory.GetFiles(Plans).Length;

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
}
