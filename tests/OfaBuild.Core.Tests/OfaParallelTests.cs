namespace OfaBuild.Core.Tests;

public class OfaParallelTests
{
    [Fact]
    public void Runs_every_index_and_throws_an_error_unwrapped()
    {
        var ran = new int[100];
        OfaParallel.For(ran.Length, i => ran[i]++);
        Assert.All(ran, n => Assert.Equal(1, n));

        // Every index fails alike (as every start of an impossible search does): the lowest one that ran is thrown as it is.
        var ex = Assert.Throws<OfaException>(() => OfaParallel.For(8, i => throw new OfaException($"'file{i}.png' is not an image.")));
        Assert.Matches(@"^'file\d\.png' is not an image\.$", ex.Message);
        Assert.Throws<InvalidOperationException>(() => OfaParallel.For(1, _ => throw new InvalidOperationException()));
    }
}
