using OfaBuild.Cli.Commands;
using OfaBuild.Tool.Commands;
using OfaBuild.Training.Shrinking;

namespace OfaBuild.Cli.Tests;

/// <summary>
/// What `ofa train` shows while a phase evaluation runs (20 s to 2 min at larger resolutions, silent before), that a
/// redirected run's log still gets a line every 30 s at most, not one per evaluated batch, and that `ofa eval`,
/// `ofa measure` and `ofa profile` show their work by the same rule.
/// </summary>
public sealed class ProgressDisplayTests
{
    /// <summary>The snapshot of a phase's last step, as ProgressiveShrinking reports it.</summary>
    private static readonly TrainProgress LastStep = new("full", 0, 6, 1, 2, 469, 469, 0.4321, 250, TimeSpan.FromMinutes(42));

    [Fact]
    public void A_phase_evaluation_shows_what_it_evaluates_and_its_images()
    {
        var status = PhaseStatus.Of(LastStep with { Evaluating = new EvaluationProgress("the largest and smallest subnet", 1200, 8000) });
        Assert.Equal("phase 1/6 full, evaluating the largest and smallest subnet (BN recalibration, top-1)", status.Description);
        Assert.Equal((1200L, 8000L), (status.Done, status.Total));
        Assert.Equal("phase 1/6 full, evaluating the largest and smallest subnet (BN recalibration, top-1), images 1200/8000", status.Line);
    }

    [Fact]
    public void A_redirected_run_writes_an_evaluation_s_progress_every_30_s_not_every_batch()
    {
        // The evaluation's snapshots carry the phase's last step, which alone makes a training line due at once.
        var evaluating = PhaseStatus.Of(LastStep with { Evaluating = new EvaluationProgress("the subnet", 500, 4000) });
        Assert.False(ProgressDisplay.LineDue(evaluating, TimeSpan.FromSeconds(1)));
        Assert.True(ProgressDisplay.LineDue(evaluating, ProgressDisplay.PlainEvery));
        // Its last image ends its count: a line, as at the phase's last step.
        Assert.True(ProgressDisplay.LineDue(PhaseStatus.Of(LastStep with { Evaluating = new EvaluationProgress("the subnet", 4000, 4000) }), TimeSpan.Zero));

        var lastStep = PhaseStatus.Of(LastStep);
        Assert.True(ProgressDisplay.LineDue(lastStep, TimeSpan.Zero));
        Assert.Equal("phase 1/6 full, epoch 2/2, loss 0.4321, 250 img/s, ETA 0:42:00, step 469/469", lastStep.Line);
        var midPhase = PhaseStatus.Of(LastStep with { Step = 100 });
        Assert.False(ProgressDisplay.LineDue(midPhase, TimeSpan.FromSeconds(29)));
        Assert.True(ProgressDisplay.LineDue(midPhase, TimeSpan.FromSeconds(30)));
        // The first status is written at once: the log says what runs and how much of it there is.
        Assert.True(ProgressDisplay.LineDue(midPhase, sinceLastLine: null));
    }

    [Fact]
    public void A_redirected_eval_shows_its_evaluation_on_stderr_as_train_shows_its_own()
    {
        // Before, `ofa eval` printed nothing until its result, however many images it ran.
        using var dir = new TempDir();
        TinyImageFolder.Write(dir["data"], trainPerClass: 10, testPerClass: 10);
        var r = Ofa.Succeeds("eval", "--model", Ofa.Untrained(), "--largest", "--dataset", dir["data"], "--threads", "1", "--json");
        // 30 calibration images (all the training images), then the 30 test images.
        Assert.Contains($"largest subnet: evaluating on 30 test images of {dir["data"]} (BN recalibration, top-1), images 30/60", r.Stderr);
        Assert.DoesNotContain("evaluating", r.Stdout); // stdout holds the result
        Assert.StartsWith("{\"top1\":", r.Stdout.Trim().Split('\n')[^1]);
    }

    [Fact]
    public void A_redirected_measure_shows_its_subnets_on_stderr_at_the_start_and_the_end_as_eval_does()
    {
        // Before, `ofa measure`, `ofa regret` and `ofa profile` wrote "subnets: 2/20" at every 10 % by a rule of their own.
        var measure = MeasuringOptionsTests.MeasureRun;
        string[] lines = measure.Stderr.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var progress = lines.Where(l => l.StartsWith("measuring the top-1 of the sampled subnets, subnets ", StringComparison.Ordinal)).ToArray();
        Assert.Equal("measuring the top-1 of the sampled subnets, subnets 0/20", progress[0]); // what runs and how much, before the first subnet
        Assert.Equal("measuring the top-1 of the sampled subnets, subnets 20/20", progress[^1]);
        // At the start, the end and every 30 s between, not one per subnet (21 lines): on a loaded machine a run takes minutes.
        Assert.True(progress.Length <= 2 + (int)(measure.Elapsed.TotalSeconds / 30), $"{progress.Length} lines in {measure.Elapsed}\n{measure.Stderr}");
        Assert.DoesNotContain("subnets 0/20", measure.Stdout); // stdout holds the results
    }
}
