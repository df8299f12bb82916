namespace OfaBuild.Cli.Tests;

/// <summary>What `ofa measure` and `ofa regret` accept before they read anything: the same dataset options as eval and quantize.</summary>
public sealed class MeasuringOptionsTests
{
    [Theory]
    [InlineData("measure")]
    [InlineData("regret")]
    public void Both_take_the_fashion_mnist_folder_as_eval_and_quantize_do(string command)
    {
        // Before, both read Fashion-MNIST from its default folder only, while their error said "pass --data-dir".
        Assert.Contains("--data-dir", Ofa.Succeeds(command, "--help").Stdout);
    }

    [Fact]
    public void Measure_refuses_the_training_split()
    {
        // Before, --eval-split train measured training images, on which the predictor was then trained.
        var r = Ofa.Run("measure", "--model", "x.ofa", "--dataset", "fashion-mnist", "--eval-split", "train");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("'train'", r.Stderr + r.Stdout);
        Assert.Contains("holdout", r.Stderr + r.Stdout);
    }
}
