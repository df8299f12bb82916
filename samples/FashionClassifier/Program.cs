using System.Diagnostics;
using System.Globalization;
using FashionApp;

// For every target embedded in this build: the subnet OfaBuild chose, its predicted latency on the device
// against the latency measured here, and its predicted top-1 against top-1 measured on the test split.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string folder = args.Length > 0 ? args[0] : FashionMnist.DefaultFolder;
var (pixels, labels, count) = FashionMnist.LoadTest(folder);
Console.WriteLine($"Fashion-MNIST test split: {count} images from {folder}");
Console.WriteLine();
Console.WriteLine($"{"target",-11} {"table",-9} {"budget",7} {"predicted",10} {"measured here",14} {"pred. top-1",11} {"top-1",7}  subnet");

foreach (var target in FashionClassifier.EmbeddedTargets)
{
    using var model = FashionClassifier.Create(target.Target);
    var info = model.Info;
    var input = new float[model.InputLength];
    var scores = new float[FashionClassifier.Labels.Count];

    // Accuracy on the whole test split (the image is resized to the subnet's resolution and normalised).
    int correct = 0;
    for (int i = 0; i < count; i++)
    {
        info.Input.Prepare(pixels.AsSpan(i * 28 * 28, 28 * 28), 28, 28, input);
        if (model.Predict(input, scores) == labels[i]) correct++;
    }

    // Latency: batch 1, median of 300 calls after 30 warm-up calls, on this machine.
    var times = new double[300];
    for (int i = -30; i < times.Length; i++)
    {
        long start = Stopwatch.GetTimestamp();
        model.Predict(input, scores);
        if (i >= 0) times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
    Array.Sort(times);

    string predictedAcc = info.PredictedAccuracy is { } a ? $"{a:P1}" : "n/a";
    Console.WriteLine($"{info.Target,-11} {info.TableKind,-9} {info.LatencyBudgetMs,5:0.###}ms {info.PredictedLatencyMs,8:0.###}ms {times[times.Length / 2],12:0.###}ms {predictedAcc,11} {correct / (double)count,7:P1}  {info.ConfigJson} ({info.Macs / 1e6:0.##} MMACs)");
}

using var auto = FashionClassifier.Create();
Console.WriteLine();
Console.WriteLine($"On this machine Create() picks '{auto.Info.Target}': {auto.Choice.Explanation}");
var first = pixels.AsSpan(0, 28 * 28);
var x = new float[auto.InputLength];
auto.Info.Input.Prepare(first, 28, 28, x);
var p = auto.Predict(x);
Console.WriteLine($"First test image: {p} (label: {FashionClassifier.Labels[labels[0]]})");
