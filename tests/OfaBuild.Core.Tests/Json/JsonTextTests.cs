using OfaBuild.Contracts.Json;

namespace OfaBuild.Core.Tests.Json;

/// <summary>JsonText (OfaBuild.Contracts) reads and writes manifests, and the generator quotes C# strings with it.</summary>
public class JsonTextTests
{
    [Fact]
    public void Every_escape_the_writer_uses_reads_back_to_the_same_string()
    {
        // ", \, newline, return and tab take a short escape; \b, \f, other control characters and line separators
        // take \uXXXX (C# has the same escapes, so the quoted string is also a C# literal); '/' needs none.
        const string text = "q\" b\\ n\n r\r t\t bs\b ff\f soh\u0001 us\u001f ls\u2028 ps\u2029 /";
        var json = JsonText.Write(text, indented: false);
        Assert.Equal(@"""q\"" b\\ n\n r\r t\t bs\u0008 ff\u000c soh\u0001 us\u001f ls\u2028 ps\u2029 /""", json);
        Assert.Equal(text, JsonText.Parse(json));
    }

    [Fact]
    public void The_reader_takes_every_short_escape_json_has()
    {
        Assert.Equal("\" \\ / \b \f \n \r \t", JsonText.Parse(@"""\"" \\ \/ \b \f \n \r \t"""));
    }

    [Fact]
    public void An_escape_json_does_not_have_is_refused()
    {
        var ex = Assert.Throws<FormatException>(() => JsonText.Parse(@"""a\x"""));
        Assert.Equal(@"bad escape '\x' at line 1", ex.Message);
    }
}
