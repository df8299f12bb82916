namespace OfaBuild.EndToEnd.Tests;

/// <summary>
/// The usual app (<see cref="ConsumerProject.WithTwoTargets"/>) built and run once, in Debug, for the tests that start
/// from exactly that build: each asserts on the build and the run as if it had made them, then publishes on its own.
/// A Release publish for a RID has obj and output folders of its own, so no test sees another's publish, in any order.
/// One build and run instead of three, each a restore of the package, two specialisations and a compile.
/// Built on first use, so a run filtered to other tests of the class does not build it.
/// </summary>
public sealed class TwoTargetAppFixture(PackageFixture package)
{
    private readonly Lazy<BuiltApp> _built = new(() =>
    {
        var app = ConsumerProject.WithTwoTargets(package, "two-targets");
        var build = app.Build();
        return new BuiltApp(app, build, build.ExitCode == 0 ? app.Run() : null);
    });

    internal BuiltApp Built => _built.Value;
}

/// <summary>The app, its `dotnet build` and its run (none when the build failed).</summary>
internal sealed record BuiltApp(ConsumerProject App, ProcessResult Build, ProcessResult? Run)
{
    /// <summary>The scores the app printed, by target; the build and the run must both have succeeded.</summary>
    public Dictionary<string, float[]> Scores()
    {
        Build.Succeeded();
        Assert.NotNull(Run);
        Run.Succeeded();
        return ConsumerProject.Scores(Run.Output);
    }
}
