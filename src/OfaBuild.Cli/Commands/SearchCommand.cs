using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OfaBuild.Contracts;
using OfaBuild.Core.Counting;
using OfaBuild.Core.Latency;
using OfaBuild.Core.Search;
using OfaBuild.Core.Specialization;

namespace OfaBuild.Cli.Commands;

/// <summary>`ofa search --model x.ofa --device cortex-a53 --latency-ms 30 [--seed N] [--pareto] [--random]`.</summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var target = new TargetOptions();
        var pareto = new Option<bool>("--pareto") { Description = "Print the accuracy/latency front up to the budget instead of one subnet." };
        var random = new Option<bool>("--random") { Description = string.Create(CultureInfo.InvariantCulture, $"Random-search baseline ({RandomSearch.DefaultSamples:N0} samples) instead of evolution.") };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the chosen subnet config JSON here." };
        var quick = new Option<bool>("--quick") { Description = "Instead: " + EvolutionOptions.Quick(0).Describe(withSeed: false) + "; cheaper, and its result depends more on the seed." };
        var reference = new Option<bool>("--reference") { Description = "Instead: the reference's " + new EvolutionOptions().Describe(withSeed: false) + ", for comparison." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (config, predicted_accuracy, latency_ms, seconds, ...) and nothing else." };
        var command = new Command("search", "Find the subnet with the best predicted accuracy within a latency budget on a device: "
            + EvolutionOptions.Default(0).Describe(withSeed: false) + ".");
        target.AddTo(command);
        foreach (var o in new Option[] { pareto, random, output, json, quick, reference }) command.Options.Add(o);
        command.SetAction(result => CliRunner.Run(() =>
        {
            var sw = Stopwatch.StartNew();
            // The search needs the manifest and the predictor, not the supernet's weights.
            var modelPath = CliRunner.ExistingFile(result.GetValue(target.Model)!);
            var (manifest, predictor) = OfaPackage.ReadForSearch(modelPath);
            var space = manifest.Space;
            var t = TargetProblem.Create(manifest, predictor, new TargetSpec(result.GetValue(target.Device)!, result.GetValue(target.LatencyMs),
                target.ProfilePath(result), result.GetValue(target.MaxMFlops), result.GetValue(target.MaxMParams), result.GetValue(target.Precision)!),
                packagePath: modelPath);
            if (t.TableWarning is { } warning) CliRunner.Warn(warning);
            ulong seed = result.GetValue(target.Seed);
            if (result.GetValue(quick) && result.GetValue(reference)) throw new OfaException("--quick and --reference choose different searches; give one of them.");
            var options = result.GetValue(quick) ? EvolutionOptions.Quick(seed)
                : result.GetValue(reference) ? new EvolutionOptions { Seed = seed }
                : EvolutionOptions.Default(seed);
            var inv = CultureInfo.InvariantCulture;
            if (result.GetValue(json))
            {
                if (result.GetValue(pareto) || result.GetValue(random)) throw new OfaException("--json prints the one subnet of the evolutionary search; drop --pareto and --random.");
                var found = EvolutionSearch.Run(t.Problem, options);
                var config = found.Best.Config.Canonical(space);
                var line = new JsonObject
                {
                    ["config"] = JsonNode.Parse(config.ToJson()),
                    ["predicted_accuracy"] = t.HasPredictor ? found.Best.Accuracy : null,
                    ["accuracy_model"] = t.AccuracyModelName,
                    ["latency_ms"] = found.LatencyMs,
                    ["latency_device"] = t.Latency.Device,
                    ["latency_table"] = t.Latency.Kind.Name(),
                    ["budget_ms"] = t.Problem.Constraints[0].Limit,
                    ["macs"] = SubnetCost.Macs(space, config),
                    ["params"] = SubnetCost.Params(space, config),
                    ["evaluations"] = found.Evaluations,
                    ["seed"] = found.Seed,
                    ["seconds"] = sw.Elapsed.TotalSeconds,
                };
                Console.WriteLine(line.ToJsonString());
                if (result.GetValue(output) is { } f) File.WriteAllText(f.FullName, config.ToJson() + "\n");
                return 0;
            }
            Console.WriteLine($"latency table: {t.Latency.Device} ({t.Latency.Kind.Name()}); accuracy: {t.AccuracyModelName}");
            if (t.UnscoredNote is { } note) Console.WriteLine(note);
            if (t.PrecisionNote is { } precisionNote) Console.WriteLine(precisionNote);

            sw.Restart();
            if (result.GetValue(pareto))
            {
                var front = ParetoSearch.Run(t.Problem, options);
                Console.WriteLine(string.Create(inv, $"Pareto front: {front.Points.Count} subnets from {front.Evaluations:N0} evaluations in {sw.Elapsed.TotalSeconds:F2} s"));
                foreach (var c in front.Points)
                    Console.WriteLine(string.Create(inv, $"  {LatencyText.Ms(c.Measures[0]),11}  {Accuracy(c.Accuracy, t.HasPredictor)}  MACs {SubnetCost.Macs(space, c.Config),13:N0}  {c.Config.ToJson()}"));
                return 0;
            }

            var r = result.GetValue(random)
                ? RandomSearch.Run(t.Problem, seed: options.Seed)
                : EvolutionSearch.Run(t.Problem, options);
            var best = r.Best.Config.Canonical(space);
            string what = result.GetValue(random) ? string.Create(inv, $"random search (seed {r.Seed})") : options.Describe();
            Console.WriteLine(string.Create(inv, $"{what}: {r.Evaluations:N0} evaluations in {sw.Elapsed.TotalSeconds:F2} s"));
            Console.WriteLine(string.Create(inv, $"best: {Accuracy(r.Best.Accuracy, t.HasPredictor)}, {LatencyText.Ms(r.Best.Measures[0])} predicted (budget {LatencyText.Budget(t.Problem.Constraints[0].Limit)}), MACs {SubnetCost.Macs(space, best):N0}, params {SubnetCost.Params(space, best):N0}"));
            Console.WriteLine(best.ToJson());
            if (result.GetValue(output) is { } file) File.WriteAllText(file.FullName, best.ToJson() + "\n");
            return 0;
        }));
        return command;
    }

    private static string Accuracy(float value, bool predictor) =>
        predictor ? string.Create(CultureInfo.InvariantCulture, $"predicted top-1 {value:P2}") : string.Create(CultureInfo.InvariantCulture, $"MACs proxy {value:F3}");
}
