using System.Diagnostics;
using System.Globalization;
using OfaBuild.Core.Latency;
using OfaBuild.Core.Space;

namespace OfaBuild.Cli.Remote;

/// <summary>
/// What the board runs: `ofa profile` with these settings, as the local command would. <paramref name="Space"/> is a
/// preset's (passed as --space and --classes) or, with <paramref name="ModelPath"/>, that package's (the package is
/// copied to the board and passed as --model).
/// </summary>
internal sealed record RemoteProfileRequest(SearchSpace Space, string? ModelPath, string Device, int Threads, int Repetitions, int Warmup, string Precision = "fp32", int CalibrationSubnets = 50);

/// <summary>
/// `ofa profile --ssh`: makes a temporary folder on the board, publishes the profiler for the board's runtime
/// identifier, copies it (and the package of --model) there, runs the layer-shape protocol there (its progress lines relayed), brings the
/// table back and removes the folder.
/// </summary>
internal static class RemoteProfile
{
    public static LatencyTable Run(Ssh ssh, string rid, RemoteProfileRequest request, string outputPath, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        // The board first: a wrong host or key fails in seconds, not after a publish.
        string remoteDir = Ssh.RemotePath(ssh.Run(["mktemp", "-d"], TimeSpan.FromMinutes(1), cancel).Trim());
        try
        {
            string published = ProfilerPublisher.Publish(rid, OnBoard(request, outputPath), Log, cancel);
            long bytes = new DirectoryInfo(published).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
            Log(string.Create(CultureInfo.InvariantCulture, $"published {bytes / 1e6:F1} MB in {clock.Elapsed.TotalSeconds:F0} s"));

            var step = Stopwatch.StartNew();
            ssh.Upload(published, remoteDir, TimeSpan.FromMinutes(30), cancel);
            string? remoteModel = null;
            if (request.ModelPath is { } model)
            {
                remoteModel = remoteDir + "/model.ofa"; // its own name: the local one may hold anything
                ssh.UploadFile(model, remoteModel, TimeSpan.FromMinutes(30), cancel);
            }
            Log(string.Create(CultureInfo.InvariantCulture, $"copied to {ssh.Destination}:{remoteDir} in {step.Elapsed.TotalSeconds:F0} s"));

            step.Restart();
            string remoteTable = remoteDir + "/table.json";
            string[] words =
            [
                $"{remoteDir}/{Path.GetFileName(published)}/OfaBuild.Cli", "profile", "-o", remoteTable,
                .. remoteModel is not null ? new[] { "--model", remoteModel } : ["--space", request.Space.Name, "--classes", Invariant(request.Space.NumClasses)],
                "--device", request.Device,
                "--threads", Invariant(request.Threads), "--repetitions", Invariant(request.Repetitions), "--warmup", Invariant(request.Warmup), "--calibration", Invariant(request.CalibrationSubnets),
                "--precision", request.Precision,
            ];
            // No time limit: a large space on a slow board takes long; ServerAlive ends it if the board goes away.
            ssh.Run(words, Timeout.InfiniteTimeSpan, cancel, line => Log($"{ssh.Destination}: {line}"));
            Log(string.Create(CultureInfo.InvariantCulture, $"profiled on {ssh.Destination} in {step.Elapsed.TotalSeconds:F0} s"));

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
            ssh.Download(remoteTable, outputPath, TimeSpan.FromMinutes(5), cancel);
        }
        finally
        {
            try { ssh.Run(["rm", "-rf", "--", remoteDir], TimeSpan.FromMinutes(1), CancellationToken.None); }
            catch (OfaException ex) { Log($"warning: could not remove {remoteDir} on {ssh.Destination}: {ex.Message}"); }
        }
        var table = LatencyTableFile.Load(outputPath);
        Log(string.Create(CultureInfo.InvariantCulture, $"publish, copy and profile took {clock.Elapsed.TotalSeconds:F0} s"));
        return table;
    }

    /// <summary>
    /// Were the publish impossible, the same profile run on the board by hand: of the request's precision and device
    /// (the table's file name need not be the device, and `ofa profile` records the stem without --device).
    /// </summary>
    internal static string OnBoard(RemoteProfileRequest request, string outputPath) =>
        ProfileHint.Command(Path.GetFileName(outputPath), request.ModelPath is { } m ? Path.GetFileName(m) : null, request.Space, request.Precision, request.Device)
        + (request.ModelPath is null ? "" : " (with the package copied there)");

    private static string Invariant(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static void Log(string line) => Console.Error.WriteLine(line);
}
