using System.Globalization;
using System.Text;
using OfaBuild.Contracts;
using OfaBuild.Core.Latency;
using OfaBuild.Core.Search;

namespace OfaBuild.Tool.Reporting;

/// <summary>report.md: per device (and latency table), the table kind, the Pareto front and the targets with their chosen subnets, next to the plot.</summary>
public static class MarkdownReport
{
    public static string Render(string packagePath, IReadOnlyList<(DeviceReport Report, string Png)> devices, ReportOptions options,
        IReadOnlyList<ReportTarget> unplotted)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(inv, $"# OFA report: {Path.GetFileName(packagePath)}").AppendLine();
        md.AppendLine(string.Create(inv, $"Accuracy is the package's accuracy predictor (predicted top-1), latency the device's latency table (predicted, batch 1). " +
            $"Cloud: {options.CloudSize} uniform random subnets; front: one evolution at each of {options.Levels} budgets; targets: the build's search " +
            $"({EvolutionOptions.Default(options.Seed).Starts} evolutions, then refinement); seed {options.Seed}, {options.Generations} generations."));
        foreach (var (r, png) in devices)
        {
            string title = r.Precision == Precisions.Fp32 ? r.Device : $"{r.Device}, {r.Precision}";
            md.AppendLine().AppendLine(inv, $"## {title}").AppendLine();
            md.AppendLine(inv, $"Latency table: **{r.TableKind.Name()}** ({r.TableSource}).");
            if (r.SearchNote is { } note)
                md.AppendLine().AppendLine(inv, $"Cloud, front and targets: {note}");
            if (r.TableWarning is { } warning)
                md.AppendLine().AppendLine(inv, $"**Warning:** {warning}").AppendLine();
            if (r.TablePrecision != r.Precision)
                md.AppendLine(inv, $"{r.Device} has no {r.Precision} latency table here, so its {r.Precision} targets are searched on this {r.TablePrecision} one, as the build searches them.");
            md.AppendLine();
            md.AppendLine(inv, $"![{title}: predicted accuracy vs latency]({png})").AppendLine();
            md.AppendLine(string.Create(inv, $"### Pareto front ({r.Front.Count} non-dominated of {r.Cloud.Count:N0} random and {r.SearchedSubnets:N0} searched subnets)")).AppendLine();
            md.AppendLine("| latency (ms) | predicted top-1 | MACs | config |");
            md.AppendLine("|---:|---:|---:|---|");
            foreach (var c in r.Front)
                md.AppendLine(string.Create(inv, $"| {LatencyText.Number(c.Measures[0])} | {c.Accuracy:P2} | {r.MacsOf(c):N0} | `{c.Config.ToJson()}` |"));
            md.AppendLine().AppendLine("### Targets").AppendLine();
            if (r.Targets.Count == 0)
            {
                md.AppendLine("No targets for this device (give --project or --target DEVICE=MS).");
                continue;
            }
            md.AppendLine("| budget (ms) | from | latency (ms) | predicted top-1 | MACs | config |");
            md.AppendLine("|---:|---|---:|---:|---:|---|");
            foreach (var t in r.Targets)
                md.AppendLine(t.Best is { } b
                    ? string.Create(inv, $"| {t.Target.Budget} | {t.Target.Origin} | {LatencyText.Number(b.Measures[0])} | {b.Accuracy:P2} | {t.Macs:N0} | `{b.Config.ToJson()}` |")
                    : string.Create(inv, $"| {t.Target.Budget} | {t.Target.Origin} | - | - | - | no subnet fits: {t.Failure!.Replace("|", "\\|")} |"));
        }
        if (unplotted.Count > 0)
        {
            md.AppendLine().AppendLine("## Targets on devices not in this report").AppendLine();
            foreach (var t in unplotted)
                md.AppendLine(inv, $"- {t.Describe()} ({t.Source}): add --device {t.Device} to plot it.");
        }
        return md.ToString();
    }
}
