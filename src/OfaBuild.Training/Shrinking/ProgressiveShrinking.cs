using System.Diagnostics;
using System.Globalization;
using OfaBuild.Contracts;
using OfaBuild.Core;
using OfaBuild.Core.Data;
using OfaBuild.Training.Data;
using OfaBuild.Training.Networks;
using static TorchSharp.torch;
using static OfaBuild.Training.Native.HeldScalars;

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
    /// <summary>The images kept out of <see cref="Train"/> (null: none); recorded in the checkpoint, and a resume must keep them out too.</summary>
    public Core.Packaging.HoldoutInfo? Holdout { get; init; }
    public int Seed { get; init; }
    /// <summary>Images of <see cref="Test"/> each evaluation uses (the first N).</summary>
    public int EvalImages { get; init; } = DefaultEvalImages;
    public const int DefaultEvalImages = 2000;
    public double KdRatio { get; init; } = 1.0;
    public double Dropout { get; init; } = 0.1;
    /// <summary>Transfer: start from these supernet weights, all but the classifier (see <see cref="Transfer.SupernetTransfer"/>).</summary>
    public OfaBuild.Core.Tensors.TensorSet? StartFrom { get; init; }
}

/// <summary>A snapshot for the live display: the phase's steps, or its evaluation while <see cref="Evaluating"/> is set.</summary>
public sealed record TrainProgress(string Phase, int PhaseIndex, int PhaseCount, int Epoch, int Epochs, long Step, long Steps,
    double Loss, double ImagesPerSecond, TimeSpan? Eta)
{
    /// <summary>Set after the phase's last step while its evaluation runs (20 s to 2 min at larger resolutions); the rest is that step's.</summary>
    public EvaluationProgress? Evaluating { get; init; }
}

/// <summary>
/// A phase evaluation under way: the images run so far of all it runs, for each subnet it evaluates (<see cref="Subnets"/>)
/// the BN calibration images and then the evaluation images.
/// </summary>
public sealed record EvaluationProgress(string Subnets, int Images, int Total);

/// <summary>
/// Progressive shrinking (DESIGN.md, REFERENCE-OFA.md section 4): full net, then kernel, depth (2 steps) and
/// expand (2 steps), each phase sampling uniformly from its part of the space, several subnets per step with
/// gradients accumulated, distillation from the frozen full net, channel sorting before each expand phase,
/// BN recalibration before every evaluation, a checkpoint after every epoch.
/// All randomness is derived from (seed, phase, epoch, step), so a resumed run continues exactly.
/// </summary>
public sealed class ProgressiveShrinking
{
    private readonly TrainingOptions _options;
    private readonly Action<TrainProgress>? _progress;
    private readonly Action<string> _log;

    public ProgressiveShrinking(TrainingOptions options, Action<TrainProgress>? progress = null, Action<string>? log = null)
    {
        _options = options;
        _progress = progress;
        _log = log ?? (_ => { });
    }

    /// <summary>Starts the log line written once a checkpoint is on disk (tests stop the run on it).</summary>
    public const string CheckpointSaved = "checkpoint saved:";

    /// <summary>Ends the position in a <see cref="CheckpointSaved"/> line written before the phase's evaluation (a resume runs it first).</summary>
    public const string BeforeEvaluation = ", before its evaluation";

    /// <summary>
    /// Where the checkpoint on disk stands, as a <see cref="CheckpointSaved"/> line says it ("phase full epoch 1/1, before
    /// its evaluation"), so a further --resume's start can be named: set when this run writes a checkpoint or resumes from
    /// one (`ofa train` names it on Ctrl-C), null before.
    /// </summary>
    public string? Checkpoint { get; private set; }

    private static string Position(Phase phase, int epochsDone, int epochs, bool beforeEvaluation) =>
        $"phase {phase.Name} epoch {epochsDone}/{epochs}{(beforeEvaluation ? BeforeEvaluation : "")}";

    /// <summary>Logs the checkpoint just written, at <paramref name="position"/>: safe to stop from here on.</summary>
    private void Saved(string position)
    {
        Checkpoint = position;
        _log($"{CheckpointSaved} {position} ({_options.CheckpointPath})");
    }

    /// <summary>What a resume of a checkpoint written after the last phase continues with.</summary>
    public const string AllPhasesTrained = "the final evaluation (all phases trained)";

    public int StepsPerEpoch(Phase p) => (_options.Train.Count + p.BatchSize - 1) / p.BatchSize;
    public long TotalSteps(Phase p) => Math.Max(1, (long)Math.Round(p.Epochs * StepsPerEpoch(p)));
    public int EpochCount(Phase p) => (int)((TotalSteps(p) + StepsPerEpoch(p) - 1) / StepsPerEpoch(p));

