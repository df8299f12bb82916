using OfaBuild.Tool.Commands;
using OfaBuild.Training.Shrinking;

namespace OfaBuild.Cli.Tests;

/// <summary>
/// What `ofa train` shows while a phase evaluation runs (20 s to 2 min at larger resolutions, silent before), and that a
/// redirected run's log still gets a line every 30 s at most, not one per evaluated batch.
/// </summary>
public sealed class TrainDisplayTests
{
    /// <summary>The snapshot of a phase's last step, as ProgressiveShrinking reports it.</summary>
    private static readonly TrainProgress LastStep = new("full", 0, 6, 1, 2, 469, 469, 0.4321, 250, TimeSpan.FromMinutes(42));

    [Fact]
    public void A_phase_evaluation_shows_what_it_evaluates_and_its_images()
    {
        var status = TrainStatus.Of(LastStep with { Evaluating = new EvaluationProgress("the largest and smallest subnet", 1200, 8000) });
        Assert.Equal("phase 1/6 full, evaluating the largest and smallest subnet (BN recalibration, top-1)", status.Description);
        Assert.Equal((1200L, 8000L), (status.Done, status.Total));
        Assert.Equal("phase 1/6 full, evaluating the largest and smallest subnet (BN recalibration, top-1), images 1200/8000", status.Line);
    }

    [Fact]
    public void A_redirected_run_writes_an_evaluation_s_progress_every_30_s_not_every_batch()
    {
        // The evaluation's snapshots carry the phase's last step, which alone makes a training line due at once.
        var evaluating = TrainStatus.Of(LastStep with { Evaluating = new EvaluationProgress("the subnet", 500, 4000) });
        Assert.False(TrainDisplay.LineDue(evaluating, TimeSpan.FromSeconds(1)));
        Assert.True(TrainDisplay.LineDue(evaluating, TrainDisplay.PlainEvery));

        var lastStep = TrainStatus.Of(LastStep);
        Assert.True(TrainDisplay.LineDue(lastStep, TimeSpan.Zero));
        Assert.Equal("phase 1/6 full, epoch 2/2, loss 0.4321, 250 img/s, ETA 0:42:00, step 469/469", lastStep.Line);
        var midPhase = TrainStatus.Of(LastStep with { Step = 100 });
        Assert.False(TrainDisplay.LineDue(midPhase, TimeSpan.FromSeconds(29)));
        Assert.True(TrainDisplay.LineDue(midPhase, TimeSpan.FromSeconds(30)));
    }
}
