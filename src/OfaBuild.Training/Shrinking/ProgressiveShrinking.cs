using System.Diagnostics;
using OfaBuild.Core;
using OfaBuild.Core.Space;
using OfaBuild.Core.Data;
using OfaBuild.Training.Data;
using OfaBuild.Training.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace OfaBuild.Training.Shrinking;

/// <summary>What a training run needs.</summary>
public sealed record TrainingOptions
{
    public required SearchSpace Space { get; init; }
    public required IReadOnlyList<Phase> Phases { get; init; }
    public required ImageDataset Train { get; init; }
    /// <summary>If set, the largest and smallest subnets are evaluated on it after every phase (the hold-out when there is one).</summary>
    public ImageDataset? Test { get; init; }
    public required Normalization Normalization { get; init; }
    /// <summary>Written at the end of every epoch; read by <see cref="Resume"/>.</summary>
    public required string CheckpointPath { get; init; }
    public bool Resume { get; init; }
    public int Seed { get; init; }
    public int EvalImages { get; init; } = 2000;
    public double KdRatio { get; init; } = 1.0;
    public double Dropout { get; init; } = 0.1;
    /// <summary>Transfer: start from these supernet weights, all but the classifier (see <see cref="Transfer.SupernetTransfer"/>).</summary>
    public OfaBuild.Core.Tensors.TensorSet? StartFrom { get; init; }
}

/// <summary>A snapshot for the live display.</summary>
public sealed record TrainProgress(string Phase, int PhaseIndex, int PhaseCount, int Epoch, int Epochs, long Step, long Steps,
    double Loss, double ImagesPerSecond, TimeSpan? Eta);

/// <summary>
/// Progressive shrinking (DESIGN.md, REFERENCE-OFA.md section 4): full net, then kernel, depth (2 steps) and
/// expand (2 steps), each phase sampling uniformly from its part of the space, several subnets per step with
/// gradients accumulated, distillation from the frozen full net, channel sorting before each expand phase,
/// BN recalibration before every evaluation, a checkpoint after every epoch.
/// All randomness is derived from (seed, phase, epoch, step), so a resumed run continues exactly.
/// </summary>
public sealed class ProgressiveShrinking
{
    private readonly TrainingOptions o;
    private readonly Action<TrainProgress>? progress;
    private readonly Action<string> log;

    public ProgressiveShrinking(TrainingOptions options, Action<TrainProgress>? progress = null, Action<string>? log = null)
    {
        o = options;
        this.progress = progress;
        this.log = log ?? (_ => { });
    }

    /// <summary>Starts the log line written once a checkpoint is on disk (tests stop the run on it).</summary>
    public const string CheckpointSaved = "checkpoint saved:";

    public int StepsPerEpoch(Phase p) => (o.Train.Count + p.BatchSize - 1) / p.BatchSize;
    public long TotalSteps(Phase p) => Math.Max(1, (long)Math.Round(p.Epochs * StepsPerEpoch(p)));
    public int EpochCount(Phase p) => (int)((TotalSteps(p) + StepsPerEpoch(p) - 1) / StepsPerEpoch(p));

    /// <summary>Relative cost of one step (full-net forward+backward = 1; a teacher forward about a third).</summary>
    private static double StepCost(Phase p) => p.SubnetsPerStep * (p.Name == "full" ? 1.0 : 0.7) + (p.Distill ? 0.35 : 0);

