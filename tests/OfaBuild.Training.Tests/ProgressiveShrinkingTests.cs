using OfaBuild.Core.Space;
using OfaBuild.Training.Data;
using OfaBuild.Training.Networks;
using OfaBuild.Training.Shrinking;

namespace OfaBuild.Training.Tests;

public class ProgressiveShrinkingTests
{
    private static TrainingOptions Options(string checkpoint, double fullEpochs, double otherEpochs, bool resume = false, bool sandwich = false)
    {
        var space = TestSpaces.ForTraining();
        var train = SyntheticImages.Quadrants(256, 1);
        var schedules = PhasePlan.Names.ToDictionary(n => n, n => new PhaseSchedule(n == "full" ? fullEpochs : otherEpochs, 0, n == "full" ? 0.05 : 0.01, 64));
        return new TrainingOptions
        {
            Space = space,
            Phases = PhasePlan.Build(space, schedules, sandwich: sandwich, sandwichResolutions: sandwich),
            Train = train,
            Normalization = train.ComputeNormalization(),
            CheckpointPath = checkpoint,
            Resume = resume,
            Dropout = 0,
        };
    }

    /// <summary>A resumed run's weights (and BN statistics) against an uninterrupted run's.</summary>
    private static void AssertSameWeights(OfaMobileNetV3 expected, OfaMobileNetV3 actual)
    {
        var x = expected.ToTensorSet();
        var y = actual.ToTensorSet();
        foreach (var (name, t) in x.Items)
        {
            var u = y[name].F32;
            for (int i = 0; i < u.Length; i++)
                Assert.True(Math.Abs(t.F32[i] - u[i]) <= 1e-5f, $"{name}[{i}]: {t.F32[i]} vs {u[i]}");
        }
    }

    [Fact]
    public void Loss_decreases_on_the_full_net()
    {
        using var dir = new TempDir();
        var path = dir["path.ckpt"];
        var o = Options(path, 6, 0.25);
        var epochLosses = new Dictionary<(int, int), double>();
        new ProgressiveShrinking(o with { Phases = o.Phases.Take(1).ToArray() },
            p => epochLosses[(p.PhaseIndex, p.Epoch)] = p.Loss).Run();
        Assert.True(epochLosses[(0, 5)] < epochLosses[(0, 0)] * 0.85, $"loss {epochLosses[(0, 0)]} -> {epochLosses[(0, 5)]}");
    }

    [Fact]
    public void Resume_after_an_interrupt_reproduces_the_uninterrupted_run()
    {
        using var dir = new TempDir();
        var a = dir["a.ckpt"];
        var b = dir["b.ckpt"];
        // Full phase of 2 epochs, then a KD phase, so the teacher and the momentum go through the checkpoint too.
        var o = Options(a, 2, 0.25);
        var phases = o.Phases.Take(2).ToArray();
        using var straight = new ProgressiveShrinking(o with { Phases = phases }).Run();

        var cts = new CancellationTokenSource();
        var ob = o with { Phases = phases, CheckpointPath = b };
        Assert.Throws<OperationCanceledException>(() => new ProgressiveShrinking(ob, p =>
        {
            if (p.PhaseIndex == 0 && p.Epoch == 1) cts.Cancel(); // interrupted during the second epoch
        }).Run(cts.Token));
        Assert.Equal(1, TrainingCheckpoint.Read(b).EpochsDone);
        using var resumed = new ProgressiveShrinking(ob with { Resume = true }).Run();

        AssertSameWeights(straight, resumed);
    }

    [Fact]
    public void Resume_from_a_checkpoint_of_other_input_channels_says_so_and_how_to_go_on()
    {
        using var dir = new TempDir();
        var path = dir["path.ckpt"];
        var o = Options(path, 0.25, 0.25);
        using (new ProgressiveShrinking(o with { Phases = o.Phases.Take(1).ToArray() }).Run()) { }
        var colour = o with { Space = o.Space with { InputChannels = 3 }, Resume = true }; // another image folder, same preset

        var ex = Assert.Throws<OfaBuild.Core.OfaException>(() => new ProgressiveShrinking(colour).Run());

        Assert.Contains("1 input channel(s)", ex.Message);
        Assert.Contains("without --resume", ex.Message);
    }

