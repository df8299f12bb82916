using System.Diagnostics;
using System.Globalization;
using OfaBuild.AdaptiveBench;
using OfaBuild.Core.Data;
using OfaBuild.Runtime;

// Adaptive against fixed target under CPU contention (issue 19, item 4). Options (all optional):
//   --supernet samples/models/fashion-mnist.ofa --device x64-avx2 --build-budget-ms 0.5 --levels 3
//   --budget-factor 2 --busy 2,3 --calls 300 --batch 32 --repeats 3 --data-dir /usr/share/datasets/fashion-mnist
// The ladder is what a build embeds for [OfaTarget(device, LatencyMs = build-budget-ms, Adaptive = true, Levels = levels)]:
// Specializer with Levels, Core's AdaptiveLadder rule (rungs geometric from rung 0 down to the fastest subnet).
// Phases: quiet, then each --busy count of spinning processes in turn, then quiet again. A call classifies --batch images
// in one run: a single image (about 0.35 ms) is far shorter than the scheduler's waits on a shared machine, so its p95
// measures those waits, which no subnet can shorten. The budget is --budget-factor x rung 0's p95 measured alone,
// without busy processes, once per process; each run (--repeats) starts from fresh sessions.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var opt = Options.Parse(args);
void Log(string s) => Console.WriteLine(s);

Log($"load average before: {LoadAverage()}; {Environment.ProcessorCount} cores");
var sw = Stopwatch.StartNew();
var ladder = LadderBuilder.Build(opt.Supernet, opt.Device, opt.BuildBudgetMs, opt.Levels, Log);
Log($"ladder built in {sw.Elapsed.TotalSeconds:0.0} s");

var test = FashionMnist.Load("test", opt.DataDir);
var input0 = ladder[0].Info.Input;
var inputs = ImageInput.Prepare(test.Pixels, test.Count, test.Channels, test.Height, test.Width, input0.Resolution, input0.Mean, input0.Std);
int inputLength = ladder[0].Info.InputLength, classes = ladder[0].Info.Labels.Count;
int calls = test.Count / opt.Batch; // a call classifies opt.Batch consecutive test images; call i wraps around the split
ReadOnlySpan<float> Batch(int i) => inputs.AsSpan(i % calls * opt.Batch * inputLength, opt.Batch * inputLength);

// Each rung on the whole test split, and alone on a quiet machine (no busy processes of ours).
var quiet = new double[ladder.Count];
Log("");
Log("| rung | config | MMACs | predicted ms | measured p50 / p95 ms (quiet) | predicted top-1 | test top-1 |");
Log("|---|---|---|---|---|---|---|");
for (int r = 0; r < ladder.Count; r++)
{
    using var s = Open(ladder[r]);
    var x = ladder[r].Info.Input;
    double top1 = TestAccuracy(s, ImageInput.Prepare(test.Pixels, test.Count, test.Channels, test.Height, test.Width, x.Resolution, x.Mean, x.Std));
    // Timed through an adaptive session pinned to the rung: the same path (and input resizing) as the benchmark's calls.
    using var alone = new AdaptiveSession(ladder.Select(Open).ToArray(), latencyBudgetMs: 1e6);
    alone.Governor.PinnedRung = r;
    var lat = new double[opt.Calls];
    var scores = new float[classes * opt.Batch];
    var labels = new int[opt.Batch];
    for (int i = 0; i < 100; i++) alone.Predict(Batch(i), opt.Batch, scores, labels, out _);
    for (int i = 0; i < lat.Length; i++)
    {
        long t0 = Stopwatch.GetTimestamp();
        alone.Predict(Batch(i), opt.Batch, scores, labels, out _);
        lat[i] = Ms(Stopwatch.GetTimestamp() - t0);
    }
    quiet[r] = Percentile(lat, 0.95);
    var info = ladder[r].Info;
    Log($"| {r} | `{ladder[r].Config.ToJson()}` | {info.Macs / 1e6:0.##} | {info.PredictedLatencyMs:0.###} | {Percentile(lat, 0.5):0.###} / {quiet[r]:0.###} | {info.PredictedAccuracy:P2} | {top1:P2} |");
}
double budget = Math.Round(opt.BudgetFactor * quiet[0], 3);
Log($"\nbudget = {opt.BudgetFactor} x rung 0's quiet p95 ({quiet[0]:0.###} ms) = {budget:0.###} ms");

