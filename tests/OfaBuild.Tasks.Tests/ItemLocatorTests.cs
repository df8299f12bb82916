namespace OfaBuild.Tasks.Tests;

/// <summary>An &lt;OfaTarget&gt; item's line and column in the project file text, for diagnostics at the item.</summary>
public sealed class ItemLocatorTests
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <ItemGroup>
            <OfaTarget Include="cortex-a53" Class="App.Net" LatencyMs="30" />
            <PackageReference Include="cortex-a72" />
              <OfaTarget Include="cortex-a72;x64-avx2" Class="App.Net" LatencyMs="8" />
            <OfaTarget Include="jetson"
                       Class="App.Net" LatencyMs="fast" />
          </ItemGroup>
        </Project>
        """;

    [Theory]
    [InlineData("cortex-a53", 3, 5)]
    [InlineData("cortex-a72", 5, 7)] // not the PackageReference of the same name
    [InlineData("x64-avx2", 5, 7)]
    [InlineData("jetson", 6, 5)]
    public void Each_item_is_found_at_its_element(string item, int line, int column) =>
        Assert.Equal((line, column), ItemLocator.Find(Project, item));

    [Fact]
    public void An_item_alone_in_its_file_is_found_at_its_element()
    {
        const string props = "<Project>\n  <ItemGroup><OfaTarget Include=\"host\" Class=\"App.Net\" LatencyMs=\"1\" /></ItemGroup>\n</Project>\n";
        Assert.Equal((2, 14), ItemLocator.Find(props, "host"));
        Assert.Equal((3, 5), ItemLocator.Find(ProjectText.Items("<OfaTarget Include=\"host\" />"), "host"));
    }

    [Fact]
    public void Include_names_are_trimmed_and_compared_ignoring_case_as_is_the_item_type()
    {
        const string project = "<Project>\n<ItemGroup>\n<ofatarget Include=\" Cortex-A53 ;\n  host \" />\n</ItemGroup>\n</Project>";
        Assert.Equal((3, 1), ItemLocator.Find(project, "cortex-a53"));
        Assert.Equal((3, 1), ItemLocator.Find(project, " host"));
    }

    [Fact]
    public void A_name_written_twice_is_found_at_its_nth_element()
    {
        var project = ProjectText.Items("<OfaTarget Include=\"host\" Class=\"App.A\" LatencyMs=\"1\" />", "<OfaTarget Include=\"HOST\" Class=\"App.A\" LatencyMs=\"2\" />");
        Assert.Equal((3, 5), ItemLocator.Find(project, "host", occurrence: 0));
        Assert.Equal((4, 5), ItemLocator.Find(project, "host", occurrence: 1));
        Assert.Equal((4, 5), ItemLocator.Find(project, "host", occurrence: 2)); // an element this text cannot tell: the last
    }

    [Fact]
    public void An_item_no_include_names_is_at_the_first_element_msbuild_expands_else_the_first_element()
    {
        var expands = ProjectText.Items("<OfaTarget Include=\"host\" />", "<OfaTarget Include=\"$(Board)\" LatencyMs=\"fast\" />");
        Assert.Equal((4, 5), ItemLocator.Find(expands, "cortex-a53"));
        Assert.Equal((3, 5), ItemLocator.Find(expands.Replace("$(Board)", "jetson"), "cortex-a53"));
        Assert.Null(ItemLocator.Find("<Project><ItemGroup><Compile Include=\"host\" /></ItemGroup></Project>", "host"));
        Assert.Null(ItemLocator.Find("not a project file", "host"));
    }

    [Fact]
    public void Elements_before_a_break_in_the_xml_are_still_found()
    {
        const string broken = "<Project>\n  <ItemGroup>\n    <OfaTarget Include=\"host\" />\n  </ItemGroup>\n<Project>";
        Assert.Equal((3, 5), ItemLocator.Find(broken, "host"));
    }

    private static ItemLocator.Item Item(string name, string cls, string latencyMs) =>
        new(name, new Dictionary<string, string> { ["Class"] = cls, ["LatencyMs"] = latencyMs });

    private static (int, int)?[] Lines(params int[] lines) => lines.Select(l => ((int, int)?)(l, 5)).ToArray();

    [Fact]
    public void An_element_whose_condition_made_no_item_is_passed_over_by_its_metadata()
    {
        // The nth item of a name was put at the nth element naming it: with the Debug-only element first, a Release
        // build's item was shown at the element that made nothing.
        var project = ProjectText.Items(
            "<OfaTarget Include=\"host\" Class=\"App.Net\" LatencyMs=\"0.5\" Condition=\"'$(Configuration)' == 'Debug'\" />",
            "<OfaTarget Include=\"host\" Class=\"App.Net\" LatencyMs=\"2\" />",
            "<OfaTarget Include=\"cortex-a53\" Class=\"App.Net\" LatencyMs=\"30\" />");
        Assert.Equal(Lines(4, 5), ItemLocator.Locate(project, [Item("host", "App.Net", "2"), Item("cortex-a53", "App.Net", "30")]));
        Assert.Equal(Lines(3, 4), ItemLocator.Locate(project, [Item("host", "App.Net", "0.5"), Item("HOST", "App.Net", "2")]));
    }

    [Theory]
    [InlineData("<OfaTarget Include=\"host\" Class=\"App.Net\" LatencyMs=\"1\" Condition=\"false\" />")]
    [InlineData("<OfaTarget Include=\"host\" Class=\"App.Net\" LatencyMs=\"1\" Condition=\" 'linux' != 'LINUX' \" />")]
    public void An_element_whose_condition_is_false_as_written_made_no_item(string disabled)
    {
        var project = ProjectText.Items(disabled, "<OfaTarget Include=\"host\" Class=\"App.Net\" LatencyMs=\"1\" />");
        Assert.Equal(Lines(4), ItemLocator.Locate(project, [Item("host", "App.Net", "1")]));
        Assert.Equal((4, 5), ItemLocator.Find(project, "host"));
    }

    [Fact]
    public void An_item_group_whose_condition_is_false_as_written_made_no_item()
    {
        const string project = """
            <Project>
              <ItemGroup Condition="'a' == 'b'">
                <OfaTarget Include="host" Class="App.Net" LatencyMs="1" />
              </ItemGroup>
              <ItemGroup Condition="'$(Board)' == ''">
                <OfaTarget Include="host" Class="App.Net" LatencyMs="1" />
              </ItemGroup>
            </Project>
            """;
        Assert.Equal([(6, 5)], ItemLocator.Locate(project, [Item("host", "App.Net", "1")]));
    }

    [Fact]
    public void A_name_an_expanded_and_a_literal_include_both_make_is_matched_on_its_metadata()
    {
        // Both items named host were put at the literal element; the first came from $(Devices).
        var project = ProjectText.Items(
            "<OfaTarget Include=\"$(Devices)\" Class=\"App.Net\" LatencyMs=\"5\" />",
            "<OfaTarget Include=\"host\" Class=\"App.Vision\" LatencyMs=\"8\" />");
        Assert.Equal(Lines(3, 3, 4), ItemLocator.Locate(project, [Item("host", "App.Net", "5"), Item("cortex-a53", "App.Net", "5"), Item("host", "App.Vision", "8")]));
    }

    [Fact]
    public void An_include_naming_the_item_is_preferred_to_one_msbuild_expands_when_both_fit()
    {
        var project = ProjectText.Items(
            "<OfaTarget Include=\"$(Others)\" Class=\"App.Net\" LatencyMs=\"5\" />",
            "<OfaTarget Include=\"host;$(More)\" Class=\"App.Net\" LatencyMs=\"5\" />");
        Assert.Equal(Lines(4), ItemLocator.Locate(project, [Item("host", "App.Net", "5")]));
        Assert.Equal(Lines(3, 4, 4), ItemLocator.Locate(project, [Item("jetson", "App.Net", "5"), Item("host", "App.Net", "5"), Item("x64-avx2", "App.Net", "5")]));
    }

    [Fact]
    public void Metadata_written_as_child_elements_or_through_a_property_is_compared_as_written()
    {
        var project = ProjectText.Items(
            "<OfaTarget Include=\"host\">",
            "  <Class>App.Net</Class>",
            "  <LatencyMs>1</LatencyMs>",
            "</OfaTarget>",
            "<OfaTarget Include=\"host\" Class=\"App.Net\" LatencyMs=\"$(HostBudget)\" />");
        Assert.Equal(Lines(7), ItemLocator.Locate(project, [Item("host", "App.Net", "2")])); // $(HostBudget) may be 2; the first says 1
        Assert.Equal(Lines(3, 7), ItemLocator.Locate(project, [Item("host", "App.Net", "1"), Item("host", "App.Net", "1")]));
    }

    [Fact]
    public void An_item_no_element_in_order_fits_is_at_the_last_element_naming_it()
    {
        // An <OfaTarget Update=...> can change what an element wrote: the item is still shown at an element naming it.
        var project = ProjectText.Items(
            "<OfaTarget Include=\"host\" Class=\"App.Net\" LatencyMs=\"1\" />",
            "<OfaTarget Include=\"host\" Class=\"App.Net\" LatencyMs=\"2\" />");
        Assert.Equal(Lines(4), ItemLocator.Locate(project, [Item("host", "App.Net", "9")]));
        Assert.Equal(Lines(3, 3), ItemLocator.Locate(project, [Item("host", "App.Net", "1"), Item("host", "App.Net", "1")]));
    }
}