    /// <summary>Relative cost of one step (full-net forward+backward = 1; a teacher forward about a third).</summary>
    private static double StepCost(Phase p) => p.SubnetsPerStep * (p.Name == "full" ? 1.0 : 0.7) + (p.Distill ? 0.35 : 0);

    /// <summary>Trains and returns the supernet (largest subnet active).</summary>
    public OfaMobileNetV3 Run(CancellationToken ct = default)
    {
        torch.manual_seed(_options.Seed); // initial weights
        var net = new OfaMobileNetV3(_options.Space, _options.Dropout);
        OfaMobileNetV3? teacher = null;
        int startPhase = 0, startEpoch = 0;
        TrainingCheckpoint? resumed = null;
        if (_options.Resume && File.Exists(_options.CheckpointPath))
        {
            resumed = TrainingCheckpoint.Read(_options.CheckpointPath);
            if (resumed.SpaceName != _options.Space.Name || resumed.NumClasses != _options.Space.NumClasses
                || (resumed.InputChannels is { } channels && channels != _options.Space.InputChannels))
                throw new OfaException($"Checkpoint '{_options.CheckpointPath}' is for space '{resumed.SpaceName}' with {resumed.NumClasses} classes"
                    + $" and {resumed.InputChannels?.ToString(CultureInfo.InvariantCulture) ?? "?"} input channel(s), not '{_options.Space.Name}' with {_options.Space.NumClasses} and {_options.Space.InputChannels}"
                    + "; resume with the same --dataset and --space, give another --checkpoint, or start without --resume.");
            if (resumed.HoldoutRecorded && !(resumed.Holdout?.SameImagesAs(_options.Holdout) ?? _options.Holdout is null))
                throw new OfaException($"Checkpoint '{_options.CheckpointPath}' was trained with hold-out {Name(resumed.Holdout)}, not {Name(_options.Holdout)}"
                    + " (resuming would train on held-out images, or leave training images out)"
                    + "; resume with the same --holdout (or val/ folder) and --dataset, give another --checkpoint, or start without --resume.");
            net.Load(resumed.Model);
            RestoreGradients(net, resumed.MomentumData.Keys);
            if (resumed.Teacher is not null) teacher = MakeTeacher(resumed.Teacher);
            startPhase = resumed.Phase;
            startEpoch = resumed.EpochsDone;
            Phase? unevaluated = null; // the phase whose training ended in this checkpoint but whose evaluation was stopped
            if (startPhase < _options.Phases.Count)
            {
                var at = _options.Phases[startPhase];
                if (startEpoch >= EpochCount(at))
                {
                    if (resumed.EvaluationPending && _options.Test is not null) unevaluated = at;
                    startPhase++; startEpoch = 0;
                }
                // Before, a Ctrl-C in the evaluation below left `ofa train` saying only "the one this run resumed from".
                Checkpoint = Position(at, resumed.EpochsDone, EpochCount(at), beforeEvaluation: unevaluated is not null);
            }
            else Checkpoint = $"past the last of these {_options.Phases.Count} phases"; // written by a longer plan
            // After the last phase only `ofa train`'s final evaluation is left (before, "phase done, epoch 1").
            string next = startPhase < _options.Phases.Count ? $"phase {_options.Phases[startPhase].Name}, epoch {startEpoch + 1}" : AllPhasesTrained;
            _log($"resumed from {_options.CheckpointPath}: {(unevaluated is null ? "" : $"the evaluation of phase {unevaluated.Name}, then ")}{next}");
            if (unevaluated is not null)
            {
                long steps = TotalSteps(unevaluated); // the evaluation's progress continues the phase's last step, as it would have
                EvaluatePhase(net, unevaluated, new TrainProgress(unevaluated.Name, startPhase - 1, _options.Phases.Count, EpochCount(unevaluated) - 1,
                    EpochCount(unevaluated), steps, steps, double.NaN, 0, null), ct);
                // The evaluation recalibrated BN as an uninterrupted run's did: keep those statistics, and the evaluation done.
                (resumed with { Model = net.ToTensorSet(), EvaluationPending = false }).Write(_options.CheckpointPath);
                Checkpoint = Position(unevaluated, EpochCount(unevaluated), EpochCount(unevaluated), beforeEvaluation: false);
                _log($"checkpoint {_options.CheckpointPath} updated: phase {unevaluated.Name} evaluated");
            }
            if (startEpoch == 0) resumed = null; // its phase is finished: the next starts afresh (teacher and weights loaded above)
        }
        else if (_options.Resume) _log($"no checkpoint at {_options.CheckpointPath}; starting from scratch");
        if (resumed is null && startPhase == 0 && _options.StartFrom is { } startWeights)
        {
            int copied = Transfer.SupernetTransfer.LoadBackbone(net, startWeights);
            _log($"started from {startWeights.Source}: {copied} tensors, a new classifier for {CountText.Of(_options.Space.NumClasses, "class", "classes")}");
        }

        var clock = Stopwatch.StartNew();
        double doneCost = 0;
        double remainingCost = 0;
        for (int i = startPhase; i < _options.Phases.Count; i++)
        {
            var p = _options.Phases[i];
            long already = i == startPhase ? Math.Min(TotalSteps(p), (long)startEpoch * StepsPerEpoch(p)) : 0;
            remainingCost += (TotalSteps(p) - already) * StepCost(p) * p.BatchSize;
        }

        var batches = new BatchMaker(_options.Train, _options.Normalization);
        TrainProgress? lastProgress = null; // the last step's snapshot, which a phase evaluation's progress continues
        for (int pi = startPhase; pi < _options.Phases.Count; pi++)
        {
            ct.ThrowIfCancellationRequested();
            var phase = _options.Phases[pi];
            bool fresh = !(pi == startPhase && startEpoch > 0);
            if (fresh)
            {
                if (phase.Distill && teacher is null)
                {
                    teacher = MakeTeacher(net.ToTensorSet("full net"));
                    _log("teacher: frozen copy of the full net");
                }
                if (phase.SortChannelsStage is { } stage)
                {
                    ChannelSorting.ReorganizeMiddleWeights(net, stage);
                    _log($"sorted middle channels by importance (expand stage {stage})");
                }
            }
            var sgd = new SgdNesterov(net.named_parameters().Select(x => (x.name, x.parameter)));
            if (!fresh && resumed is not null) sgd.LoadBuffers(resumed.MomentumTensors());

            int spe = StepsPerEpoch(phase), epochs = EpochCount(phase);
            long total = TotalSteps(phase), warmup = Math.Min(total / 2, (long)Math.Round(phase.WarmupEpochs * spe));
            _log($"phase {phase.Name}: ks {{{string.Join(",", phase.KernelSizes)}}} e {{{string.Join(",", phase.ExpandRatios)}}} d {{{string.Join(",", phase.Depths)}}}, {phase.SubnetsPerStep} subnet(s)/step{SandwichNote(phase)}{(phase.Distill ? ", KD" : "")}, {CountText.Of(total, "step")} ({CountText.Of(phase.Epochs, "epoch")} of {spe}), batch {phase.BatchSize}, lr {phase.LearningRate}, warm-up {CountText.Of(warmup, "step")}");
            net.train();

            for (int epoch = fresh ? 0 : startEpoch; epoch < epochs; epoch++)
            {
                var epochClock = Stopwatch.StartNew();
                int epochSeed = Seeds.Mix(_options.Seed, pi, epoch);
                var perm = BatchMaker.Shuffle(_options.Train.Count, new Random(epochSeed));
                var augment = new Random(epochSeed ^ 0x5bd1e995);
                torch.manual_seed(epochSeed);
                double lossSum = 0; int lossCount = 0; long images = 0;
                for (int s = 0; s < spe; s++)
                {
                    long g = (long)epoch * spe + s;
                    if (g >= total) break;
                    ct.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var stepRng = new Random(Seeds.Mix(_options.Seed, pi, g));
                    int r = phase.SampleResolution(_options.Space, stepRng);
                    var subnets = phase.SampleStep(_options.Space, j => new Random(Seeds.Mix(_options.Seed, pi, g, j)), r);
                    int start = s * phase.BatchSize, n = Math.Min(phase.BatchSize, _options.Train.Count - start);
                    // One batch at the largest resolution the step needs; ShrinkingStep resizes it for the others.
                    var (x, y) = batches.Make(perm.AsSpan(start, n), subnets.Max(c => c.R), augment);
                    double lr = LearningRate.At(phase.LearningRate, g, warmup, total);
                    double stepLoss = ShrinkingStep.Run(net, phase.Distill ? teacher : null, sgd, x, y, subnets, lr, _options.KdRatio);
                    if (!double.IsFinite(stepLoss))
                        throw new OfaException($"Training diverged in phase {phase.Name} at step {g} (loss {stepLoss}); lower --lr-{phase.Name}.");
                    lossSum += stepLoss; lossCount++;
                    images += n;
                    double cost = StepCost(phase) * n;
                    doneCost += cost; remainingCost -= cost;
                    if (_progress is not null && (s % 5 == 0 || g == total - 1))
                    {
                        double ips = images / epochClock.Elapsed.TotalSeconds;
                        TimeSpan? eta = doneCost > 0 ? TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / doneCost * Math.Max(0, remainingCost)) : null;
                        lastProgress = new TrainProgress(phase.Name, pi, _options.Phases.Count, epoch, epochs, g + 1, total, lossSum / lossCount, ips, eta);
                        _progress(lastProgress);
                    }
                }
                _log($"phase {phase.Name} epoch {epoch + 1}/{epochs}: loss {lossSum / Math.Max(1, lossCount):F4}, {images / epochClock.Elapsed.TotalSeconds:F0} images/s, {epochClock.Elapsed.TotalSeconds:F0} s");
                // The phase's weights are on disk before its evaluation (minutes at larger resolutions), which Ctrl-C can stop:
                // a resume then runs the evaluation and goes on. Once it has run, the checkpoint holds its BN statistics.
                bool evaluate = epoch == epochs - 1 && _options.Test is not null;
                SaveCheckpoint(net, teacher, sgd, pi, epoch + 1, evaluationPending: evaluate);
                Saved(Position(phase, epoch + 1, epochs, evaluate));
                if (evaluate)
                {
                    EvaluatePhase(net, phase, lastProgress, ct);
                    SaveCheckpoint(net, teacher, sgd, pi, epoch + 1);
                    Saved(Position(phase, epoch + 1, epochs, beforeEvaluation: false));
                }
            }
            startEpoch = 0; resumed = null;
        }
        net.SetActiveSubnet(SubnetConfig.Largest(_options.Space));
        _log($"training finished in {clock.Elapsed.TotalMinutes:F1} min{(_options.Resume ? " since this run started (the log has every epoch's time)" : "")}");
        return net;
    }

    private static string SandwichNote(Phase p) =>
        !p.UsesSandwich ? "" : p.SandwichResolutions ? " (sandwich, own resolutions)" : " (sandwich)";

    private void EvaluatePhase(OfaMobileNetV3 net, Phase phase, TrainProgress? lastStep, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var test = _options.Test!;
        SubnetConfig[] subnets = phase.Fixed is { } only ? [only]
            : [SubnetConfig.Largest(_options.Space), phase.Smallest(_options.Space, phase.PhaseResolutions(_options.Space).Min())];
        string which = phase.Fixed is null ? "the largest and smallest subnet" : "the subnet";
        var top1 = new double[subnets.Length];
        for (int k = 0; k < subnets.Length; k++)
        {
            int before = k; // each subnet runs the same images: its share of the whole is 1 / subnets.Length
            Action<(int Done, int Total)>? progress = _progress is null || lastStep is null ? null
                : p => _progress(lastStep with { Evaluating = new EvaluationProgress(which, before * p.Total + p.Done, subnets.Length * p.Total) });
            top1[k] = Evaluation.Top1(net, subnets[k], _options.Train, test, _options.Normalization, _options.EvalImages, progress: progress, cancel: ct);
        }
        net.train();
        string results = phase.Fixed is null
            ? $"largest top-1 {top1[0] * 100:F2} %, smallest of phase top-1 {top1[1] * 100:F2} %"
            : $"the subnet's top-1 {top1[0] * 100:F2} %";
        _log($"phase {phase.Name} eval on {CountText.Of(Math.Min(_options.EvalImages, test.Count), "image")} of {test.Source} (BN recalibrated): {results} ({sw.Elapsed.TotalSeconds:F0} s)");
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
        ps.Select(p => Times(p, 0).sum()).Aggregate(Plus).backward(); // d/dp of 0 * p: a zero gradient
    }

    private static string Name(Core.Packaging.HoldoutInfo? h) => h is null ? "none" : $"'{h}'";

    private OfaMobileNetV3 MakeTeacher(Core.Tensors.TensorSet weights) => ShrinkingStep.FrozenTeacher(_options.Space, weights, _options.Dropout);

    private void SaveCheckpoint(OfaMobileNetV3 net, OfaMobileNetV3? teacher, SgdNesterov sgd, int phase, int epochsDone, bool evaluationPending = false)
    {
        var (data, shapes) = TrainingCheckpoint.Capture(sgd.Buffers);
        new TrainingCheckpoint(phase, epochsDone, _options.Space.Name, _options.Space.NumClasses, net.ToTensorSet(), teacher?.ToTensorSet(), data, shapes)
        {
            InputChannels = _options.Space.InputChannels,
            Holdout = _options.Holdout,
            HoldoutRecorded = true,
            EvaluationPending = evaluationPending,
        }
            .Write(_options.CheckpointPath);
    }
}
