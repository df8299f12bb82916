using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Build.Utilities;

namespace OfaBuild.Tasks.Tests;

/// <summary>
/// Which `ofa` the task starts: the package's native executable for this machine's RID when it has one and the machine
/// can run it, else the portable tool under the dotnet host. Both stand-ins here are scripts that record how they were
/// started and fail, so the task stops right after starting one (shell scripts with file modes: Unix only, as the repository's other process tests).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ToolChoiceTests : IDisposable
{
    private readonly ProjectFolder _project = new();
    private string Log => Path.Combine(_project.Dir, "started.txt");

    public void Dispose() => _project.Dispose();

    private string Script(string relative)
    {
        var path = _project.Write(relative, $"#!/bin/sh\necho \"$0 $*\" >> \"{Log}\"\nexit 3\n");
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        return path;
    }

    private string NativeTool() => Script(Path.Combine("tools", RuntimeInformation.RuntimeIdentifier, "ofa"));

    private (bool Ok, string Started) Specialise(bool runsNative)
    {
        var source = _project.Write("Net.cs", "[OfaModel(\"models/net.ofa\")][OfaTarget(\"cortex-a53\", LatencyMs = 4)] partial class Net;");
        var task = new OfaSpecialize
        {
            BuildEngine = new RecordingEngine(),
            Sources = [new TaskItem(source)],
            ProjectDirectory = _project.Dir,
            IntermediateDirectory = _project.Obj,
            ToolAssembly = _project.Write("tools/any/OfaBuild.Cli.dll", "started by the dotnet host, never read here"),
            NativeToolsDirectory = Path.Combine(_project.Dir, "tools"),
            DotnetHost = Script("host/dotnet"),
            RunsNative = _ => runsNative,
        };
        bool ok = task.Execute();
        return (ok, File.Exists(Log) ? File.ReadAllText(Log).Trim() : "");
    }

    [Fact]
    public void The_native_tool_for_this_rid_runs_the_plan_itself()
    {
        string native = NativeTool();
        var (ok, started) = Specialise(runsNative: true);
        Assert.False(ok); // the stand-in exits 3
        Assert.Equal($"{native} specialize --plan {Path.Combine(_project.Obj, "plan.json")}", started);
    }

    [Fact]
    public void Without_a_native_tool_the_dotnet_host_runs_the_portable_one()
    {
        var (_, started) = Specialise(runsNative: true);
        Assert.Equal($"{Path.Combine(_project.Dir, "host", "dotnet")} {Path.Combine(_project.Dir, "tools", "any", "OfaBuild.Cli.dll")} specialize --plan {Path.Combine(_project.Obj, "plan.json")}", started);
    }

    [Fact]
    public void A_native_tool_this_machine_cannot_run_is_passed_over()
    {
        NativeTool();
        var (_, started) = Specialise(runsNative: false);
        Assert.StartsWith(Path.Combine(_project.Dir, "host", "dotnet") + " ", started);
    }

    [Fact]
    public void A_native_tool_restored_without_its_execute_bit_gets_it()
    {
        var path = _project.Write("tools/ofa", "a native executable as a NuGet restore leaves it");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        bool runs = ToolChoice.CanRunNative(path);
        Assert.Equal(ToolChoice.CpuHasInstructionSet, runs);
        Assert.Equal(runs, (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0);
    }
}