    /// <summary>Trains and returns the supernet (largest subnet active).</summary>
    public OfaMobileNetV3 Run(CancellationToken ct = default)
    {
        torch.manual_seed(o.Seed); // initial weights
        var net = new OfaMobileNetV3(o.Space, o.Dropout);
        OfaMobileNetV3? teacher = null;
        int startPhase = 0, startEpoch = 0;
        TrainingCheckpoint? resumed = null;
        if (o.Resume && File.Exists(o.CheckpointPath))
        {
            resumed = TrainingCheckpoint.Read(o.CheckpointPath);
            if (resumed.SpaceName != o.Space.Name || resumed.NumClasses != o.Space.NumClasses)
                throw new OfaException($"Checkpoint '{o.CheckpointPath}' is for space '{resumed.SpaceName}' with {resumed.NumClasses} classes, not '{o.Space.Name}' with {o.Space.NumClasses}; use the same --space, or start without --resume.");
            net.Load(resumed.Model);
            RestoreGradients(net, resumed.MomentumData.Keys);
            if (resumed.Teacher is not null) teacher = MakeTeacher(resumed.Teacher);
            startPhase = resumed.Phase;
            startEpoch = resumed.EpochsDone;
            if (startPhase < o.Phases.Count && startEpoch >= EpochCount(o.Phases[startPhase])) { startPhase++; startEpoch = 0; resumed = null; }
            log($"resumed from {o.CheckpointPath}: phase {(startPhase < o.Phases.Count ? o.Phases[startPhase].Name : "done")}, epoch {startEpoch + 1}");
        }
        else if (o.Resume) log($"no checkpoint at {o.CheckpointPath}; starting from scratch");
        if (resumed is null && startPhase == 0 && o.StartFrom is { } startWeights)
        {
            int copied = Transfer.SupernetTransfer.LoadBackbone(net, startWeights);
            log($"started from {startWeights.Source}: {copied} tensors, a new classifier for {o.Space.NumClasses} classes");
        }

        var clock = Stopwatch.StartNew();
        double doneCost = 0;
        double remainingCost = 0;
        for (int i = startPhase; i < o.Phases.Count; i++)
        {
            var p = o.Phases[i];
            long already = i == startPhase ? Math.Min(TotalSteps(p), (long)startEpoch * StepsPerEpoch(p)) : 0;
            remainingCost += (TotalSteps(p) - already) * StepCost(p) * p.BatchSize;
        }

        var batches = new BatchMaker(o.Train, o.Normalization);
        for (int pi = startPhase; pi < o.Phases.Count; pi++)
        {
            ct.ThrowIfCancellationRequested();
            var phase = o.Phases[pi];
            bool fresh = !(pi == startPhase && startEpoch > 0);
            if (fresh)
            {
                if (phase.Distill && teacher is null)
                {
                    teacher = MakeTeacher(net.ToTensorSet("full net"));
                    log("teacher: frozen copy of the full net");
                }
                if (phase.SortChannelsStage is { } stage)
                {
                    ChannelSorting.ReorganizeMiddleWeights(net, stage);
                    log($"sorted middle channels by importance (expand stage {stage})");
                }
            }
            var sgd = new SgdNesterov(net.named_parameters().Select(x => (x.name, x.parameter)));
            if (!fresh && resumed is not null) sgd.LoadBuffers(resumed.MomentumTensors());

            int spe = StepsPerEpoch(phase), epochs = EpochCount(phase);
            long total = TotalSteps(phase), warmup = Math.Min(total / 2, (long)Math.Round(phase.WarmupEpochs * spe));
            log($"phase {phase.Name}: ks {{{string.Join(",", phase.KernelSizes)}}} e {{{string.Join(",", phase.ExpandRatios)}}} d {{{string.Join(",", phase.Depths)}}}, {phase.SubnetsPerStep} subnet(s)/step{SandwichNote(phase)}{(phase.Distill ? ", KD" : "")}, {total} steps ({phase.Epochs} epochs of {spe}), batch {phase.BatchSize}, lr {phase.LearningRate}, warm-up {warmup} steps");
            net.train();

            for (int epoch = fresh ? 0 : startEpoch; epoch < epochs; epoch++)
            {
                var epochClock = Stopwatch.StartNew();
                int epochSeed = Seeds.Mix(o.Seed, pi, epoch);
                var perm = BatchMaker.Shuffle(o.Train.Count, new Random(epochSeed));
                var augment = new Random(epochSeed ^ 0x5bd1e995);
                torch.manual_seed(epochSeed);
                double lossSum = 0; int lossCount = 0; long images = 0;
                for (int s = 0; s < spe; s++)
                {
                    long g = (long)epoch * spe + s;
                    if (g >= total) break;
                    ct.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var stepRng = new Random(Seeds.Mix(o.Seed, pi, g));
                    int r = phase.SampleResolution(o.Space, stepRng);
                    var subnets = phase.SampleStep(o.Space, j => new Random(Seeds.Mix(o.Seed, pi, g, j)), r);
                    int start = s * phase.BatchSize, n = Math.Min(phase.BatchSize, o.Train.Count - start);
                    // One batch at the largest resolution the step needs; ShrinkingStep resizes it for the others.
                    var (x, y) = batches.Make(perm.AsSpan(start, n), subnets.Max(c => c.R), augment);
                    double lr = LearningRate.At(phase.LearningRate, g, warmup, total);
                    double stepLoss = ShrinkingStep.Run(net, phase.Distill ? teacher : null, sgd, x, y, subnets, lr, o.KdRatio);
                    if (!double.IsFinite(stepLoss))
                        throw new OfaException($"Training diverged in phase {phase.Name} at step {g} (loss {stepLoss}); lower --lr-{phase.Name}.");
                    lossSum += stepLoss; lossCount++;
                    images += n;
                    double cost = StepCost(phase) * n;
                    doneCost += cost; remainingCost -= cost;
                    if (progress is not null && (s % 5 == 0 || g == total - 1))
                    {
                        double ips = images / epochClock.Elapsed.TotalSeconds;
                        TimeSpan? eta = doneCost > 0 ? TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / doneCost * Math.Max(0, remainingCost)) : null;
                        progress(new TrainProgress(phase.Name, pi, o.Phases.Count, epoch, epochs, g + 1, total, lossSum / lossCount, ips, eta));
                    }
                }
                log($"phase {phase.Name} epoch {epoch + 1}/{epochs}: loss {lossSum / Math.Max(1, lossCount):F4}, {images / epochClock.Elapsed.TotalSeconds:F0} images/s, {epochClock.Elapsed.TotalSeconds:F0} s");
                bool last = epoch == epochs - 1;
                if (last && o.Test is not null) EvaluatePhase(net, phase);
                SaveCheckpoint(net, teacher, sgd, pi, epoch + 1);
                log($"{CheckpointSaved} phase {phase.Name} epoch {epoch + 1}/{epochs} ({o.CheckpointPath})"); // safe to stop from here on
            }
            startEpoch = 0; resumed = null;
        }
        net.SetActiveSubnet(SubnetConfig.Largest(o.Space));
        log($"training finished in {clock.Elapsed.TotalMinutes:F1} min{(o.Resume ? " since this run started (the log has every epoch's time)" : "")}");
        return net;
    }

    private static string SandwichNote(Phase p) =>
        !p.UsesSandwich ? "" : p.SandwichResolutions ? " (sandwich, own resolutions)" : " (sandwich)";

    private void EvaluatePhase(OfaMobileNetV3 net, Phase phase)
    {
        var sw = Stopwatch.StartNew();
        if (phase.Fixed is { } only)
        {
            double top1 = Evaluation.Top1(net, only, o.Train, o.Test!, o.Normalization, o.EvalImages);
            net.train();
            log($"phase {phase.Name} eval on {Math.Min(o.EvalImages, o.Test!.Count)} images of {o.Test.Source} (BN recalibrated): the subnet's top-1 {top1 * 100:F2} % ({sw.Elapsed.TotalSeconds:F0} s)");
            return;
        }
        var largest = SubnetConfig.Largest(o.Space);
        var smallest = phase.Smallest(o.Space, phase.PhaseResolutions(o.Space).Min());
        double a = Evaluation.Top1(net, largest, o.Train, o.Test!, o.Normalization, o.EvalImages);
        double b = Evaluation.Top1(net, smallest, o.Train, o.Test!, o.Normalization, o.EvalImages);
        net.train();
        log($"phase {phase.Name} eval on {Math.Min(o.EvalImages, o.Test!.Count)} images of {o.Test.Source} (BN recalibrated): largest top-1 {a * 100:F2} %, smallest of phase top-1 {b * 100:F2} % ({sw.Elapsed.TotalSeconds:F0} s)");
    }

    /// <summary>
    /// In an uninterrupted run every parameter that has been through a backward pass keeps a gradient tensor
    /// (zeroed before each step), so SGD goes on stepping it (weight decay, momentum) while it is inactive, e.g. a
    /// skipped depth slot; a fresh net has none. At a checkpoint exactly those parameters have momentum buffers:
    /// give them zero gradients, so a resumed run steps the same parameters as the run it continues.
    /// </summary>
    private static void RestoreGradients(OfaMobileNetV3 net, IEnumerable<string> names)
    {
        var stepped = names.ToHashSet();
        var ps = net.named_parameters().Where(x => stepped.Contains(x.name)).Select(x => x.parameter).ToArray();
        if (ps.Length == 0) return;
        using var scope = NewDisposeScope();
        ps.Select(p => (p * 0).sum()).Aggregate((a, b) => a + b).backward(); // d/dp of 0 * p: a zero gradient
    }

    private OfaMobileNetV3 MakeTeacher(Core.Tensors.TensorSet weights) => ShrinkingStep.FrozenTeacher(o.Space, weights, o.Dropout);

    private void SaveCheckpoint(OfaMobileNetV3 net, OfaMobileNetV3? teacher, SgdNesterov sgd, int phase, int epochsDone)
    {
        var (data, shapes) = TrainingCheckpoint.Capture(sgd.Buffers);
        new TrainingCheckpoint(phase, epochsDone, o.Space.Name, o.Space.NumClasses, net.ToTensorSet(), teacher?.ToTensorSet(), data, shapes)
            .Write(o.CheckpointPath);
    }
}
