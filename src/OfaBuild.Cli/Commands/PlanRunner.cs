using System.Text.Json;
using OfaBuild.Contracts;
using OfaBuild.Core.IO;
using OfaBuild.Core.Specialization;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// Runs a build's <see cref="SpecializationPlan"/>: targets in parallel, each writing its stamp last.
/// Errors use MSBuild's canonical format (file(line,col): error OFA0002: ...), so the build shows them
/// at the [OfaTarget] (or &lt;OfaTarget&gt; item) that caused them, named as written (<see cref="PlannedTarget.Subject"/>).
/// </summary>
internal static class PlanRunner
{
    /// <summary>The tool's own run of a plan: in the plan's project folder (<see cref="SpecializationPlan.ProjectDirectory"/>).</summary>
    public static int Run(string planPath, CancellationToken cancel) => Run(planPath, OfaPackageFile.Read, cancel, enterProjectFolder: true);

    /// <param name="read">Reads a supernet (<see cref="OfaPackageFile.Read"/>; a test can watch it).</param>
    /// <param name="enterProjectFolder">
    /// Whether the plan's project folder becomes the working directory, where its targets' paths (as the project names
    /// them) find their files and the messages name them so: the tool's own process, which runs this plan alone, does; a
    /// test in its host process gives full paths instead.
    /// </param>
    internal static int Run(string planPath, Func<string, OfaPackageFile> read, CancellationToken cancel, bool enterProjectFolder = false)
    {
        SpecializationPlan plan;
        try
        {
            plan = SpecializationPlan.FromJson(File.ReadAllText(planPath));
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            Console.Error.WriteLine($"{planPath}: error {DiagnosticIds.ToolProblem}: cannot read the specialization plan: {ex.Message}");
            return 1;
        }
        if (plan.Format != SpecializationPlan.FormatId)
        {
            Console.Error.WriteLine($"{planPath}: error {DiagnosticIds.ToolProblem}: plan format '{plan.Format}' is not '{SpecializationPlan.FormatId}'; the OfaBuild task and tool versions differ.");
            return 1;
        }
        if (enterProjectFolder && plan.ProjectDirectory is { } folder)
        {
            try
            {
                Directory.SetCurrentDirectory(folder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"{planPath}: error {DiagnosticIds.ToolProblem}: cannot enter the project folder '{folder}', which the plan's paths are relative to: {ex.Message} Build the project again to write a new plan.");
                return 1;
            }
        }

        // Errors name the target as written (its Profile as the attribute or the item writes it), not a command line.
        var builtin = Core.Devices.DeviceCatalog.Builtin();
        var (forAttribute, forItem) = (builtin.ForBuild(), builtin.ForBuild(item: true));
        int failures = 0;
        var console = new object();
        void Say(string line) { lock (console) Console.WriteLine(line); }
        // Each supernet is read once, for all its targets, which share it (Specializer.Run only reads it). One that cannot
        // be read is one mistake: one error per class, at its [OfaModel] (an older plan's: at its first target), not one per target.
        var supernets = plan.Targets.Select(t => t.Model).Distinct().ToDictionary(m => m, m => new Lazy<(OfaPackageFile? File, string? Problem)>(() => TryRead(m, read)));
        var firstOfClass = plan.Targets.GroupBy(t => t.ClassName).ToDictionary(g => g.Key, g => g.First());
        try
        {
            Parallel.ForEach(plan.Targets, new ParallelOptions { CancellationToken = cancel, MaxDegreeOfParallelism = Environment.ProcessorCount }, t =>
            {
                try
                {
                    var (supernet, problem) = supernets[t.Model].Value;
                    if (supernet is null)
                    {
                        Interlocked.Increment(ref failures);
                        if (firstOfClass[t.ClassName] == t)
                            Say($"{(t.ModelSourceFile is null ? $"{t.SourceFile}({t.Line},{t.Column})" : $"{t.ModelSourceFile}({t.ModelLine},{t.ModelColumn})")}: error {DiagnosticIds.SpecializeFailed}: [OfaModel] on {t.ClassName} (none of its targets is specialised): {problem}");
                        return;
                    }
                    // The stamp goes only when the outputs are about to be replaced (beforeWriting): it holds the hash of
                    // the inputs its outputs were made from, so until then it is still true of them, and a run that fails
                    // before writing (an unreadable supernet, since restored) leaves the target fresh for those inputs.
                    var warnings = new List<TargetWarning>();
                    void Warn(TargetWarning w)
                    {
                        warnings.Add(w);
                        Say($"{t.SourceFile}({t.Line},{t.Column}): warning {w.Code}: {w.Message}");
                    }
                    var r = Specializer.Run(new SpecializeRequest(t.Model, t.Device, t.LatencyMs, t.OutputDir, t.Profile, t.MaxMFlops, Name: t.Name, Precision: t.Precision, Levels: t.Levels),
                        supernet, t.FromItem ? forItem : forAttribute, log: line => Say($"{t.ClassName}: {line}"), beforeWriting: () => File.Delete(t.StampPath),
                        warn: w => Warn(new TargetWarning(DiagnosticIds.ProfileOfAnotherDevice, $"{t.Subject}: {w}")));
                    cancel.ThrowIfCancellationRequested();
                    // Before the stamp: a build that finds the target fresh runs no tool and repeats these (the task's RepeatWarnings).
                    if (warnings.Count > 0) AtomicFile.WriteAllBytes(t.WarningsPath, System.Text.Encoding.UTF8.GetBytes(TargetWarnings.Format(warnings)));
                    else File.Delete(t.WarningsPath);
                    AtomicFile.WriteAllBytes(t.StampPath, System.Text.Encoding.UTF8.GetBytes(t.Hash));
                    Say($"{t.ClassName}: {t.Name}: {LatencyText.Ms(r.Manifest.PredictedLatencyMs)} predicted ({r.Manifest.TableKind}), budget {LatencyText.Budget(t.LatencyMs)}, {r.Manifest.Precision} -> {r.OnnxPath}");
                }
                catch (OfaException ex)
                {
                    Interlocked.Increment(ref failures);
                    Say($"{t.SourceFile}({t.Line},{t.Column}): error {DiagnosticIds.SpecializeFailed}: {t.Subject}: {ex.Message}");
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Interlocked.Increment(ref failures);
                    Say($"{t.SourceFile}({t.Line},{t.Column}): error {DiagnosticIds.SpecializeFailed}: {t.Subject}: cannot write the outputs in {t.OutputDir}: {ex.Message}");
                }
            });
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("ofa specialize: cancelled.");
            return 130;
        }
        return failures == 0 ? 0 : 1;
    }

    /// <summary>The supernet <paramref name="model"/>, or why it cannot be read.</summary>
    private static (OfaPackageFile? File, string? Problem) TryRead(string model, Func<string, OfaPackageFile> read)
    {
        try
        {
            return (read(model), null);
        }
        catch (Exception ex) when (ex is OfaException or IOException or UnauthorizedAccessException)
        {
            return (null, ex.Message);
        }
    }
}
