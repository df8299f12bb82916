using static OfaBuild.Core.Tests.Checkpoints.TorchZipBuilder;

namespace OfaBuild.Core.Tests.Checkpoints;

/// <summary>Seeded random damage to a small valid checkpoint: it reads, or fails with an OfaFormatException naming the file.</summary>
public class CheckpointMutationTests
{
    private const string File = "mutant.pt";

    [Fact]
    public void Damaged_pickles_fail_only_with_format_errors() =>
        // Mutating the pickle inside a well-formed zip reaches the unpickler (zip CRCs would catch most whole-file damage).
        Mutate(seed: 20250101, rounds: 400, SmallStateDict().Pickle, bytes => Zip("m", bytes, SmallStateDict().Storages));

    [Fact]
    public void Damaged_zip_files_fail_only_with_format_errors()
    {
        var (pickle, storages) = SmallStateDict();
        Mutate(seed: 7, rounds: 300, Zip("m", pickle, storages), bytes => bytes);
    }

    private static void Mutate(int seed, int rounds, byte[] original, Func<byte[], byte[]> toFile)
    {
        var rng = new Random(seed);
        int read = 0, refused = 0;
        for (int round = 0; round < rounds; round++)
        {
            var bytes = (byte[])original.Clone();
            int flips = rng.Next(1, 4);
            for (int f = 0; f < flips; f++)
                bytes[rng.Next(bytes.Length)] = rng.Next(3) == 0 ? (byte)rng.Next(256) : (byte)(bytes[rng.Next(bytes.Length)] ^ (1 << rng.Next(8)));
            if (rng.Next(4) == 0) bytes = bytes[..rng.Next(bytes.Length)];
            try
            {
                TorchCheckpoint.ReadStateDict(Stream(toFile(bytes)), File);
                read++;
            }
            catch (OfaFormatException e)
            {
                Assert.StartsWith(File + ": ", e.Message);
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"round {round} (seed {seed}): {e.GetType().Name} escaped: {e.Message}\n{e.StackTrace}");
            }
        }
        Assert.Equal(rounds, read + refused);
        Assert.True(refused > rounds / 4, $"only {refused} of {rounds} mutants were refused; the mutation is too weak to test anything");
    }
}
