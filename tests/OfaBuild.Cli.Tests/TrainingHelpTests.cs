using OfaBuild.Training.Shrinking;

namespace OfaBuild.Cli.Tests;

/// <summary>The help of the libtorch commands (train, eval, bench) states the defaults their owners hold (<see cref="PhasePlan"/>, <see cref="TrainingOptions"/>), not copies.</summary>
public sealed class TrainingHelpTests
{
    [Fact]
    public void Warmup_help_names_the_from_scratch_and_transfer_defaults_of_every_phase()
    {
        var help = Ofa.Help("train");
        var fromScratch = PhasePlan.DefaultSchedules(transfer: false);
        var transfer = PhasePlan.DefaultSchedules(transfer: true);
        Assert.NotEqual(fromScratch["full"].WarmupEpochs, transfer["full"].WarmupEpochs); // the help must tell them apart
        foreach (var name in PhasePlan.Names)
            Assert.Contains($"Warm-up epochs of phase {name} (default {fromScratch[name].WarmupEpochs}, with --from {transfer[name].WarmupEpochs}).", help);
    }

    [Fact]
    public void Eval_images_help_names_the_set_and_the_default_the_training_uses()
    {
        Assert.Contains($"--eval-images <eval-images> Hold-out images (else test) used for the evaluation after each phase. [default: {TrainingOptions.DefaultEvalImages}]", Ofa.Help("train"));
    }

    [Fact]
    public void Batch_and_from_help_follow_the_phase_table()
    {
        var help = Ofa.Help("train");
        var transfer = PhasePlan.DefaultSchedules(transfer: true);
        foreach (var schedules in new[] { PhasePlan.DefaultSchedules(transfer: false), transfer })
            Assert.All(schedules.Values, s => Assert.Equal(PhasePlan.DefaultBatchSize, s.BatchSize));
        Assert.Contains($"Batch size of every phase (default {PhasePlan.DefaultBatchSize}).", help);
        var shrinking = PhasePlan.Names.Where(n => n != "full").Select(n => transfer[n].Epochs).Distinct().Single();
        Assert.Contains($"a short schedule ({transfer["full"].Epochs} full-net epochs, {shrinking} per shrinking phase;", help);
    }

    [Fact]
    public void Libtorch_threads_help_gives_each_command_its_default_and_why()
    {
        Assert.Contains("--threads <threads> libtorch threads (the default phase schedules are sized and timed for 2). [default: 2]", Ofa.Help("train"));
        Assert.Contains("--threads <threads> libtorch threads (the default is ofa train's). [default: 2]", Ofa.Help("eval"));
        Assert.Contains($"--threads <threads> libtorch threads (the default is every core, to time the step at this machine's full width). [default: {Environment.ProcessorCount}]", Ofa.Help("bench train-step"));
    }
}
