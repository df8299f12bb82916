namespace OfaBuild.Training.Shrinking;

/// <summary>
/// One phase of progressive shrinking: the part of the space it samples from, how many subnets share a step,
/// whether it distils from the teacher, the channel sorting it starts with, and its schedule.
/// <see cref="Resolutions"/> narrows the space's input resolutions for this phase (null: all of them).
/// <see cref="Sandwich"/> makes every step with two or more subnets train the phase's largest and smallest
/// subnet, plus random ones (the sandwich rule of Yu et al., BigNAS 2020; the reference samples all uniformly);
/// with <see cref="SandwichResolutions"/> that largest runs at the phase's largest resolution and that smallest at
/// its smallest, as in BigNAS, instead of at the step's resolution.
/// </summary>
public sealed record Phase
{
    public required string Name { get; init; }

    /// <summary>The choices this phase samples from (the space's or a part of them).</summary>
    public required int[] KernelSizes { get; init; }
    public required int[] ExpandRatios { get; init; }
    public required int[] Depths { get; init; }

    /// <summary>Subnets whose gradients one step accumulates.</summary>
    public required int SubnetsPerStep { get; init; }
    /// <summary>Distil from the full network trained in the first phase.</summary>
    public required bool Distill { get; init; }
    /// <summary>Sort the middle channels at the start of the phase (the reference's re_organize_middle_weights) with this expand-ratio stage; null: no sorting.</summary>
    public int? SortChannelsStage { get; init; }

    public required PhaseSchedule Schedule { get; init; }
    public double Epochs => Schedule.Epochs;
    public double WarmupEpochs => Schedule.WarmupEpochs;
    public double LearningRate => Schedule.LearningRate;
    public int BatchSize => Schedule.BatchSize;

    /// <summary>The one subnet a phase trains as a plain network (a baseline), or null.</summary>
    public SubnetConfig? Fixed { get; init; }
    public IReadOnlyList<int>? Resolutions { get; init; }
    public bool Sandwich { get; init; }
    public bool SandwichResolutions { get; init; }

    /// <summary>The resolution of one batch, uniform over the phase's resolutions (the reference samples one per batch).</summary>
    public int SampleResolution(SearchSpace space, Random rng)
    {
        var rs = Resolutions ?? space.Resolutions;
        return rs[rng.Next(rs.Count)];
    }

    /// <summary>The resolutions this phase trains at.</summary>
    public IReadOnlyList<int> PhaseResolutions(SearchSpace space) => Resolutions ?? space.Resolutions;

    /// <summary>Whether the sandwich rule shapes this phase's steps (it needs two subnets per step).</summary>
    public bool UsesSandwich => Sandwich && Fixed is null && SubnetsPerStep >= 2;

    /// <summary>
    /// A subnet drawn uniformly from this phase's space at resolution <paramref name="r"/>, or the phase's
    /// <see cref="Fixed"/> subnet (at its own resolution) when it trains one network only.
    /// </summary>
    public SubnetConfig Sample(SearchSpace space, Random rng, int r) =>
        Fixed ?? SubnetConfig.Sample(space, rng.Next, KernelSizes, ExpandRatios, Depths, r);

    /// <summary>
    /// The subnets of one step at the step's resolution <paramref name="r"/> (the sandwich's two at their own with
    /// <see cref="SandwichResolutions"/>); subnet j draws from <paramref name="rngOf"/>(j), so a step's sample depends
    /// only on its seeds.
    /// </summary>
    public SubnetConfig[] SampleStep(SearchSpace space, Func<int, Random> rngOf, int r) =>
        Enumerable.Range(0, SubnetsPerStep).Select(j => (UsesSandwich, j) switch
        {
            (true, 0) => Largest(space, SandwichResolutions ? PhaseResolutions(space).Max() : r),
            (true, 1) => Smallest(space, SandwichResolutions ? PhaseResolutions(space).Min() : r),
            _ => Sample(space, rngOf(j), r),
        }).ToArray();

    /// <summary>The largest choice of this phase in every slot and stage.</summary>
    public SubnetConfig Largest(SearchSpace space, int r) => SubnetConfig.Uniform(space, KernelSizes.Max(), ExpandRatios.Max(), Depths.Max(), r);

    /// <summary>The smallest choice of this phase in every slot and stage.</summary>
    public SubnetConfig Smallest(SearchSpace space, int r) => SubnetConfig.Uniform(space, KernelSizes.Min(), ExpandRatios.Min(), Depths.Min(), r);
}

/// <summary>Per-phase schedule given on the command line.</summary>
public sealed record PhaseSchedule(double Epochs, double WarmupEpochs, double LearningRate, int BatchSize);

/// <summary>The reference's sequence (DESIGN.md "Progressive shrinking"), derived from a space's choice lists.</summary>
public static class PhasePlan
{
    /// <summary>The default batch size of every phase, from scratch and after --from.</summary>
    public const int DefaultBatchSize = 128;

