using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using OfaBuild.Contracts;
using OfaBuild.Core.Specialization;

namespace OfaBuild.Tasks;

/// <summary>
/// The build step: finds [OfaModel]/[OfaTarget] specs (and &lt;OfaTarget&gt; items), decides which targets are
/// stale from a hash of (supernet, spec, device table, tool), runs `ofa specialize --plan` out of process for
/// those only, and returns the ONNX models to embed and their manifests for the source generator (with OfaEmbedded
/// metadata, so it knows the build ran). With a RuntimeIdentifier, a target whose device runs on other RIDs is not
/// specialised at all (<see cref="RidFilter.Specialises"/>); the generator gets its name instead. Thin on purpose:
/// all heavy work is in the `ofa` tool.
/// </summary>
public sealed class OfaSpecialize : ToolTask
{
    [Required] public ITaskItem[] Sources { get; set; } = [];
    public ITaskItem[] TargetItems { get; set; } = [];
    [Required] public string ProjectDirectory { get; set; } = "";
    /// <summary>
    /// The project being built ($(MSBuildProjectFullPath)): where errors about it as a whole, and about an &lt;OfaTarget&gt;
    /// item that names no file defining it, are reported. MSBuild's ProjectFileOfTaskNode is the file that calls the task
    /// (the package's .targets), the fallback when this is not set.
    /// </summary>
    public string ProjectFile { get; set; } = "";
    /// <summary>obj/.../ofa: outputs, stamps, plan and state live here.</summary>
    [Required] public string IntermediateDirectory { get; set; } = "";
    public string RuntimeIdentifier { get; set; } = "";
    /// <summary>Path of the portable build-host `ofa` tool, OfaBuild.Cli.dll (the package's tools/net10.0/any/).</summary>
    [Required] public string ToolAssembly { get; set; } = "";
    /// <summary>The package's folder of native tools, one per RID (tools/net10.0/&lt;RID&gt;/ofa); this machine's is used when it exists.</summary>
    public string NativeToolsDirectory { get; set; } = "";
    /// <summary>The dotnet host running the tool ($(DOTNET_HOST_PATH)); "dotnet" from PATH when empty.</summary>
    public string DotnetHost { get; set; } = "";
    /// <summary>
    /// A design-time build (the IDE's): nothing is parsed, searched or run; the outputs the last build made (state.json),
    /// if any, are handed on, so the generator gives the IDE the wrapper as built rather than OFA0014's empty one.
    /// </summary>
    public bool DesignTime { get; set; }

    [Output] public ITaskItem[] EmbeddedModels { get; private set; } = [];
    [Output] public ITaskItem[] Manifests { get; private set; } = [];
    [Output] public ITaskItem[] FileWrites { get; private set; } = [];
    /// <summary>The targets the RuntimeIdentifier left out unspecialised, for the source generator (<see cref="RidExcludedTargets"/>).</summary>
    [Output] public string ExcludedTargets { get; private set; } = "";

    private string _planPath = "";
    private ToolChoice? _chosen;

    /// <summary>Which `ofa` runs (native or portable); <see cref="ToolChoice.CanRunNative"/> unless a test says otherwise.</summary>
    internal Func<string, bool> RunsNative { get; init; } = ToolChoice.CanRunNative;
    private ToolChoice Chosen => _chosen ??= ToolChoice.For(NativeToolsDirectory, ToolAssembly, DotnetHost, RunsNative);

    protected override string ToolName => Chosen.IsNative ? Path.GetFileName(Chosen.Program) : "dotnet";
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.High;
    protected override string GenerateFullPathToTool() => Chosen.Program;
    protected override string GenerateCommandLineCommands() => Chosen.Arguments($"specialize --plan \"{_planPath}\"");