(string Name, int Busy)[] phases = [("quiet", 0), .. opt.Busy.Select(k => ($"{k} busy processes", k)), ("quiet again", 0)];
var summary = new List<(string Phase, string Target, double P95OverBudget, double Top1, double Rung0Share, double Slowdown)>();
for (int repeat = 1; repeat <= opt.Repeats; repeat++)
{
    Log($"\n## run {repeat} (load average {LoadAverage()})");
    var fixedSession = Open(ladder[0]);
    using var adaptive = new AdaptiveSession(ladder.Select(Open).ToArray(), budget);
    var warm = new float[classes * opt.Batch];
    var warmLabels = new int[opt.Batch];
    for (int r = adaptive.RungCount - 1; r >= 0; r--) // each rung's session warmed on its own, ending pinned at rung 0, then unpinned
    {
        adaptive.Governor.PinnedRung = r;
        for (int i = 0; i < 100; i++) adaptive.Predict(Batch(i), opt.Batch, warm, warmLabels, out _);
    }
    adaptive.Governor.PinnedRung = null;
    var changes = new List<RungChangedEventArgs>();
    adaptive.Governor.RungChanged += (_, e) => { lock (changes) changes.Add(e); };
    using var fixedLadder = new AdaptiveSession([fixedSession], budget); // one rung: no adaptive behaviour, same call path
    for (int i = 0; i < 100; i++) fixedLadder.Predict(Batch(i), opt.Batch, warm, warmLabels, out _);
    var fixedTarget = new Target("fixed (rung 0)", (x, s, l) => { fixedLadder.Predict(x, opt.Batch, s, l, out int rung); return rung; });
    var adaptiveTarget = new Target("adaptive", (x, s, l) => { adaptive.Predict(x, opt.Batch, s, l, out int rung); return rung; });
    var fixedP50 = new List<double>();
    var firstP50 = new Dictionary<Target, double>(); // each target's p50 in the first quiet phase
    Log("| phase | target | calls | p50 ms | p95 ms | p95 / budget | served top-1 | calls per rung | rung changes |");
    Log("|---|---|---|---|---|---|---|---|---|");
    foreach (var (phase, busy) in phases)
    {
        using var contention = busy > 0 ? new CpuContention(busy) : null;
        changes.Clear();
        var results = Interleave([fixedTarget, adaptiveTarget], opt.Calls, ladder.Count);
        fixedP50.Add(Percentile(results[0].Item2.Latency, 0.5));
        foreach (var (t, res) in results) firstP50.TryAdd(t, Percentile(res.Latency, 0.5));
        foreach (var (t, res) in results)
        {
            double p95 = Percentile(res.Latency, 0.95), top1 = (double)res.Correct / (res.Latency.Count * opt.Batch);
            summary.Add((phase, t.Name, p95 / budget, top1, (double)res.PerRung[0] / res.Latency.Count, Percentile(res.Latency, 0.5) / firstP50[t]));
            Log($"| {phase} | {t.Name} | {res.Latency.Count} | {Percentile(res.Latency, 0.5):0.###} | {p95:0.###} | " +
                $"{p95 / budget:0.00} | {top1:P2} | {string.Join(" / ", res.PerRung)} | " +
                (t == adaptiveTarget ? $"{changes.Count}" : "-") + " |");
        }
    }
    Log($"(load average after: {LoadAverage()}; slowdown of the fixed target, p50 / first quiet p50: " +
        string.Join(", ", phases.Select((p, i) => $"{p.Name} {fixedP50[i] / fixedP50[0]:0.0}x")) + ")");
}

