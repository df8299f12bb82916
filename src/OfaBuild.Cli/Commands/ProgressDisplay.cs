using System.Diagnostics;
using Spectre.Console;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// A snapshot of work under way: a description and a count (a phase's steps, an evaluation's images, measured subnets,
/// profiling rounds). The full tool makes one of a training phase's snapshot (OfaBuild.Tool's PhaseStatus).
/// </summary>
/// <param name="Unit">What <paramref name="Done"/> counts, as a plain line names it ("step", "images", "subnets").</param>
internal sealed record ProgressStatus(string Description, long Done, long Total, string Unit)
{
    /// <summary>The line a redirected run writes: "..., step 40/469", "..., images 1200/4000".</summary>
    public string Line => $"{Description}, {Unit} {Done}/{Total}";

    /// <summary>The count's last item (a phase's last step, an evaluation's last image): the lines that follow start from it.</summary>
    public bool End => Done >= Total;
}

/// <summary>
/// The progress of every command that runs long work (`ofa train`, `eval`, `quantize --dataset`, `measure`, `regret`,
/// `profile`): on a terminal a live bar (Spectre.Console) under the log lines; redirected (a log, CI), a line at the start,
/// then every <see cref="PlainEvery"/> and at each count's end. Time, not a share of the work, paces the lines: a 2-hour
/// phase writes one every 30 s rather than one every 12 minutes, and a 20 s measurement still writes its start and its end.
/// </summary>
internal sealed class ProgressDisplay(bool live, Action<string> log)
{
    public static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether this process shows progress as a live bar: stdout (where the bar is drawn) and stderr (where the other
    /// commands' lines go) are both an interactive terminal. Either redirected keeps a log of lines, and a result on stdout clean.
    /// </summary>
    public static bool Live => !Console.IsOutputRedirected && !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>The display of a command whose stdout holds its result: lines go to stderr.</summary>
    public static ProgressDisplay OnStderr() => new(Live, Console.Error.WriteLine);

    /// <summary>What an evaluation of the full tool runs (Evaluation.Top1): BN recalibration, then top-1.</summary>
    public const string RecalibratedTop1 = "BN recalibration, top-1";

    /// <summary>
    /// Runs an evaluation of <paramref name="subnet"/> on <paramref name="on"/> (<paramref name="steps"/>: what it runs),
    /// showing the images it has run.
    /// </summary>
    public T Evaluate<T>(string subnet, string on, Func<Action<(int Done, int Total)>, T> evaluation, string steps = RecalibratedTop1) =>
        Count($"{subnet}: evaluating on {on} ({steps})", "images", evaluation);

    /// <summary>Runs <paramref name="work"/>, showing its count of <paramref name="unit"/> under <paramref name="description"/>.</summary>
    public T Count<T>(string description, string unit, Func<Action<(int Done, int Total)>, T> work) =>
        Run(show => work(p => show(new ProgressStatus(description, p.Done, p.Total, unit))));

    /// <summary>Runs <paramref name="work"/>, showing each status it reports (from any thread).</summary>
    public T Run<T>(Func<Action<ProgressStatus>, T> work)
    {
        if (!live)
        {
            Stopwatch? since = null; // no line yet
            var gate = new object(); // parallel measurements report from several threads
            return work(s =>
            {
                lock (gate)
                {
                    if (!LineDue(s, since?.Elapsed)) return;
                    since = Stopwatch.StartNew();
                    log(s.Line);
                }
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
    public static bool LineDue(ProgressStatus status, TimeSpan? sinceLastLine) => sinceLastLine is not { } since || status.End || since >= PlainEvery;
}