    public override bool Execute()
    {
        string intermediate = Path.GetFullPath(IntermediateDirectory);
        string statePath = Path.Combine(intermediate, "state.json");
        if (DesignTime)
        {
            if (BuildState.Load(statePath) is { } last && last.OutputsExist()) Emit(last.Outputs);
            return true;
        }
        if (!File.Exists(Chosen.ToolFile))
        {
            Log.LogError(null, DiagnosticIds.ToolProblem, null, null, 0, 0, 0, 0, $"The OfaBuild tool '{Chosen.ToolFile}' does not exist; restore the OfaBuild package or set OfaToolAssembly.");
            return false;
        }
        Directory.CreateDirectory(intermediate);
        string toolIdentity = ToolIdentity();
        // Only files that mention the attributes matter: editing any other file keeps the no-op fast path.
        var specFiles = SpecDiscovery.SourceFiles(Sources)
            .Select(p => (Path: p, Text: File.ReadAllText(p)))
            .Where(f => f.Text.Contains(OfaAttributeNames.Model, StringComparison.Ordinal) || f.Text.Contains(OfaAttributeNames.Target, StringComparison.Ordinal))
            .ToArray();
        var items = TargetItems.Select(TargetItem.Fingerprint).ToArray();
        if ((specFiles.Length > 0 || items.Length > 0) && OnnxRuntimeRids.Refusal(RuntimeIdentifier) is { } ridError)
        {
            Log.LogError(null, DiagnosticIds.UnsupportedRid, null, Project, 0, 0, 0, 0, ridError);
            return false;
        }
        var sources = specFiles.Select(f => f.Path + "|" + ContentHash.OfText(f.Text)).ToArray();

        // No-op fast path: nothing the plan depends on changed since the last successful run.
        var state = BuildState.Load(statePath);
        if (state is not null && state.OutputsExist() &&
            state.Fingerprint == BuildState.ComputeFingerprint(sources, items, RuntimeIdentifier, toolIdentity, state.Dependencies))
        {
            Emit(state.Outputs);
            RepeatedWarnings.Log(Log, state.Outputs);
            Log.LogMessage(MessageImportance.Low, "OfaBuild: specialised models are up to date.");
            return true;
        }

        var specs = new List<OfaClassSpec>();
        foreach (var (path, text) in specFiles) specs.AddRange(SpecDiscovery.FromFile(path, text));
        var planner = new TargetPlanner(ProjectDirectory, Project, intermediate, toolIdentity, new ContentHash());
        var planned = planner.Plan(specs, TargetItems);
        foreach (var e in planner.Errors)
            Log.LogError(null, e.Code, null, e.Location.File, e.Location.Line, e.Location.Column, 0, 0, e.Message);

        // A target the RuntimeIdentifier cannot embed is not specialised: RidFilter still says where it runs.
        var stale = planned.Where(t => RidFilter.Specialises(t, RuntimeIdentifier) && !IsFresh(t)).ToList();
        if (stale.Count > 0)
        {
            Log.LogMessage(MessageImportance.High, $"OfaBuild: specialising {stale.Count} of {planned.Count} target(s): {string.Join(", ", stale.Select(t => $"{t.ClassName}/{t.Name}"))} ({(Chosen.IsNative ? "native" : "portable")} tool {Chosen.ToolFile})");
            _planPath = Path.Combine(intermediate, "plan.json");
            File.WriteAllText(_planPath, new SpecializationPlan { ProjectDirectory = Path.GetFullPath(ProjectDirectory), Targets = stale }.ToJson());
            if (!base.Execute() || Log.HasLoggedErrors) return false;
        }
        if (Log.HasLoggedErrors) return false;

        var outputs = new List<TargetOutput>();
        foreach (var t in planned)
        {
            if (!RidFilter.Specialises(t, RuntimeIdentifier))
            {
                outputs.Add(new TargetOutput(t.ClassName, t.Name, t.OnnxPath, t.ManifestPath, [.. CatalogDevices.RuntimeIdentifiersOf(t.Device)],
                    planner.ClassLocations[t.ClassName], FromItem: t.FromItem, Specialised: false));
                continue;
            }
            string manifest = t.ManifestPath;
            try
            {
                var m = TargetManifest.Load(manifest);
                var output = new TargetOutput(t.ClassName, t.Name, t.OnnxPath, manifest,
                    m.RuntimeIdentifiers.ToArray(), planner.ClassLocations[t.ClassName],
                    m.Ladder.Count > 0 ? m.Ladder.Select(r => Path.Combine(t.OutputDir, r.Onnx)).ToArray() : null, t.FromItem, Warnings: RepeatedWarnings.Of(t));
                outputs.Add(output);
                // A stale target's warnings came from the tool's output just now; a fresh one's are repeated.
                if (!stale.Contains(t)) RepeatedWarnings.Log(Log, [output]);
            }
            catch (ManifestFormatException ex)
            {
                Log.LogError(null, DiagnosticIds.BadManifest, null, manifest, 0, 0, 0, 0, ex.Message);
            }
        }
        if (Log.HasLoggedErrors) return false;
        Emit(outputs);
        new BuildState(BuildState.ComputeFingerprint(sources, items, RuntimeIdentifier, toolIdentity, planner.Dependencies),
            planner.Dependencies.ToArray(), outputs.ToArray()).Save(statePath);
        return true;
    }

