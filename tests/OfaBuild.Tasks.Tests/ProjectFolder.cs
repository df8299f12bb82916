using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace OfaBuild.Tasks.Tests;

/// <summary>A throw-away project folder with source files and a (fake) supernet, as the task sees a project.</summary>
internal sealed class ProjectFolder : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("ofabuild-tasks-").FullName;
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