    [Fact]
    public void Resume_with_another_holdout_names_both_and_how_to_go_on()
    {
        using var dir = new TempDir();
        var path = dir["path.ckpt"];
        static OfaBuild.Core.Packaging.HoldoutInfo Held(int count) => new()
        {
            Count = count, Source = "synthetic", Of = 256, Seed = 0, IndicesSha256 = $"hash-of-{count}",
        };
        var all = Options(path, 0.25, 0.25) with { Holdout = Held(26) }; // --holdout 10%
        var o = all with { Phases = all.Phases.Take(1).ToArray() };
        using (new ProgressiveShrinking(o).Run()) { }

        foreach (var other in new[] { Held(51), null }) // --holdout 20%, --holdout 0
        {
            var ex = Assert.Throws<OfaBuild.Core.OfaException>(() => new ProgressiveShrinking(o with { Holdout = other, Resume = true }).Run());
            Assert.Contains("hold-out '26 of 256 training images (seed 0)'", ex.Message);
            Assert.Contains(other is null ? "not none" : "not '51 of 256", ex.Message);
            Assert.Contains("same --holdout", ex.Message);
            Assert.Contains("without --resume", ex.Message);
        }

        // The same hold-out from a moved dataset resumes.
        using (new ProgressiveShrinking(o with { Holdout = Held(26) with { Source = "moved" }, Resume = true }).Run()) { }
    }

    [Fact]
    public void A_sandwich_step_with_subnets_at_two_resolutions_trains_from_one_batch()
    {
        using var dir = new TempDir();
        var path = dir["path.ckpt"];
        // Full, kernel and depth-1: 2 subnets per step, the largest at r 16 and the smallest at r 12.
        var o = Options(path, 0.5, 0.5, sandwich: true);
        var step = o.Phases[2].SampleStep(o.Space, j => new Random(j), 12);
        Assert.Equal([16, 12], step.Select(c => c.R));
        var losses = new List<(int Phase, double Loss)>();
        using var net = new ProgressiveShrinking(o with { Phases = o.Phases.Take(3).ToArray() }, p => losses.Add((p.PhaseIndex, p.Loss))).Run();
        Assert.Contains(losses, l => l.Phase == 2);
        Assert.All(losses, l => Assert.True(double.IsFinite(l.Loss)));
    }

    [Fact]
    public void A_phase_evaluation_reports_its_images_as_it_runs()
    {
        // Before, an evaluation reported nothing: at larger resolutions `ofa train` sat 20 s to 2 min on the phase's last step.
        using var dir = new TempDir();
        var path = dir["path.ckpt"];
        var o = Options(path, 1, 1); // one step: 64 training images, one batch
        var snapshots = new List<TrainProgress>();
        using var net = new ProgressiveShrinking(o with { Phases = o.Phases.Take(1).ToArray(), Train = SyntheticImages.Quadrants(64, 1), Test = SyntheticImages.Quadrants(100, 2), EvalImages = 40 },
            snapshots.Add).Run();

        var evaluating = snapshots.Where(p => p.Evaluating is not null).ToList();
        Assert.NotEmpty(evaluating);
        Assert.Contains(snapshots, p => p.Evaluating is null); // the steps first
        Assert.All(evaluating, p => Assert.Equal(("full", p.Steps), (p.Phase, p.Step)));
        var images = evaluating.Select(p => p.Evaluating!).ToList();
        Assert.All(images, e => Assert.Equal("the largest and smallest subnet", e.Subnets));
        // Each subnet: BN recalibration on the 64 training images, then the 40 evaluation images.
        Assert.All(images, e => Assert.Equal(2 * (64 + 40), e.Total));
        Assert.Equal(images.Select(e => e.Images).Order(), images.Select(e => e.Images));
        Assert.Equal(images.Count, images.Select(e => e.Images).Distinct().Count());
        Assert.Equal(2 * (64 + 40), images[^1].Images);
    }

    [Fact]
    public void Ctrl_C_in_a_phase_evaluation_stops_it_and_a_resume_runs_it_before_the_next_phase()
    {
        // Before, the evaluation at a phase's end (20 s to 2 min at larger resolutions) ignored Ctrl-C, and the phase's
        // checkpoint was written only after it.
        using var dir = new TempDir();
        var a = dir["a.ckpt"];
        var b = dir["b.ckpt"];
        var o = Options(a, 1, 1); // one step per phase: 64 training images, one batch
        o = o with { Phases = o.Phases.Take(2).ToArray(), Train = SyntheticImages.Quadrants(64, 1), Test = SyntheticImages.Quadrants(100, 2), EvalImages = 40 };
        using var straight = new ProgressiveShrinking(o).Run();

        var ob = o with { CheckpointPath = b };
        using var cts = new CancellationTokenSource();
        int evaluationBatches = 0;
        var log = new List<string>();
        Assert.ThrowsAny<OperationCanceledException>(() => new ProgressiveShrinking(ob, p =>
        {
            if (p.Evaluating is null) return;
            evaluationBatches++;
            cts.Cancel(); // after the full phase's first evaluation batch (of 2 subnets x (calibration, test))
        }, log.Add).Run(cts.Token));
        Assert.Equal(1, evaluationBatches);
        Assert.DoesNotContain(log, l => l.Contains("eval on", StringComparison.Ordinal));
        Assert.Contains($"{ProgressiveShrinking.CheckpointSaved} phase full epoch 1/1{ProgressiveShrinking.BeforeEvaluation} ({b})", log);
        var pending = TrainingCheckpoint.Read(b);
        Assert.Equal((0, 1, true), (pending.Phase, pending.EpochsDone, pending.EvaluationPending));

        log.Clear();
        using var resumed = new ProgressiveShrinking(ob with { Resume = true }, log: log.Add).Run();
        Assert.Contains($"resumed from {b}: the evaluation of phase full, then phase kernel, epoch 1", log);
        Assert.Contains(log, l => l.StartsWith("phase full eval on 40 images", StringComparison.Ordinal));
        Assert.False(TrainingCheckpoint.Read(b).EvaluationPending);
        // The resumed evaluation recalibrated BN as the uninterrupted run's did: the same weights and statistics at the end.
        AssertSameWeights(straight, resumed);
    }

