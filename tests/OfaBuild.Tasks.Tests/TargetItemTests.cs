using Microsoft.Build.Utilities;
using static OfaBuild.Contracts.OfaAttributeNames;

namespace OfaBuild.Tasks.Tests;

/// <summary>An &lt;OfaTarget&gt; item: what the planner reads of it and what the no-op check compares are one list.</summary>
public sealed class TargetItemTests
{
    private static readonly Dictionary<string, string> Base = new() { [TargetItem.Class] = "App.Net", [LatencyMs] = "4" };

    /// <summary>A changed value for each metadata an item can carry.</summary>
    private static readonly Dictionary<string, string> Changed = new()
    {
        [TargetItem.Class] = "App.Other", [LatencyMs] = "5", [Profile] = "profiles/a.json", [MaxMFlops] = "300",
        [Precision] = "Int8", [Adaptive] = "true", [Levels] = "3",
    };

    [Fact]
    public void Every_metadata_an_item_carries_is_read_by_the_planner_and_compared_by_the_no_op_check()
    {
        // Before, the no-op check compared a list of its own that lacked Precision: switching an item to
        // Precision="Int8" after a build kept the fp32 model.
        Assert.Equal(Changed.Keys.Order(), TargetItem.Metadata.Order());
        var location = new Location("App.csproj", 1, 1);
        var before = new TaskItem("cortex-a53", Base);
        foreach (var name in TargetItem.Metadata)
        {
            var after = new TaskItem("cortex-a53", new Dictionary<string, string>(Base) { [name] = Changed[name] });
            Assert.NotEqual(TargetItem.Fingerprint(before), TargetItem.Fingerprint(after));
            if (name != TargetItem.Class) Assert.NotEqual(TargetItem.Spec(before, location), TargetItem.Spec(after, location));
        }
    }

    [Fact]
    public void A_metadata_no_argument_is_named_is_the_items_unknown_argument_and_changes_its_fingerprint()
    {
        // A misspelt MaxMFlops added after a build must reach the planner's error, not a no-op build's cached outputs.
        var location = new Location("App.csproj", 1, 1);
        var before = new TaskItem("cortex-a53", Base);
        var misspelt = new TaskItem("cortex-a53", new Dictionary<string, string>(Base) { ["MaxMFlop"] = "3" });
        Assert.Equal("MaxMFlop", TargetItem.Spec(misspelt, location).UnknownArgument);
        Assert.NotEqual(TargetItem.Fingerprint(before), TargetItem.Fingerprint(misspelt));

        // MSBuild's metadata names ignore case: latencyms is LatencyMs, read and not refused.
        var lower = new TaskItem("cortex-a53", new Dictionary<string, string> { ["class"] = "App.Net", ["latencyms"] = "4" });
        Assert.Null(TargetItem.Spec(lower, location).UnknownArgument);
        Assert.Equal(4, TargetItem.Spec(lower, location).LatencyMs);
        Assert.Equal(TargetItem.Fingerprint(before), TargetItem.Fingerprint(lower));
    }

    [Fact]
    public void An_item_reads_as_the_attribute_with_the_same_arguments()
    {
        var item = new TaskItem("cortex-a53", new Dictionary<string, string>(Changed) { [Adaptive] = "True", [Profile] = " " });
        var spec = TargetItem.Spec(item, new Location("App.csproj", 1, 1));
        Assert.Equal(new OfaTargetSpec("cortex-a53", 5, null, 300, new Location("App.csproj", 1, 1), "True", 3) { Precision = "Int8", FromItem = true }, spec); // known as an item, for its messages' wording
    }
}
