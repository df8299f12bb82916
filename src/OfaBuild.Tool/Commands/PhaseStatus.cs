using System.Globalization;
using OfaBuild.Cli.Commands;
using OfaBuild.Training.Shrinking;

namespace OfaBuild.Tool.Commands;

/// <summary>What `ofa train`'s display shows of a training phase (<see cref="ProgressDisplay"/>).</summary>
internal static class PhaseStatus
{
    /// <summary>A phase's snapshot: its step, or its evaluation once that runs.</summary>
    public static ProgressStatus Of(TrainProgress p)
    {
        string phase = $"phase {p.PhaseIndex + 1}/{p.PhaseCount} {p.Phase}";
        if (p.Evaluating is { } e) return new($"{phase}, evaluating {e.Subnets} ({ProgressDisplay.RecalibratedTop1})", e.Images, e.Total, "images");
        string eta = p.Eta is { } t ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : "?";
        return new($"{phase}, epoch {p.Epoch + 1}/{p.Epochs}, loss {p.Loss:F4}, {p.ImagesPerSecond:F0} img/s, ETA {eta}", p.Step, p.Steps, "step");
    }
}
