using System.Globalization;

namespace OfaBuild.Core.Tests.Quantization;

public class OperatorProfileTests
{
    // ONNX Runtime's chrome-trace profile: "X" events with "dur" and "ts" in microseconds; node events carry their op in args.
    private static string Event(string cat, string name, double us, string args = "{}") =>
        "{\"cat\":\"" + cat + "\",\"pid\":7,\"tid\":7,\"dur\":" + us.ToString(CultureInfo.InvariantCulture) + ",\"ts\":100,\"ph\":\"X\",\"name\":\"" + name + "\",\"args\":" + args + "}";

    private static string Node(string name, string op, double us) =>
        Event("Node", name + "_kernel_time", us, "{\"op_name\":\"" + op + "\",\"provider\":\"CPUExecutionProvider\",\"input_type_shape\":[{\"float\":[1,16,14,14]}]}");

    // Older runtimes write a fence event before and after each kernel: not kernel time.
    private static string Fenced(string name, string op, double us) =>
        string.Join(",", Event("Node", name + "_fence_before", 2, "{\"op_name\":\"" + op + "\"}"), Node(name, op, us), Event("Node", name + "_fence_after", 3, "{\"op_name\":\"" + op + "\"}"));

    // ORT writes a run's executor and model_run events after its kernel events.
    private static string Run(double us) => Event("Session", "SequentialExecutor::Execute", us - 10) + "," + Event("Session", "model_run", us);

    private static string Profile(params string[] events) => "[" + string.Join(",", events) + "]";

    [Fact]
    public void Kernel_times_are_summed_per_op_type_and_run_and_the_median_run_kept()
    {
        // Warm-up run, then three timed runs; depthwise convs are told apart by the exporter's node name.
        string json = Profile(
            Node("blocks.1.depth_conv.conv_token_3", "QLinearConv", 9000), Node("blocks.1.point_linear.conv_token_4", "QLinearConv", 9000), Run(20000),
            Node("blocks.1.depth_conv.conv_token_3", "QLinearConv", 300), Node("blocks.1.point_linear.conv_token_4", "QLinearConv", 100), Node("blocks.2.point_linear.conv_token_5", "QLinearConv", 100), Run(900),
            Node("blocks.1.depth_conv.act_nchwc", "Conv", 500), Node("blocks.1.point_linear.conv_token_4", "QLinearConv", 200), Node("blocks.2.point_linear.conv_token_5", "QLinearConv", 200), Run(1000),
            Node("blocks.1.depth_conv.conv_token_3", "QLinearConv", 400), Node("blocks.1.point_linear.conv_token_4", "QLinearConv", 300), Node("blocks.2.point_linear.conv_token_5", "QLinearConv", 300), Run(1100));
        var ops = OperatorProfile.Summarise(json, skipRuns: 1).Ops;
        var byType = ops.ToDictionary(o => o.OpType);
        Assert.Equal(0.4, byType["QLinearConv"].MedianMs, 9);              // runs: 0.2, 0.4, 0.6 ms
        Assert.Equal(2, byType["QLinearConv"].Nodes);
        Assert.Equal(0.3, byType["QLinearConv (depthwise)"].MedianMs, 9);  // runs: 0.3, 0 (absent), 0.4 ms
        Assert.Equal(0, byType["Conv (depthwise)"].MedianMs, 9);           // ran in one of three runs
        Assert.Equal("QLinearConv", ops[0].OpType);                         // largest first
    }

    [Fact]
    public void A_run_reads_as_one_run_the_session_and_warm_up_and_fence_events_left_out()
    {
        // Before, the command printed the sum of the op types' medians as the run's total, though each median may come
        // from another run, and said nothing of the profiled run itself. Here the op types' medians sum to 0.8 ms, which
        // no run's kernels do: the runs' kernels sum to 0.7, 1.3 and 0.9 ms.
        string json = Profile(
            Event("Session", "model_loading_array", 1834), Event("Session", "session_initialization", 8937),
            Fenced("first_conv.conv_nchwc", "Conv", 5000), Fenced("classifier", "Gemm", 4000), Run(12000),                 // warm-up
            Fenced("first_conv.conv_nchwc", "Conv", 600), Fenced("classifier", "Gemm", 100), Run(1900),
            Fenced("first_conv.conv_nchwc", "Conv", 400), Fenced("classifier", "Gemm", 900), Run(2000),
            Fenced("first_conv.conv_nchwc", "Conv", 700), Fenced("classifier", "Gemm", 200), Run(2300));
        var s = OperatorProfile.Summarise(json, skipRuns: 1);
        var byType = s.Ops.ToDictionary(o => o.OpType);
        Assert.Equal(0.6, byType["Conv"].MedianMs, 9);   // 0.6, 0.4, 0.7
        Assert.Equal(0.2, byType["Gemm"].MedianMs, 9);   // 0.1, 0.9, 0.2
        Assert.Equal(0.9, s.KernelsMs, 9);               // median of 0.7, 1.3, 0.9: the fences (5 µs a node) not in it
        Assert.Equal(2.0, s.RunMs, 9);                   // the profiled runs' model_run, the warm-up's 12 ms left out
        Assert.Equal(2, s.NodesPerRun);
    }

    [Fact]
    public void The_excess_per_node_is_what_the_kernels_sum_holds_beyond_the_whole_unprofiled_run()
    {
        var profile = new OperatorProfile.Summary([], KernelsMs: 0.534, RunMs: 0.977, NodesPerRun: 153);
        Assert.Equal((0.534 - 0.277) / 153, new OperatorProfile.Measured(profile, UnprofiledMs: 0.277, Runs: 50).ExcessPerNodeMs, 12);
        // Kernels that sum to less than the unprofiled run show no cost of their own (the executor's time between them is unknown).
        Assert.Equal(0, new OperatorProfile.Measured(profile, UnprofiledMs: 0.6, Runs: 50).ExcessPerNodeMs);
    }
}
