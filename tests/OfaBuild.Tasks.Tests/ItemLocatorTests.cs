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
        Assert.Equal([new ItemLocator.Element("host", 3, 5)], ItemLocator.Elements(broken));
    }
}