// Every run's figures side by side, phase by phase: the spread across runs.
Log($"\n## summary of {opt.Repeats} runs (budget {budget:0.###} ms)");
Log("| phase | target | p50 / quiet p50 | p95 / budget | served top-1 | calls from rung 0 |");
Log("|---|---|---|---|---|---|");
foreach (var g in summary.GroupBy(x => (x.Phase, x.Target)))
    Log($"| {g.Key.Phase} | {g.Key.Target} | {string.Join(", ", g.Select(x => $"{x.Slowdown:0.0}x"))} | {string.Join(", ", g.Select(x => $"{x.P95OverBudget:0.00}"))} | " +
        $"{string.Join(", ", g.Select(x => $"{x.Top1:P2}"))} | {string.Join(", ", g.Select(x => $"{x.Rung0Share:P0}"))} |");

// The targets take turns in blocks of 50 calls so both see the same contention; each walks the test split from image 0.
List<(Target, PhaseResult)> Interleave(Target[] targets, int calls, int rungs)
{
    var results = targets.Select(t => (t, new PhaseResult(rungs))).ToList();
    var scores = new float[classes * opt.Batch];
    var labels = new int[opt.Batch];
    const int block = 50;
    for (int start = 0; start < calls; start += block)
        foreach (var (t, res) in results)
            for (int i = start; i < Math.Min(calls, start + block); i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                int rung = t.Predict(Batch(i), scores, labels);
                res.Latency.Add(Ms(Stopwatch.GetTimestamp() - t0));
                res.PerRung[rung]++;
                int first = i % (test.Count / opt.Batch) * opt.Batch;
                for (int j = 0; j < opt.Batch; j++) if (labels[j] == test.Labels[first + j]) res.Correct++;
            }
    return results;
}

double TestAccuracy(OfaModelSession s, float[] inputs)
{
    int inputLength = s.InputLength;
    const int batch = 500;
    var scores = new float[batch * classes];
    int correct = 0;
    for (int start = 0; start < test.Count; start += batch)
    {
        int n = Math.Min(batch, test.Count - start);
        s.RunBatch(inputs.AsSpan(start * inputLength, n * inputLength), n, scores);
        for (int i = 0; i < n; i++)
            if (OfaScores.SoftmaxInPlace(scores.AsSpan(i * classes, classes)) == test.Labels[start + i]) correct++;
    }
    return (double)correct / test.Count;
}

static OfaModelSession Open(BuiltRung rung) => new("AdaptiveBench", rung.Info, () => rung.Onnx);
static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

static double Percentile(IReadOnlyList<double> values, double q)
{
    var sorted = values.Order().ToArray();
    return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length), 1, sorted.Length) - 1];
}

/// <summary>Classifies one call's batch; returns the rung that served it.</summary>
internal delegate int PredictFn(ReadOnlySpan<float> inputs, Span<float> scores, Span<int> labels);

internal sealed record Target(string Name, PredictFn Predict);

internal sealed class PhaseResult(int rungs)
{
    public List<double> Latency { get; } = [];
    public int Correct { get; set; }
    public int[] PerRung { get; } = new int[rungs];
}

internal sealed record Options(string Supernet, string Device, double BuildBudgetMs, int Levels, double BudgetFactor, int[] Busy, int Calls, int Repeats, int Batch, string? DataDir)
{
    public static Options Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            int i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        return new Options(Get("supernet", "samples/models/fashion-mnist.ofa"), Get("device", "x64-avx2"),
            double.Parse(Get("build-budget-ms", "0.5"), CultureInfo.InvariantCulture), int.Parse(Get("levels", "3"), CultureInfo.InvariantCulture),
            double.Parse(Get("budget-factor", "2"), CultureInfo.InvariantCulture), [.. Get("busy", "2,3").Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture))],
            int.Parse(Get("calls", "300"), CultureInfo.InvariantCulture), int.Parse(Get("repeats", "3"), CultureInfo.InvariantCulture),
            int.Parse(Get("batch", "32"), CultureInfo.InvariantCulture), args.Contains("--data-dir") ? Get("data-dir", "") : null);
    }
}
