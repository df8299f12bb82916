using System.Diagnostics;
using OfaBuild.Core.Packaging;

namespace OfaBuild.Cli.Tests;

/// <summary>
/// `ofa train` killed with SIGKILL at random moments: every `--resume` must find a complete checkpoint
/// (written to a temp file, then renamed) and the run must finish with a valid package.
/// </summary>
public class InterruptedTrainingTests
{
    /// <summary>A tiny image-folder dataset: 3 classes of 28x28 PGM images, train/ and test/.</summary>
    private static void WriteDataset(string root)
    {
        var rng = new Random(1);
        foreach (var (split, perClass) in new[] { ("train", 80), ("test", 20) })
            foreach (var (label, level) in new[] { ("dark", 40), ("grey", 128), ("light", 220) })
            {
                var dir = Path.Combine(root, split, label);
                Directory.CreateDirectory(dir);
                for (int i = 0; i < perClass; i++)
                {
                    var header = System.Text.Encoding.ASCII.GetBytes("P5\n28 28\n255\n");
                    var pixels = Enumerable.Range(0, 28 * 28).Select(_ => (byte)Math.Clamp(level + rng.Next(-30, 31), 0, 255)).ToArray();
                    File.WriteAllBytes(Path.Combine(dir, $"{i}.pgm"), header.Concat(pixels).ToArray());
                }
            }
    }

    private static string[] TrainArgs(string data, string output, bool resume) =>
    [
        "train", "--dataset", data, "--space", "mbv3-fmnist", "-o", output, "--batch", "16", "--threads", "1",
        "--epochs-full", "0.6", "--epochs-kernel", "0.4", "--epochs-depth-1", "0.2", "--epochs-depth-2", "0.2",
        "--epochs-expand-1", "0.2", "--epochs-expand-2", "0.2", "--eval-images", "30", "--calibration-images", "20",
        "--full-largest-resolution", "--sandwich", // the shipped supernet's recipe
        .. (resume ? new[] { "--resume" } : []),
    ];

    [Fact]
    public async Task Training_killed_at_random_moments_resumes_from_a_complete_checkpoint_and_finishes()
    {
        using var dir = new TempDir();
        WriteDataset(dir["data"]);
        var output = dir["tiny.ofa"];
        var rng = new Random(7);
        int kills = 0;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(Ofa.ToolPath);
            foreach (var a in TrainArgs(dir["data"], output, resume: File.Exists(output + ".ckpt"))) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromMilliseconds(rng.Next(2500, 6000))))
            {
                p.Kill(entireProcessTree: true); // SIGKILL: no chance to clean up
                p.WaitForExit();
                kills++;
                continue;
            }
            if (p.ExitCode != 0) Assert.Fail($"exit {p.ExitCode} after {kills} kill(s)\n{await stdout}\n{await stderr}");
            break;
        }
        if (!File.Exists(output))
        {
            var last = Ofa.Run(TrainArgs(dir["data"], output, resume: File.Exists(output + ".ckpt")));
            Assert.True(last.ExitCode == 0, last.ToString());
        }
        Assert.True(kills >= 1, "the run was never interrupted; the kill times are too late to test anything");
        var package = OfaPackage.Read(output);
        Assert.Equal("mbv3-fmnist", package.Manifest.Space.Name);
        Assert.Equal(["dark", "grey", "light"], package.Manifest.Labels);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp*", SearchOption.AllDirectories));
        Assert.Contains("4 subnet(s)/step (sandwich), KD", File.ReadAllText(output + ".log"));
    }
}