    /// <summary>Fresh = the stamp (written last by the tool) holds this target's hash and both outputs (and an adaptive target's rungs) exist.</summary>
    private static bool IsFresh(PlannedTarget t) =>
        File.Exists(t.StampPath) && File.ReadAllText(t.StampPath) == t.Hash &&
        File.Exists(t.OnnxPath) && File.Exists(t.ManifestPath) &&
        (t.Levels is null || RungsExist(t));

    private static bool RungsExist(PlannedTarget t)
    {
        try
        {
            return TargetManifest.Load(t.ManifestPath).Ladder.All(r => File.Exists(Path.Combine(t.OutputDir, r.Onnx)));
        }
        catch (ManifestFormatException)
        {
            return false; // re-specialise: the tool writes it again
        }
    }

    private void Emit(IReadOnlyList<TargetOutput> outputs)
    {
        var (embeddings, notes) = RidFilter.Apply(outputs, RuntimeIdentifier);
        foreach (var n in notes)
        {
            if (n.IsWarning) Log.LogWarning(null, n.Code, null, n.Location?.File, n.Location?.Line ?? 0, n.Location?.Column ?? 0, 0, 0, n.Text);
            else Log.LogMessage(MessageImportance.High, n.Text);
        }
        var models = new List<ITaskItem>();
        var manifests = new List<ITaskItem>();
        var writes = new List<ITaskItem>();
        var excluded = new List<(string Class, string Target)>();
        foreach (var (o, embedded) in embeddings)
        {
            if (!o.Specialised) { excluded.Add((o.ClassName, o.Name)); continue; }
            foreach (var rung in o.Rungs ?? []) writes.Add(new TaskItem(rung));
            writes.Add(new TaskItem(o.Onnx));
            writes.Add(new TaskItem(o.Manifest));
            writes.Add(new TaskItem(TargetFiles.Stamp(Path.GetDirectoryName(o.Onnx)!, o.Name)));
            writes.Add(new TaskItem(TargetFiles.Warnings(Path.GetDirectoryName(o.Onnx)!, o.Name)));
            manifests.Add(new TaskItem(o.Manifest, new Dictionary<string, string>
            {
                [ManifestItemMetadata.Class] = o.ClassName,
                [ManifestItemMetadata.Target] = o.Name,
                [ManifestItemMetadata.Embedded] = embedded ? "true" : "false",
            }));
            if (!embedded) continue;
            foreach (var onnx in o.Models)
                models.Add(new TaskItem(onnx, new Dictionary<string, string>
                {
                    ["LogicalName"] = EmbeddedModelNames.Of(o.ClassName, Path.GetFileName(onnx)),
                    ["WithCulture"] = "false",
                    ["Type"] = "Non-Resx",
                }));
        }
        EmbeddedModels = models.ToArray();
        Manifests = manifests.ToArray();
        FileWrites = writes.ToArray();
        ExcludedTargets = RidExcludedTargets.Join(excluded);
    }

    private string Project => ProjectFile.Length > 0 ? ProjectFile : BuildEngine?.ProjectFileOfTaskNode ?? ProjectDirectory;

    /// <summary>
    /// The tool's identity: a change to the tool or its device catalog (embedded in Core) re-specialises. The portable
    /// tool's files identify the native one too (both are built from the same sources by the same pack, with the same
    /// outputs), and hashing them costs every no-op build a fifth of what the 10 MB executable would.
    /// </summary>
    private string ToolIdentity()
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(ToolAssembly))!;
        var hash = new ContentHash();
        return string.Join(",", new[] { ToolAssembly, Path.Combine(dir, "OfaBuild.Core.dll") }.Where(File.Exists).Select(hash.OfFile));
    }
}
