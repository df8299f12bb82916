using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Build.Framework;
using OfaBuild.Core;

namespace OfaBuild.Tool.Reporting;

/// <summary>
/// A project as MSBuild evaluates it for the build's OfaSpecialize task (build/OfaBuild.targets): its folder
/// ($(MSBuildProjectDirectory), the task's ProjectDirectory), its @(Compile) and @(OfaTarget) items (the task's Sources and
/// TargetItems), with Directory.Build.props, imports, conditions, /p: properties and the environment applied.
/// </summary>
public sealed record EvaluatedProject(string File, string Directory, IReadOnlyList<ITaskItem> Compile, IReadOnlyList<ITaskItem> Targets)
{
    /// <summary>What MSBuild warned of while evaluating (MSB4011 for a file imported twice...), one line each, for the user to see.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>$(OfaEnabled) as the project sets it; "" when it does not (the package's props, read only after a restore, default it to true).</summary>
    public string OfaEnabled { get; init; } = "";

    /// <summary>$(RuntimeIdentifier): the build specialises only the targets that run on it (<see cref="Contracts.CatalogDevices.Fits"/>), and refuses one ONNX Runtime cannot run (<see cref="Contracts.OnnxRuntimeRids.Refusal"/>).</summary>
    public string RuntimeIdentifier { get; init; } = "";
}

/// <summary>
/// Asks the .NET SDK's MSBuild for the <see cref="EvaluatedProject"/>: `dotnet msbuild PROJECT -getItem:... -getProperty:...`
/// evaluates without a restore or a build, and prints the items and properties as JSON. Run in the project's folder, so its
/// global.json picks the SDK its build uses.
/// </summary>
public static class ProjectEvaluation
{
    private const string CompileItem = "Compile", TargetItem = "OfaTarget", DirectoryProperty = "MSBuildProjectDirectory",
        EnabledProperty = "OfaEnabled", RidProperty = "RuntimeIdentifier";

    /// <param name="project">A project file, or a folder with exactly one .csproj.</param>
    /// <param name="properties">Name=Value global properties, as `dotnet build -p:` takes them.</param>
    public static EvaluatedProject Of(string project, IReadOnlyList<string> properties)
    {
        string file = ProjectFile(project);
        string[] args = ["msbuild", file, "-nologo", $"-getItem:{CompileItem}", $"-getItem:{TargetItem}", $"-getProperty:{DirectoryProperty}", $"-getProperty:{EnabledProperty}", $"-getProperty:{RidProperty}",
            .. properties.Select(p => "-p:" + p)];
        var (exit, stdout, stderr) = Run(args, Path.GetDirectoryName(file)!);
        if (exit != 0)
        {
            var lines = (stderr.Trim().Length > 0 ? stderr : stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            throw new OfaException($"MSBuild could not evaluate {file} (`dotnet {string.Join(' ', args)}` exited with {exit}):\n  {string.Join("\n  ", lines)}\n" +
                "Fix the project (its build fails the same way), or pass --target DEVICE=MS instead of --project.");
        }
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        var props = root.GetProperty("Properties");
        return new EvaluatedProject(file, props.GetProperty(DirectoryProperty).GetString()!, Items(root, CompileItem), Items(root, TargetItem))
        {
            OfaEnabled = props.GetProperty(EnabledProperty).GetString() ?? "",
            RuntimeIdentifier = props.GetProperty(RidProperty).GetString() ?? "",
            // With -getItem MSBuild prints only the JSON on stdout; what it warns of goes to stderr.
            Warnings = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
    }

    /// <summary>The project file given, or the folder's one .csproj.</summary>
    private static string ProjectFile(string project)
    {
        if (File.Exists(project)) return Path.GetFullPath(project);
        if (!Directory.Exists(project))
            throw new OfaException($"Project '{project}' is neither a project file nor a folder; give the app's .csproj (or its folder) whose targets to mark.");
        var files = Directory.GetFiles(project, "*.csproj").Order(StringComparer.Ordinal).ToArray();
        return files.Length switch
        {
            1 => Path.GetFullPath(files[0]),
            0 => throw new OfaException($"Folder '{project}' has no .csproj file; give --project the app's .csproj whose targets to mark."),
            _ => throw new OfaException($"Folder '{project}' has {files.Length} project files ({string.Join(", ", files.Select(Path.GetFileName))}); " +
                $"give --project the one to report, e.g. --project {files[0]}."),
        };
    }

    private static List<ITaskItem> Items(JsonElement root, string type) =>
        root.TryGetProperty("Items", out var items) && items.TryGetProperty(type, out var list)
            ? list.EnumerateArray().Select(i => (ITaskItem)new EvaluatedItem(i.GetProperty("Identity").GetString()!,
                i.EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetString() ?? ""))).ToList()
            : [];

    private static (int Exit, string Stdout, string Stderr) Run(IEnumerable<string> args, string workingDirectory)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(psi)!; }
        catch (Win32Exception e)
        {
            throw new OfaException($"`dotnet` could not be started ({e.Message}): `ofa report --project` asks the .NET SDK's MSBuild for the project's targets. " +
                "Put the .NET SDK's dotnet on PATH, or pass --target DEVICE=MS instead of --project.");
        }
        using var p = process;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
