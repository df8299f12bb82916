using System.Diagnostics;
using System.Text;
using OfaBuild.Core.Packaging;
using OfaBuild.Training.Shrinking;

namespace OfaBuild.Cli.Tests;

/// <summary>
/// `ofa train` killed with SIGKILL as soon as it reports a committed checkpoint, twice: every `--resume` must
/// find a complete checkpoint (written to a temp file, then renamed), continue from where that checkpoint
/// stopped, and end with a valid package whose weights equal those of a run that was never interrupted (and no
/// checkpoint beside it, unless --keep-checkpoint).
/// The kills follow the tool's own "checkpoint saved:" lines, not the clock, so the test means the same on a
/// fast or a loaded machine.
/// </summary>
public class InterruptedTrainingTests
{
    private static string[] TrainArgs(string data, string output, bool resume, bool keepCheckpoint = false) =>
    [
        "train", "--dataset", data, "--space", "mbv3-fmnist", "-o", output, "--batch", "16", "--threads", "1",
        "--epochs-full", "0.6", "--epochs-kernel", "0.4", "--epochs-depth-1", "0.2", "--epochs-depth-2", "0.2",
        "--epochs-expand-1", "0.2", "--epochs-expand-2", "0.2", "--eval-images", "30", "--calibration-images", "20",
        "--full-largest-resolution", "--sandwich", // the shipped supernet's recipe
        .. (resume ? new[] { "--resume" } : []),
        .. (keepCheckpoint ? new[] { "--keep-checkpoint" } : []),
    ];

    /// <summary>How a test stops a run: SIGKILL (no chance to clean up), or SIGINT as Ctrl-C sends.</summary>
    private enum Stop { Kill, CtrlC }

