using OfaBuild.Core.Latency.Profiling;

namespace OfaBuild.Core.Tests.Quantization;

public class OperatorProfileTests
{
    private static string Node(string name, string op, double us) =>
        "{\"cat\":\"Node\",\"name\":\"" + name + "_kernel_time\",\"dur\":" + us.ToString(System.Globalization.CultureInfo.InvariantCulture) +
        ",\"args\":{\"op_name\":\"" + op + "\"}}";

    private const string Run = """{"cat":"Session","name":"model_run","dur":1}""";

    [Fact]
    public void Kernel_times_are_summed_per_op_type_and_run_and_the_median_run_kept()
    {
        // Warm-up run, then three timed runs; depthwise convs are told apart by the exporter's node name.
        string json = "[" + string.Join(",",
            Node("blocks.1.depth_conv.conv_token_3", "QLinearConv", 9000), Node("blocks.1.point_linear.conv_token_4", "QLinearConv", 9000), Run,
            Node("blocks.1.depth_conv.conv_token_3", "QLinearConv", 300), Node("blocks.1.point_linear.conv_token_4", "QLinearConv", 100), Node("blocks.2.point_linear.conv_token_5", "QLinearConv", 100), Run,
            Node("blocks.1.depth_conv.act_nchwc", "Conv", 500), Node("blocks.1.point_linear.conv_token_4", "QLinearConv", 200), Node("blocks.2.point_linear.conv_token_5", "QLinearConv", 200), Run,
            Node("blocks.1.depth_conv.conv_token_3", "QLinearConv", 400), Node("blocks.1.point_linear.conv_token_4", "QLinearConv", 300), Node("blocks.2.point_linear.conv_token_5", "QLinearConv", 300), Run) + "]";
        var ops = OperatorProfile.Summarise(json, skipRuns: 1);
        var byType = ops.ToDictionary(o => o.OpType);
        Assert.Equal(0.4, byType["QLinearConv"].MedianMs, 9);              // runs: 0.2, 0.4, 0.6 ms
        Assert.Equal(2, byType["QLinearConv"].Nodes);
        Assert.Equal(0.3, byType["QLinearConv (depthwise)"].MedianMs, 9);  // runs: 0.3, 0 (absent), 0.4 ms
        Assert.Equal(0, byType["Conv (depthwise)"].MedianMs, 9);           // ran in one of three runs
        Assert.Equal("QLinearConv", ops[0].OpType);                         // largest first
    }
}
