using System.Globalization;
using ScottPlot;
using OfaBuild.Contracts;
using OfaBuild.Core.Latency;

namespace OfaBuild.Tool.Reporting;

/// <summary>
/// Draws one device's panel with ScottPlot: predicted top-1 (%) against predicted latency (ms), the random
/// cloud in grey, the Pareto front as a line with markers, and each target as a dashed budget line with its
/// chosen subnet as a large marker of the same colour.
/// </summary>
public static class FrontPlot
{
    public static void SavePng(DeviceReport r, string path, int width, int height)
    {
        var plot = new Plot();
        var inv = CultureInfo.InvariantCulture;

        var cloud = plot.Add.ScatterPoints(r.Cloud.Select(c => c.Measures[0]).ToArray(), r.Cloud.Select(Percent).ToArray());
        cloud.Color = Colors.Gray.WithAlpha(0.45);
        cloud.MarkerSize = 4;
        cloud.LegendText = $"random subnets ({r.Cloud.Count})";

        var front = plot.Add.Scatter(r.Front.Select(c => c.Measures[0]).ToArray(), r.Front.Select(Percent).ToArray());
        front.Color = Colors.Black;
        front.LineWidth = 2;
        front.MarkerSize = 6;
        front.MarkerShape = MarkerShape.FilledCircle;
        front.LegendText = $"Pareto front ({r.Front.Count} subnets)";

        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < r.Targets.Count; i++)
        {
            var t = r.Targets[i];
            var color = palette.GetColor(i);
            var budget = plot.Add.VerticalLine(t.Target.LatencyMs);
            budget.Color = color;
            budget.LineWidth = 1.5f;
            budget.LinePattern = LinePattern.Dashed;
            budget.LegendText = $"target {LatencyText.Budget(t.Target.LatencyMs)}" + (t.Target.Spec.MaxMFlops is { } cap ? $", at most {LatencyText.Given(cap)} MFLOPs" : "")
                + (t.Target.Levels is null ? "" : " (adaptive, rung 0)") + (t.Best is null ? ": no subnet fits" : "");
            if (t.Best is { } best)
            {
                var chosen = plot.Add.Marker(best.Measures[0], Percent(best), MarkerShape.FilledDiamond, 14);
                chosen.Color = color;
                chosen.LegendText = string.Create(inv, $"chosen for {LatencyText.Budget(t.Target.LatencyMs)}: {LatencyText.Ms(best.Measures[0])}, {Percent(best):0.##}%");
            }
        }

        plot.Title($"{r.Device}: predicted accuracy vs latency ({r.TableKind.Name()}{(r.TablePrecision == Precisions.Fp32 ? "" : " " + r.TablePrecision)} latency table)");
        plot.XLabel("Predicted latency (ms, batch 1)");
        plot.YLabel("Predicted top-1 accuracy (%)");
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.Margins(0.05, 0.08);
        plot.SavePng(path, width, height);
    }

    private static double Percent(OfaBuild.Core.Search.Candidate c) => c.Accuracy * 100.0;
}