    /// <summary>
    /// Runs `ofa` and stops it once it reports its first saved checkpoint (or the first line that starts with <paramref name="stopAt"/>);
    /// returns how it ended and all it wrote.
    /// </summary>
    private static async Task<ProcessResult> RunUntilFirstCheckpoint(string[] args, Stop stop = Stop.Kill, string stopAt = ProgressiveShrinking.CheckpointSaved)
    {
        // Ctrl-C through env --default-signal=INT: a child of a non-interactive shell's background job would ignore SIGINT.
        var psi = new ProcessStartInfo(stop == Stop.CtrlC ? "env" : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (stop == Stop.CtrlC ? ["--default-signal=INT", "dotnet", Ofa.ToolPath] : new[] { Ofa.ToolPath }).Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        // The stop line is read and the stop sent on a thread of this run's own, not where awaited reads resume (the test
        // host's shared threads, which other test classes' blocking runs occupy): a late resumption would miss the window
        // a stop must land in (Ctrl-C in the final evaluation: its 3 batches, 0.6 to 1 s at load 8.5).
        var reading = Task.Factory.StartNew(() => ReadAndStop(p, stop, stopAt), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            if (await Task.WhenAny(reading, Task.Delay(TimeSpan.FromMinutes(5))) != reading) Assert.Fail($"ofa {string.Join(' ', args)} ran for 5 minutes");
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
        var (stdout, stopped) = await reading;
        var result = new ProcessResult(p.ExitCode, stdout, await stderr, stdout + await stderr);
        Assert.True(stopped, $"ofa {string.Join(' ', args)} ended without reporting a checkpoint\n{result}");
        return result;
    }

    /// <summary>Reads <paramref name="p"/>'s output to its end, stopping it at the first line that holds <paramref name="stopAt"/>.</summary>
    private static (string Stdout, bool Stopped) ReadAndStop(Process p, Stop stop, string stopAt)
    {
        var stdout = new StringBuilder();
        bool stopped = false;
        while (p.StandardOutput.ReadLine() is { } line)
        {
            stdout.AppendLine(line);
            if (stopped || !line.Contains(stopAt, StringComparison.Ordinal)) continue;
            stopped = true;
            if (stop == Stop.Kill) p.Kill(entireProcessTree: true);
            else
            {
                using var interrupt = Process.Start("kill", ["-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
                interrupt.WaitForExit();
            }
        }
        return (stdout.ToString(), stopped);
    }

    [Fact]
    public async Task Training_killed_after_each_checkpoint_resumes_where_it_stopped_and_ends_as_an_uninterrupted_run()
    {
        using var dir = new TempDir();
        TinyImageFolder.Write(dir["data"]);
        var output = dir["tiny.ofa"];
        // The uninterrupted run to compare with runs beside the interrupted ones (two 1-thread runs on the machine's
        // cores), in a folder of its own. Awaited before the folder goes, whatever the interrupted runs did.
        Directory.CreateDirectory(dir["reference"]);
        var reference = Task.Run(() => Ofa.Run(TrainArgs(dir["data"], dir["reference/uninterrupted.ofa"], resume: false, keepCheckpoint: true)));
        try
        {
            await KillTwiceAndResume(dir, output);
        }
        finally
        {
            await Task.WhenAny(reference); // waits, without throwing what the reference run threw
        }

        var package = OfaPackage.Read(output);
        Assert.Equal("mbv3-fmnist", package.Manifest.Space.Name);
        Assert.Equal(["dark", "grey", "light"], package.Manifest.Labels);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp*", SearchOption.AllDirectories));
        Assert.Contains("4 subnet(s)/step (sandwich), KD", File.ReadAllText(output + ".log"));

        // All randomness derives from (seed, phase, epoch, step) and the checkpoint holds the rest: same weights, bit for bit.
        var uninterrupted = await reference;
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.ToString());
        Assert.True(File.Exists(dir["reference/uninterrupted.ofa.ckpt"]), "--keep-checkpoint removed the checkpoint");
        Assert.Contains($"kept checkpoint {dir["reference/uninterrupted.ofa.ckpt"]} (--keep-checkpoint): the same command with a larger --epochs-expand-2 and --resume continues the last phase", uninterrupted.Stdout);
        var expected = OfaPackage.Read(dir["reference/uninterrupted.ofa"]).Weights;
        Assert.Equal(expected.Names.OrderBy(n => n, StringComparer.Ordinal), package.Weights.Names.OrderBy(n => n, StringComparer.Ordinal));
        foreach (var name in expected.Names)
            Assert.True(expected[name].Bytes.SequenceEqual(package.Weights[name].Bytes), $"{name} differs from the uninterrupted run");
    }

    /// <summary>`ofa train` killed after its first checkpoint, resumed and killed after its second, resumed to the end.</summary>
    private static async Task KillTwiceAndResume(TempDir dir, string output)
    {
        // Killed after the full phase's checkpoint, then after the kernel phase's: each resume starts at the next phase.
        string first = (await RunUntilFirstCheckpoint(TrainArgs(dir["data"], output, resume: false))).Stdout;
        Assert.Contains($"{ProgressiveShrinking.CheckpointSaved} phase full epoch 1/1", first);
        string second = (await RunUntilFirstCheckpoint(TrainArgs(dir["data"], output, resume: true))).Stdout;
        Assert.Contains("phase kernel, epoch 1", second); // "resumed from <ckpt>: phase kernel, epoch 1"
        Assert.Contains($"{ProgressiveShrinking.CheckpointSaved} phase kernel epoch 1/1", second);
        Assert.False(File.Exists(output), "a killed run wrote the package");
        Assert.True(File.Exists(output + ".ckpt"), "a killed run lost its checkpoint");
        var last = Ofa.Succeeds(TrainArgs(dir["data"], output, resume: true));
        Assert.Contains("phase depth-1, epoch 1", last.Stdout);
        // The finished run's package holds the weights: its checkpoint goes (before, it stayed beside the package).
        Assert.False(File.Exists(output + ".ckpt"), "the finished run left its checkpoint");
        Assert.Contains($"removed checkpoint {output}.ckpt: the package holds the trained weights (--keep-checkpoint keeps it", last.Stdout);
    }

    [Fact]
    public async Task Ctrl_C_after_a_checkpoint_names_it_and_the_command_that_continues()
    {
        using var dir = new TempDir();
        TinyImageFolder.Write(dir["data"]);
        var output = dir["tiny.ofa"];
        var r = await RunUntilFirstCheckpoint(TrainArgs(dir["data"], output, resume: false), Stop.CtrlC);

        Assert.Equal(130, r.ExitCode);
        // The phase's checkpoint is written before its evaluation, which Ctrl-C stops (or after it, if the evaluation was done first).
        Assert.Contains($"cancelled; checkpoint {output}.ckpt is written (phase full epoch 1/1", r.Stderr);
        Assert.Contains($"continue with: ofa train --dataset {dir["data"]}", r.Stderr);
        Assert.EndsWith("--sandwich --resume", r.Stderr.Trim());
        Assert.True(File.Exists(output + ".ckpt"), "the interrupted run removed its checkpoint");
    }

    [Fact]
    public async Task Ctrl_C_in_the_final_evaluation_keeps_the_checkpoint_from_which_resume_writes_the_package()
    {
        // One phase (--no-progressive): its first checkpoint is its last, and the final evaluation follows it (BN
        // recalibration on the 240 training images, then the 60 test images: 3 batches, each of which Ctrl-C can stop
        // before it runs). Before, Ctrl-C waited for the evaluation and the package, and the run ended as if it had not come.
        using var dir = new TempDir();
        TinyImageFolder.Write(dir["data"]);
        var output = dir["tiny.ofa"];
        string[] args = ["train", "--dataset", dir["data"], "--space", "mbv3-fmnist", "-o", output, "--batch", "16", "--threads", "1",
            "--no-progressive", "--epochs-full", "0.2", "--eval-images", "30", "--calibration-images", "20"];
        // Stopped once the phase's evaluation is done too (its checkpoint written again, without "before its evaluation").
        var r = await RunUntilFirstCheckpoint(args, Stop.CtrlC, $"{ProgressiveShrinking.CheckpointSaved} phase all epoch 1/1 (");

        Assert.True(r.ExitCode == 130, r.ToString());
        Assert.Contains($"cancelled; training had finished but not its final evaluation, so {output} is not written; checkpoint {output}.ckpt is written"
            + " (phase all epoch 1/1), from which --resume goes straight to the final evaluation; continue with: ofa train --dataset", r.Stderr);
        Assert.EndsWith("--calibration-images 20 --resume", r.Stderr.Trim());
        Assert.False(File.Exists(output), "the interrupted run wrote the package");
        Assert.True(File.Exists(output + ".ckpt"), "the interrupted run removed its checkpoint");

        var resumed = Ofa.Succeeds([.. args, "--resume"]);
        Assert.Contains($"resumed from {output}.ckpt: the final evaluation (all phases trained)", resumed.Stdout);
        Assert.Contains("largest subnet: top-1", resumed.Stdout);
        Assert.Contains($"wrote {output}", resumed.Stdout);
        Assert.False(File.Exists(output + ".ckpt"), "the finished run left its checkpoint");
    }

    [Fact]
    public void Resume_of_a_finished_run_whose_checkpoint_went_is_refused_before_the_dataset_is_read()
    {
        // Before, --resume found no checkpoint, said "starting from scratch", and trained anew over the package.
        using var dir = new TempDir();
        var output = dir["tiny.ofa"];
        File.Copy(Ofa.Untrained(), output); // a finished run's package, its checkpoint removed
        var before = File.ReadAllBytes(output);
        string[] args = ["train", "--dataset", dir["nowhere"], "--space", "mbv3-fmnist", "-o", output];
        var r = Ofa.Refuses([.. args, "--resume"]);
        Assert.Contains($"'{output}' is a finished run: there is no checkpoint {output}.ckpt to resume, as a run removes it once its package is written", r.Stderr);
        Assert.Contains("To train anew, drop --resume (or give another -o); to continue a run's last phase later, give --keep-checkpoint when you train it.", r.Stderr);
        Assert.Equal(before, File.ReadAllBytes(output));

        // No package and no checkpoint: a script's first run with --resume goes on, to start from scratch (here it stops at the missing dataset).
        var first = Ofa.Refuses([.. args[..^1], dir["new.ofa"], "--resume"]);
        Assert.DoesNotContain("finished run", first.Stderr);
        Assert.Contains(dir["nowhere"], first.Stderr);
    }
}
