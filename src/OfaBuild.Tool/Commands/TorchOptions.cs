using System.CommandLine;
using OfaBuild.Cli.Commands;

namespace OfaBuild.Tool.Commands;

/// <summary>
/// The options of the commands that run libtorch (train, eval, bench), made in one place as
/// <see cref="OfaBuild.Cli.Commands.CommonOptions"/> are; here because only this project has TorchSharp.
/// </summary>
internal static class TorchOptions
{
    /// <summary>
    /// libtorch threads of `ofa train` and `ofa eval`: the default phase schedules are sized and timed for 2
    /// (<see cref="Training.Shrinking.PhasePlan"/>).
    /// </summary>
    public const int TrainingThreads = 2;

    /// <summary>--threads: libtorch's threads, <paramref name="defaultThreads"/> unless given, with why in <paramref name="why"/>.</summary>
    public static Option<int> Threads(int defaultThreads, string why) => CommonOptions.Threads($"libtorch threads ({why}).", defaultThreads);

    /// <summary>Sets libtorch's threads from <paramref name="threads"/> (<see cref="Threads"/>, at least 1).</summary>
    public static void Apply(ParseResult result, Option<int> threads) =>
        TorchSharp.torch.set_num_threads(result.GetValue(threads));
}
