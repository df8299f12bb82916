using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using OfaBuild.Cli.Commands;
using OfaBuild.Core.Space;
using OfaBuild.Training.Networks;
using OfaBuild.Training.Shrinking;
using TorchSharp;
using static TorchSharp.torch;

namespace OfaBuild.Tool.Commands;

/// <summary>
/// `ofa bench train-step --space mbv3-w1.0 --classes 10 --batch 32 --resolution 128 --subnets 4 --kd`: the median
/// time of one progressive-shrinking step (sampled subnets, distillation, backward, one SGD step) after warm-up.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var space = CommonOptions.Space(Presets.MobileNetV3W10);
        var classes = CommonOptions.Classes("Classes (default: the preset's).");
        var batch = new Option<int>("--batch") { Description = "Images per step.", DefaultValueFactory = _ => 32 }.AtLeast(1);
        var resolution = new Option<int?>("--resolution") { Description = "Input resolution (default: the space's smallest)." };
        var subnets = new Option<int>("--subnets") { Description = "Subnets sampled per step (gradients accumulated).", DefaultValueFactory = _ => 4 }.AtLeast(1);
        var kd = new Option<bool>("--kd") { Description = "Distil from a frozen copy of the full net (teacher forward in train mode)." };
        var steps = new Option<int>("--steps") { Description = "Timed steps (median reported).", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var warmup = new Option<int>("--warmup") { Description = "Untimed warm-up steps.", DefaultValueFactory = _ => 3 }.AtLeast(0);
        var threads = TorchOptions.Threads(Environment.ProcessorCount, "the default is every core, to time the step at this machine's full width");
        var trainStep = new Command("train-step", "Median milliseconds of one progressive-shrinking step after warm-up.")
        {
            space, classes, batch, resolution, subnets, kd, steps, warmup, threads,
        };
        trainStep.SetAction(result => CliRunner.Run(() =>
        {
            TorchOptions.Apply(result, threads);
            var s = Presets.Get(result.GetValue(space)!, result.GetValue(classes));
            int r = result.GetValue(resolution) ?? s.Resolutions[0], n = result.GetValue(batch);
            if (!s.Resolutions.Contains(r)) throw new Core.OfaException($"Resolution {r} is not in space '{s.Name}' ({string.Join(", ", s.Resolutions)}).");
            torch.manual_seed(0);
            var net = new OfaMobileNetV3(s, 0.1);
            net.train();
            var teacher = result.GetValue(kd) ? ShrinkingStep.FrozenTeacher(s, net.ToTensorSet("full net"), 0.1) : null;
            var sgd = new SgdNesterov(net.named_parameters().Select(x => (x.name, x.parameter)));
            var x = torch.randn(n, s.InputChannels, r, r);
            var y = torch.randint(0, s.NumClasses, [n], dtype: ScalarType.Int64);
            var rng = new Random(0);
            int k = result.GetValue(subnets), timed = result.GetValue(steps);
            var ms = new List<double>();
            for (int i = -result.GetValue(warmup); i < timed; i++)
            {
                var configs = Enumerable.Range(0, k).Select(_ =>
                {
                    var c = SubnetConfig.Sample(s, rng);
                    return new SubnetConfig(c.Ks, c.E, c.D, r);
                }).ToArray();
                using var scope = torch.NewDisposeScope();
                var sw = Stopwatch.StartNew();
                ShrinkingStep.Run(net, teacher, sgd, x, y, configs, 0.01, 1.0);
                if (i >= 0) ms.Add(sw.Elapsed.TotalMilliseconds);
            }
            ms.Sort();
            double median = ms.Count % 2 == 1 ? ms[ms.Count / 2] : (ms[ms.Count / 2 - 1] + ms[ms.Count / 2]) / 2;
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv, $"space {s.Name}, {s.NumClasses} classes, batch {n}, resolution {r}, {k} subnet(s)/step{(teacher is null ? "" : ", KD")}, {torch.get_num_threads()} thread(s)"));
            Console.WriteLine(string.Create(inv, $"train step: median {median:F0} ms over {ms.Count} steps (min {ms[0]:F0}, max {ms[^1]:F0}) after {result.GetValue(warmup)} warm-up steps"));
            return 0;
        }));
        return new Command("bench", "Timed benchmarks of the tool's own work.") { trainStep };
    }
}
