using System.Diagnostics;
using Spectre.Console;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// What `ofa train`, `ofa eval` and `ofa quantize` show of work under way: a description and a count (a phase's steps, or an
/// evaluation's images). The full tool makes one of a training phase's snapshot (OfaBuild.Tool's PhaseStatus).
/// </summary>
/// <param name="Unit">What <paramref name="Done"/> counts, as a plain line names it ("step", "images").</param>
/// <param name="PhaseEnd">The phase's last step: a plain line is due, as the lines that follow start from it.</param>
internal sealed record TrainStatus(string Description, long Done, long Total, string Unit, bool PhaseEnd = false)
{
    /// <summary>The line a redirected run writes: "..., step 40/469", "..., images 1200/4000".</summary>
    public string Line => $"{Description}, {Unit} {Done}/{Total}";
}

/// <summary>
/// The progress of `ofa train`, `ofa eval` and `ofa quantize --dataset`: on a terminal a live bar (Spectre.Console) under the log lines; redirected
/// (a log, CI), a line at the start, then every <see cref="PlainEvery"/> and at each phase's last step, so a long run's
/// log stays readable and a long evaluation still shows it is alive.
/// </summary>
internal sealed class TrainDisplay(bool live, Action<string> log)
{
    public static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(30);

    /// <summary>Whether this process shows progress as a live bar: its output goes to an interactive terminal.</summary>
    public static bool Live => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>What an evaluation of the full tool runs (Evaluation.Top1): BN recalibration, then top-1.</summary>
    public const string RecalibratedTop1 = "BN recalibration, top-1";

    /// <summary>
    /// Runs an evaluation of <paramref name="subnet"/> on <paramref name="on"/> (<paramref name="steps"/>: what it runs),
    /// showing the images it has run.
    /// </summary>
    public T Evaluate<T>(string subnet, string on, Func<Action<(int Done, int Total)>, T> evaluation, string steps = RecalibratedTop1) =>
        Run(show => evaluation(p => show(new TrainStatus($"{subnet}: evaluating on {on} ({steps})", p.Done, p.Total, "images"))));

    /// <summary>Runs <paramref name="work"/>, showing each status it reports.</summary>
    public T Run<T>(Func<Action<TrainStatus>, T> work)
    {
        if (!live)
        {
            Stopwatch? since = null; // no line yet
            return work(s =>
            {
                if (!LineDue(s, since?.Elapsed)) return;
                since = Stopwatch.StartNew();
                log(s.Line);
            });
        }
        return AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("starting", maxValue: 1);
                return work(s =>
                {
                    task.MaxValue = Math.Max(1, s.Total);
                    task.Value = s.Done;
                    task.Description = Markup.Escape(s.Description);
                });
            });
    }

    /// <summary>
    /// Whether a redirected run writes <paramref name="status"/> as a line, <paramref name="sinceLastLine"/> after the last one
    /// (null: none yet, so the log says at once what runs and how much of it there is).
    /// </summary>
    public static bool LineDue(TrainStatus status, TimeSpan? sinceLastLine) => sinceLastLine is not { } since || status.PhaseEnd || since >= PlainEvery;
}