    [Fact]
    public void A_resume_after_the_last_phase_says_the_final_evaluation_is_what_is_left()
    {
        // Before: "resumed from <ckpt>: phase done, epoch 1", as if a phase named "done" were to be trained.
        using var dir = new TempDir();
        var path = dir["path.ckpt"];
        var o = Options(path, 1, 1); // one step: 64 training images, one batch
        o = o with { Phases = o.Phases.Take(1).ToArray(), Train = SyntheticImages.Quadrants(64, 1) };
        using var trained = new ProgressiveShrinking(o).Run();

        var log = new List<string>();
        using var resumed = new ProgressiveShrinking(o with { Resume = true }, log: log.Add).Run();
        Assert.Contains($"resumed from {path}: {ProgressiveShrinking.AllPhasesTrained}", log);
        Assert.Equal("the final evaluation (all phases trained)", ProgressiveShrinking.AllPhasesTrained);
        Assert.DoesNotContain(log, l => l.Contains("epoch 1", StringComparison.Ordinal)); // no phase runs again
        AssertSameWeights(trained, resumed);
    }

    [Fact]
    public void Ctrl_C_in_a_resumed_phase_evaluation_leaves_the_checkpoint_before_that_evaluation_and_names_it_so()
    {
        // Before, `ofa train` named no position when a resume's catch-up evaluation was stopped ("the one this run resumed
        // from"); the run knows it: a further --resume runs the full phase's evaluation again.
        using var dir = new TempDir();
        var path = dir["path.ckpt"];
        var o = Options(path, 1, 1); // one step per phase: 64 training images, one batch
        o = o with { Phases = o.Phases.Take(2).ToArray(), Train = SyntheticImages.Quadrants(64, 1), Test = SyntheticImages.Quadrants(100, 2), EvalImages = 40 };
        ProgressiveShrinking StoppedInItsFirstEvaluation(TrainingOptions options, CancellationTokenSource cts)
        {
            var run = new ProgressiveShrinking(options, p => { if (p.Evaluating is not null) cts.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() => run.Run(cts.Token));
            return run;
        }
        using (var cts = new CancellationTokenSource())
            Assert.Equal($"phase full epoch 1/1{ProgressiveShrinking.BeforeEvaluation}", StoppedInItsFirstEvaluation(o, cts).Checkpoint);

        using (var cts = new CancellationTokenSource())
        {
            var resumed = StoppedInItsFirstEvaluation(o with { Resume = true }, cts);
            Assert.Equal($"phase full epoch 1/1{ProgressiveShrinking.BeforeEvaluation}", resumed.Checkpoint);
        }
        var pending = TrainingCheckpoint.Read(path);
        Assert.Equal((0, 1, true), (pending.Phase, pending.EpochsDone, pending.EvaluationPending));

        // Evaluated at last, before the kernel phase: a Ctrl-C from here on names the phase as evaluated.
        var log = new List<string>();
        var finished = new ProgressiveShrinking(o with { Resume = true }, log: log.Add);
        using var net = finished.Run();
        Assert.Contains($"resumed from {path}: the evaluation of phase full, then phase kernel, epoch 1", log);
        Assert.Equal("phase kernel epoch 1/1", finished.Checkpoint);
    }

    [Fact]
    public void The_phase_line_counts_one_step_as_one_step()
    {
        // Before: "1 steps (0.25 epochs of 4), ..., warm-up 0 steps".
        using var dir = new TempDir();
        var path = dir["path.ckpt"];
        var o = Options(path, 0.25, 0.25);
        var log = new List<string>();
        using (new ProgressiveShrinking(o with { Phases = o.Phases.Take(1).ToArray() }, log: log.Add).Run()) { }
        Assert.Contains(log, l => l.Contains(", 1 step (0.25 epochs of 4), batch 64, lr 0.05, warm-up 0 steps", StringComparison.Ordinal));
    }

    [Fact]
    public void A_batch_is_resized_only_for_subnets_at_another_resolution()
    {
        var x = TorchSharp.torch.rand(2, 1, 16, 16);
        Assert.Same(x, BatchMaker.Resize(x, 16));
        Assert.Equal([2L, 1, 12, 12], BatchMaker.Resize(x, 12).shape);
    }
}
