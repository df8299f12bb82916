using System.Text.Json.Nodes;

namespace OfaBuild.Core.Tests.Measurement;

/// <summary>The measured file a predictor is trained on: read whole and checked against the package's space, or refused naming the row.</summary>
public sealed class MeasuredSubnetsTests : TempDirTest
{
    private static readonly SearchSpace Space = TestSpaces.ForExport();

    private static JsonObject Sample()
    {
        var evaluation = new EvaluationImages { Dataset = "toy", Split = "test", Images = 20, SplitImages = 20 };
        var file = new MeasuredSubnets("x.ofa", "20 images of toy/train (seed 1)", evaluation,
            [new MeasuredSubnet(SubnetConfig.Smallest(Space), 0.5), new MeasuredSubnet(SubnetConfig.Largest(Space), 0.75, Round: 1)]);
        return JsonNode.Parse(file.ToJson())!.AsObject();
    }

    private OfaFormatException Refused(JsonObject json)
    {
        var path = Dir["x.measured.json"];
        File.WriteAllText(path, json.ToJsonString());
        var ex = Assert.Throws<OfaFormatException>(() => MeasuredSubnets.Load(path, Space));
        Assert.Contains(path, ex.Message);
        return ex;
    }

    [Fact]
    public void A_written_file_reads_back()
    {
        var path = Dir["x.measured.json"];
        File.WriteAllText(path, Sample().ToJsonString());
        Assert.Equal([0.5, 0.75], MeasuredSubnets.Load(path, Space).Subnets.Select(s => s.Top1));
    }

    [Fact]
    public void The_shipped_supernet_s_measured_file_passes_the_checks()
    {
        var space = OfaPackage.Read(Fixtures.RepoFile("samples", "models", "fashion-mnist.ofa")).Manifest.Space;
        var file = MeasuredSubnets.Load(Fixtures.RepoFile("samples", "models", "fashion-mnist.measured.json"), space);
        Assert.Equal("holdout", file.Evaluation.Split);
        Assert.True(file.Subnets.Count > 1000);
        // Fashion-MNIST records no reading of its pixels (only PGM/PPM folders read as stored do): the description a run
        // compares with, and so the reuse of this file, are as they were.
        Assert.Null(file.Evaluation.Reading);
        Assert.Equal("first 10000 of the 10000 holdout images of fashion-mnist (held out of 60000 training images, seed 190809791, indices sha256 19ed2289834a...)",
            file.Evaluation.ToString());
        Assert.DoesNotContain("\"reading\"", file.ToJson());
    }

    [Fact]
    public void A_row_without_its_top1_is_refused_not_read_as_zero()
    {
        // Before, `ofa measure --reuse` trained the predictor on top-1 0 for every such row and wrote the zeros back.
        var json = Sample();
        json["subnets"]![1]!.AsObject().Remove("top1");
        Assert.Contains("top1", Refused(json).Message);
    }

    [Fact]
    public void A_config_of_another_space_is_refused_naming_its_row()
    {
        // Before, `ofa regret` crashed on such a row with an IndexOutOfRangeException.
        var json = Sample();
        json["subnets"]![1]!["config"]!["d"] = new JsonArray(2, 2);
        Assert.Contains("subnets[1]", Refused(json).Message);
    }

    [Theory]
    [InlineData("top1", 1.5, "top1 is 1.5")]
    [InlineData("round", -1, "round is -1")]
    public void Out_of_range_values_are_refused(string field, double value, string message)
    {
        var json = Sample();
        json["subnets"]![0]![field] = field == "round" ? JsonValue.Create((int)value) : JsonValue.Create(value);
        Assert.Contains(message, Refused(json).Message);
    }

    [Fact]
    public void A_missing_evaluation_is_refused()
    {
        var json = Sample();
        json.Remove("evaluation");
        Assert.Contains("evaluation", Refused(json).Message);
    }
}
