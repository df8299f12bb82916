using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace OfaBuild.Tasks.Tests;

/// <summary>A throw-away project folder with source files and a (fake) supernet, as the task sees a project.</summary>
internal sealed class ProjectFolder : IDisposable
{
    public string Dir { get; private set; } = Directory.CreateTempSubdirectory("ofabuild-tasks-").FullName;
    public string Obj => Path.Combine(Dir, "obj", "ofa");

    public ProjectFolder()
    {
        Directory.CreateDirectory(Path.Combine(Dir, "models"));
        File.WriteAllText(Path.Combine(Dir, "models", "net.ofa"), "the planner hashes it; it never reads it as a package");
    }

    public string Write(string relative, string text)
    {
        var path = Path.Combine(Dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Moves the whole folder (obj/ and the tool stand-in's plans with it) to a new path, as a CI cache restored elsewhere.</summary>
    public void Move()
    {
        var to = Directory.CreateTempSubdirectory("ofabuild-tasks-moved-").FullName;
        Directory.Delete(to);
        Directory.Move(Dir, to);
        Dir = to;
    }

    public IReadOnlyList<OfaClassSpec> Specs(string relative, string source) => SpecDiscovery.FromFile(Path.Combine(Dir, relative), source);

    /// <summary>The project being built (MSBuild's ProjectFileOfTaskNode); the planner names it, the tests need not write it.</summary>
    public string ProjectFile => Path.Combine(Dir, "App.csproj");

    public TargetPlanner Planner() => new(Dir, ProjectFile, Obj, "tool-identity", new ContentHash());

    /// <param name="definedIn">The project file MSBuild would name as the item's DefiningProjectFullPath; none when null.</param>
    public ITaskItem Item(string device, string cls, string latencyMs, string? profile = null, string? definedIn = null)
    {
        var item = new TaskItem(device, new Dictionary<string, string>
        {
            ["Class"] = cls,
            ["LatencyMs"] = latencyMs,
            ["Profile"] = profile ?? "",
        });
        return definedIn is null ? item : new DefinedItem(item, definedIn);
    }

    /// <summary>Where the `ofa` stand-in (<see cref="WriteStandIn"/>) keeps each plan it is given, in order.</summary>
    public string Plans => Path.Combine(Dir, "plans");
    /// <summary>Net's output folder, where the real tool writes its targets' files.</summary>
    public string NetOutput => Path.Combine(Obj, "Net");

    /// <summary>
    /// Writes the native `ofa` stand-in at tools/&lt;this RID&gt;/ofa: it keeps the plan it is given ($3) in <see cref="Plans"/>,
    /// then runs <paramref name="specialise"/> (shell lines) for the targets' outputs in <see cref="NetOutput"/>; $d is the
    /// project folder where the stand-in is (so it keeps working after <see cref="Move"/>). A script with a file mode: Unix only.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    public void WriteStandIn(string specialise)
    {
        Directory.CreateDirectory(Plans);
        Directory.CreateDirectory(NetOutput);
        var tool = Write(Path.Combine("tools", RuntimeInformation.RuntimeIdentifier, "ofa"), $"""
            #!/bin/sh
            d=$(cd "$(dirname "$0")/../.." && pwd)
            cp "$3" "$d/plans/$(ls "$d/plans" | wc -l).json"

            """ + specialise);
        File.SetUnixFileMode(tool, File.GetUnixFileMode(tool) | UnixFileMode.UserExecute);
    }

    /// <summary>
    /// The task over Net.cs, written as <paramref name="source"/>, for <paramref name="rid"/>, running the native `ofa`
    /// stand-in a test wrote at tools/&lt;this RID&gt;/ofa; <paramref name="items"/>: the project's &lt;OfaTarget&gt; items.
    /// </summary>
    public OfaSpecialize TaskWithStandIn(IBuildEngine engine, string source, string rid = "", ITaskItem[]? items = null) => new()
    {
        BuildEngine = engine,
        Sources = [new TaskItem(Write("Net.cs", source))],
        TargetItems = items ?? [],
        ProjectDirectory = Dir,
        IntermediateDirectory = Obj,
        RuntimeIdentifier = rid,
        ToolAssembly = Write("tools/any/OfaBuild.Cli.dll", "never started: the native stand-in runs"),
        NativeToolsDirectory = Path.Combine(Dir, "tools"),
        RunsNative = _ => true,
    };

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
