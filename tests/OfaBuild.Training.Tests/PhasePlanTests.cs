using OfaBuild.Core.Space;
using OfaBuild.Training.Shrinking;

namespace OfaBuild.Training.Tests;

public class PhasePlanTests
{
    private static readonly SearchSpace Space = Presets.Get(Presets.FashionMnist);
    private static readonly PhaseSchedule Schedule = new(3, 0.1, 0.05, 64);

    [Fact]
    public void Progressive_shrinking_grows_the_space_phase_by_phase_with_distillation_after_the_full_net()
    {
        var phases = PhasePlan.Build(Space, PhasePlan.Names.ToDictionary(n => n, _ => Schedule));
        Assert.Equal(PhasePlan.Names, phases.Select(p => p.Name));
        Assert.Equal([1, 1, 2, 2, 4, 4], phases.Select(p => p.SubnetsPerStep));
        Assert.Equal([false, true, true, true, true, true], phases.Select(p => p.Distill));
        Assert.Equal([7], phases[0].KernelSizes);
        Assert.Equal([3, 4, 6], phases[^1].ExpandRatios);
        Assert.Equal([null, null, null, null, 0, 1], phases.Select(p => p.SortChannelsStage));
    }

    [Theory]
    [InlineData(false, 29)]
    [InlineData(true, 7)]
    public void Every_phase_has_a_default_schedule_from_scratch_and_after_a_transfer(bool transfer, double totalEpochs)
    {
        var defaults = PhasePlan.DefaultSchedules(transfer);
        var phases = PhasePlan.Build(Space, defaults);
        Assert.Equal(PhasePlan.Names, phases.Select(p => p.Name));
        Assert.Equal(PhasePlan.Names.Select(n => defaults[n]), phases.Select(p => p.Schedule));
        Assert.Equal(totalEpochs, phases.Sum(p => p.Schedule.Epochs));
    }

    [Fact]
    public void The_full_phase_can_train_at_the_largest_resolution_only_while_later_phases_sample_all()
    {
        var schedules = PhasePlan.Names.ToDictionary(n => n, _ => Schedule);
        var rng = new Random(5);
        var plain = PhasePlan.Build(Space, schedules);
        Assert.Equal(Space.Resolutions.Order(), Enumerable.Range(0, 300).Select(_ => plain[0].SampleResolution(Space, rng)).Distinct().Order());

        var phases = PhasePlan.Build(Space, schedules, fullAtLargestResolution: true);
        Assert.All(Enumerable.Range(0, 300), _ => Assert.Equal(28, phases[0].SampleResolution(Space, rng)));
        Assert.Equal(Space.Resolutions.Order(), Enumerable.Range(0, 300).Select(_ => phases[1].SampleResolution(Space, rng)).Distinct().Order());
    }

    [Fact]
    public void The_sandwich_rule_puts_the_phases_largest_and_smallest_subnet_into_every_multi_subnet_step()
    {
        var schedules = PhasePlan.Names.ToDictionary(n => n, _ => Schedule);
        var plain = PhasePlan.Build(Space, schedules);
        var sandwich = PhasePlan.Build(Space, schedules, sandwich: true);
        Func<int, Random> Seeded(int step) => j => new Random(step * 1000 + j);

        var expand2 = sandwich[^1];
        var largest = SubnetConfig.Uniform(Space, 7, 6, 4, 24);
        var smallest = SubnetConfig.Uniform(Space, 3, 3, 2, 24);
        var steps = Enumerable.Range(0, 50).Select(g => expand2.SampleStep(Space, Seeded(g), 24)).ToArray();
        Assert.All(steps, s => { Assert.Equal(4, s.Length); Assert.Equal(largest, s[0]); Assert.Equal(smallest, s[1]); });
        Assert.True(steps.Select(s => s[2]).Distinct().Count() > 40, "the other subnets stay random");
        Assert.Equal(SubnetConfig.Uniform(Space, 3, 6, 2, 20), sandwich[3].SampleStep(Space, Seeded(0), 20)[1]); // depth-2: e stays 6

        // Without the rule every subnet is drawn; one-subnet phases are the same either way.
        Assert.DoesNotContain(Enumerable.Range(0, 50), g => plain[^1].SampleStep(Space, Seeded(g), 24)[0].Equals(largest));
        for (int g = 0; g < 10; g++)
            Assert.Equal(plain[1].SampleStep(Space, Seeded(g), 24), sandwich[1].SampleStep(Space, Seeded(g), 24));
    }

    [Fact]
    public void With_sandwich_resolutions_the_largest_runs_at_the_largest_resolution_and_the_smallest_at_the_smallest()
    {
        var schedules = PhasePlan.Names.ToDictionary(n => n, _ => Schedule);
        var phases = PhasePlan.Build(Space, schedules, sandwich: true, sandwichResolutions: true);
        foreach (int r in Space.Resolutions)
        {
            var step = phases[^1].SampleStep(Space, j => new Random(r * 10 + j), r);
            Assert.Equal(SubnetConfig.Uniform(Space, 7, 6, 4, 28), step[0]);
            Assert.Equal(SubnetConfig.Uniform(Space, 3, 3, 2, 20), step[1]);
            Assert.All(step[2..], c => Assert.Equal(r, c.R));
        }
    }

    [Fact]
    public void A_fixed_subnet_phase_always_samples_that_subnet_without_a_teacher()
    {
        var config = SubnetConfig.Sample(Space, new Random(3));
        var phase = Assert.Single(PhasePlan.FixedSubnet(config, Schedule));
        Assert.False(phase.Distill);
        Assert.Equal(1, phase.SubnetsPerStep);
        for (int i = 0; i < 5; i++) Assert.Equal(config, phase.Sample(Space, new Random(i), Space.Resolutions[0]));
    }

    [Fact]
    public void The_ablation_samples_every_dimension_from_the_start_without_distillation_or_sorting()
    {
        var phase = Assert.Single(PhasePlan.AllAtOnce(Space, Schedule));
        Assert.Equal(Space.KernelSizes, phase.KernelSizes);
        Assert.Equal(Space.ExpandRatios, phase.ExpandRatios);
        Assert.Equal(Space.Depths, phase.Depths);
        Assert.Equal(4, phase.SubnetsPerStep);
        Assert.False(phase.Distill);
        Assert.Null(phase.SortChannelsStage);
        var rng = new Random(1);
        var seen = Enumerable.Range(0, 200).Select(_ => phase.Sample(Space, rng, 28)).ToArray();
        Assert.Contains(seen, c => c.D.Contains(2));
        Assert.Contains(seen, c => c.Ks.Contains(3));
    }
}