    /// <summary>
    /// Each phase of the sequence with its default schedule (epochs, warm-up epochs, learning rate, batch): from
    /// scratch, and after `ofa train --from` (<see cref="Transfer.SupernetTransfer"/>).
    /// From scratch: sized for 2 CPU cores and the mbv3-fmnist space (29 epochs; the shipped supernet ran a longer
    /// 40/3/1/4/1/10, then 6 more expand-2 epochs: samples/models/README.md). Measured on a quiet machine with 2
    /// threads: about 70-90 s per full-net or kernel epoch, 110 s per depth epoch (2 subnets per step), 190 s per
    /// expand epoch (4 subnets); about 55 minutes in total.
    /// After --from: the full net for 2 epochs (the new classifier learns, the rest adapts at a lower rate than from
    /// scratch), then one epoch of each shrinking phase at the reference's fine-tuning rates.
    /// </summary>
    private static readonly (string Name, PhaseSchedule FromScratch, PhaseSchedule Transfer)[] Defaults =
    [
        ("full", new(15, 0.3, 0.1, DefaultBatchSize), new(2, 0.2, 0.03, DefaultBatchSize)),
        ("kernel", new(3, 0.1, 0.03, DefaultBatchSize), new(1, 0, 0.01, DefaultBatchSize)),
        ("depth-1", new(1, 0, 0.01, DefaultBatchSize), new(1, 0, 0.005, DefaultBatchSize)),
        ("depth-2", new(3, 0.1, 0.02, DefaultBatchSize), new(1, 0, 0.01, DefaultBatchSize)),
        ("expand-1", new(1, 0, 0.01, DefaultBatchSize), new(1, 0, 0.005, DefaultBatchSize)),
        ("expand-2", new(6, 0.1, 0.02, DefaultBatchSize), new(1, 0, 0.01, DefaultBatchSize)),
    ];

    /// <summary>The phases in training order.</summary>
    public static IReadOnlyList<string> Names { get; } = Defaults.Select(p => p.Name).ToArray();

    /// <summary>The default schedule of every phase, from scratch or (<paramref name="transfer"/>) after --from.</summary>
    public static IReadOnlyDictionary<string, PhaseSchedule> DefaultSchedules(bool transfer) =>
        Defaults.ToDictionary(p => p.Name, p => transfer ? p.Transfer : p.FromScratch);

    /// <summary>
    /// Baseline for the evidence: one fixed subnet trained from scratch as a plain network with the full phase's
    /// recipe (no distillation). Train it on a space whose only resolution is the subnet's.
    /// </summary>
    public static IReadOnlyList<Phase> FixedSubnet(SubnetConfig config, PhaseSchedule schedule) =>
        [new Phase { Name = "fixed", KernelSizes = [], ExpandRatios = [], Depths = [], SubnetsPerStep = 1, Distill = false, Schedule = schedule, Fixed = config }];

    /// <summary>
    /// Ablation without progressive shrinking: one phase sampling every elastic dimension from the start
    /// (4 subnets per step, as the last expand phase), no teacher and no channel sorting.
    /// </summary>
    public static IReadOnlyList<Phase> AllAtOnce(SearchSpace space, PhaseSchedule schedule) =>
        [new Phase
        {
            Name = "all", KernelSizes = space.KernelSizes.ToArray(), ExpandRatios = space.ExpandRatios.ToArray(), Depths = space.Depths.ToArray(),
            SubnetsPerStep = 4, Distill = false, Schedule = schedule,
        }];

    /// <param name="fullAtLargestResolution">
    /// Train the full-net phase at the space's largest resolution only. The reference samples every
    /// resolution from the start; on 28x28 images that cost the largest net about 2 points after 6 epochs.
    /// </param>
    /// <param name="sandwich">Steps of two or more subnets always include the phase's largest and smallest (<see cref="Phase.Sandwich"/>).</param>
    /// <param name="sandwichResolutions">Those two run at the phase's largest and smallest resolution (<see cref="Phase.SandwichResolutions"/>).</param>
    public static IReadOnlyList<Phase> Build(SearchSpace space, IReadOnlyDictionary<string, PhaseSchedule> schedules,
        bool fullAtLargestResolution = false, bool sandwich = false, bool sandwichResolutions = false)
    {
        int[] ks = space.KernelSizes.ToArray(), es = space.ExpandRatios.ToArray(), ds = space.Depths.ToArray();
        int[] Last(int[] xs, int n) => xs[^Math.Min(n, xs.Length)..];
        Phase P(string name, int[] k, int[] e, int[] d, int subnets, bool kd, int? sort) => new()
        {
            Name = name, KernelSizes = k, ExpandRatios = e, Depths = d, SubnetsPerStep = subnets, Distill = kd, SortChannelsStage = sort,
            Schedule = schedules[name], Sandwich = sandwich, SandwichResolutions = sandwichResolutions,
        };
        return
        [
            P("full", Last(ks, 1), Last(es, 1), Last(ds, 1), 1, false, null) with
            {
                Resolutions = fullAtLargestResolution ? [space.Resolutions.Max()] : null,
            },
            P("kernel", ks, Last(es, 1), Last(ds, 1), 1, true, null),
            P("depth-1", ks, Last(es, 1), Last(ds, 2), 2, true, null),
            P("depth-2", ks, Last(es, 1), ds, 2, true, null),
            P("expand-1", ks, Last(es, 2), ds, 4, true, 0),
            P("expand-2", ks, es, ds, 4, true, 1),
        ];
    }
}
