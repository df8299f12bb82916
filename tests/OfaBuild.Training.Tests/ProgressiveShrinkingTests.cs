using OfaBuild.Core.Space;
using OfaBuild.Training.Networks;
using OfaBuild.Training.Shrinking;

namespace OfaBuild.Training.Tests;

public class ProgressiveShrinkingTests
{
    private static TrainingOptions Options(string checkpoint, double fullEpochs, double otherEpochs, bool resume = false)
    {
        var space = TinyData.Space();
        var train = TinyData.Quadrants(256, 1);
        var schedules = PhasePlan.Names.ToDictionary(n => n, n => new PhaseSchedule(n == "full" ? fullEpochs : otherEpochs, 0, n == "full" ? 0.05 : 0.01, 64));
        return new TrainingOptions
        {
            Space = space,
            Phases = PhasePlan.Build(space, schedules),
            Train = train,
            Normalization = train.ComputeNormalization(),
            CheckpointPath = checkpoint,
            Resume = resume,
            Dropout = 0,
        };
    }

    [Fact]
    public void LossDecreasesOnTheFullNet()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ofa-test-{Guid.NewGuid():N}.ckpt");
        try
        {
            var o = Options(path, 6, 0.25);
            var epochLosses = new Dictionary<(int, int), double>();
            new ProgressiveShrinking(o with { Phases = o.Phases.Take(1).ToArray() },
                p => epochLosses[(p.PhaseIndex, p.Epoch)] = p.Loss).Run();
            Assert.True(epochLosses[(0, 5)] < epochLosses[(0, 0)] * 0.85, $"loss {epochLosses[(0, 0)]} -> {epochLosses[(0, 5)]}");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ResumeAfterAnInterruptReproducesTheUninterruptedRun()
    {
        string a = Path.Combine(Path.GetTempPath(), $"ofa-test-{Guid.NewGuid():N}.ckpt");
        string b = Path.Combine(Path.GetTempPath(), $"ofa-test-{Guid.NewGuid():N}.ckpt");
        try
        {
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

            var x = straight.ToTensorSet();
            var y = resumed.ToTensorSet();
            foreach (var (name, t) in x.Items)
            {
                var u = y[name].F32;
                for (int i = 0; i < u.Length; i++)
                    Assert.True(Math.Abs(t.F32[i] - u[i]) <= 1e-5f, $"{name}[{i}]: {t.F32[i]} vs {u[i]}");
            }
        }
        finally { File.Delete(a); File.Delete(b); }
    }
}
