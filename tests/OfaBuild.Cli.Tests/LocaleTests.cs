using System.CommandLine;
using System.Text.Json;
using OfaBuild.Cli.Commands;
using OfaBuild.Imaging;
using OfaBuild.Tool.Commands;

namespace OfaBuild.Cli.Tests;

/// <summary>The tool reads and prints numbers the same under every locale, as the build's plan files and the README have them.</summary>
public sealed class LocaleTests
{
    /// <summary>A German user's locale: ',' is the decimal separator and '.' groups thousands.</summary>
    private static readonly Dictionary<string, string> German = new() { ["LANG"] = "de_DE.UTF-8", ["LC_ALL"] = "de_DE.UTF-8" };

    [Fact]
    public void A_latency_budget_of_2_point_5_ms_is_2_point_5_ms_under_a_german_locale()
    {
        // Before, System.CommandLine parsed --latency-ms 2.5 with the user's culture: de-DE searched within 25 ms,
        // while `ofa report --target cortex-a53=2.5` (parsed invariantly) and [OfaTarget(LatencyMs = 2.5)] meant 2.5 ms.
        var r = Ofa.SucceedsIn(German, "search", "--model", Ofa.Untrained(), "--device", "cortex-a53", "--latency-ms", "2.5", "--json");
        using var json = JsonDocument.Parse(r.Stdout);
        Assert.Equal(2.5, json.RootElement.GetProperty("budget_ms").GetDouble());
    }

    [Fact]
    public void A_refused_budget_and_cap_read_under_a_german_locale_as_the_build_echoes_them()
    {
        // One rule with the build's OFA0004 and `ofa report --project` (LatencyText.Refused; RefusedLimitTests).
        using var dir = new TempDir();
        var search = Ofa.RunIn(German, "search", "--model", Ofa.Untrained(), "--device", "cortex-a53", "--latency-ms=-0.0001");
        Assert.Contains("Latency budget -0.0001 ms for 'cortex-a53' must be a positive number of milliseconds.", search.Stderr + search.Stdout);
        var specialize = Ofa.RunIn(German, "specialize", "--model", Ofa.Untrained(), "--device", "cortex-a53", "--latency-ms", "1", "--max-mflops=-0.5", "-o", dir["out"]);
        Assert.Contains("MFLOPs limit -0.5 for 'cortex-a53' must be positive.", specialize.Stderr + specialize.Stdout);
    }

    [Fact]
    public void A_budget_written_with_a_decimal_comma_is_refused_not_read_as_ten_times_the_budget()
    {
        // Before, the invariant culture read ',' as a group separator: --latency-ms 2,5 searched within 25 ms without a word,
        // where the build refuses LatencyMs="2,5" ("not a number the build can read") and `ofa report --target` refuses it too.
        using var dir = new TempDir();
        var search = Ofa.Refuses("search", "--model", Ofa.Untrained(), "--device", "cortex-a53", "--latency-ms", "2,5");
        Assert.Contains("--latency-ms 2,5: write a number with a decimal point and no separators, e.g. --latency-ms 2.5.", search.Stderr + search.Stdout);
        var specialize = Ofa.Refuses("specialize", "--model", Ofa.Untrained(), "--device", "cortex-a53", "--latency-ms", "10", "--max-mflops", "1,000", "-o", dir["out"]);
        Assert.Contains("--max-mflops 1,000: write a number", specialize.Stderr + specialize.Stdout);
        Assert.False(Directory.Exists(dir["out"]));
    }

    [Fact]
    public void A_phase_schedule_written_with_a_decimal_comma_is_refused_not_read_as_ten_times_the_number()
    {
        // Before, `ofa train --epochs-full 0,5` trained 5 epochs (and --lr-kernel 0,1 at a learning rate of 1) without a word.
        using var dir = new TempDir();
        var r = Ofa.Refuses("train", "--dataset", "fashion-mnist", "--data-dir", dir["nowhere"], "-o", dir["out.ofa"],
            "--epochs-full", "0,5", "--lr-kernel", "0,1", "--warmup-expand-2", "1,5");
        foreach (var (option, written) in new[] { ("--epochs-full", "0,5"), ("--lr-kernel", "0,1"), ("--warmup-expand-2", "1,5") })
            Assert.Contains($"{option} {written}: write a number with a decimal point and no separators, e.g. {option} 2.5.", r.Stderr + r.Stdout);
        Assert.False(File.Exists(dir["out.ofa.log"]), "the run started");
    }

    [Fact]
    public void Every_number_option_of_the_tool_reads_numbers_as_latency_ms_does()
    {
        // One rule (CommonOptions.PlainNumber) for every option that takes a number with a fraction, in the full tool's own command tree.
        var numbers = Commands(CommandList.Root(TrainingCommands.Tool(new SkiaImageDecoder())))
            .SelectMany(c => c.Options.Where(o => o.ValueType == typeof(double) || o.ValueType == typeof(double?)).Select(o => (Command: c, Option: o)))
            .ToList();
        Assert.Contains(numbers, n => n.Option.Name == "--warmup-expand-2");
        Assert.Contains(numbers, n => n.Option.Name == "--latency-ms");
        foreach (var (command, option) in numbers)
        {
            var errors = command.Parse([option.Name, "2,5"]).Errors.Select(e => e.Message);
            Assert.Contains($"{option.Name} 2,5: write a number with a decimal point and no separators, e.g. {option.Name} 2.5.", errors);
        }
    }

    private static IEnumerable<Command> Commands(Command command) => command.Subcommands.SelectMany(Commands).Prepend(command);

    [Fact]
    public void Inspect_prints_latency_and_counts_as_search_does_under_a_german_locale()
    {
        // Before, inspect formatted with the user's culture ("4,820 ms", "1.180.930 parameters") and search invariantly ("4.820 ms").
        var r = Ofa.SucceedsIn(German, "inspect", "--model", Ofa.Untrained(), "--largest", "--device", "cortex-a53");
        Assert.Contains("latency 4.820 ms on cortex-a53", r.Stdout);
        Assert.Contains("1,180,930 parameters", r.Stdout);
    }
}
