using Accounting.Dbd.Storage;

namespace Accounting.Tests.Dbd.Jobs;

public sealed class HostListTests
{
    [Theory]
    [InlineData("localhost", new[] { "localhost" })]
    [InlineData("node[01-03,07],login1", new[] { "node01", "node02", "node03", "node07", "login1" })]
    [InlineData("rack[1-2]-gpu, n5", new[] { "rack1-gpu", "rack2-gpu", "n5" })]
    [InlineData("(unknown)", new[] { "(unknown)" })]
    [InlineData("", new string[0])]
    public void Expressions_expand_to_node_names(string expression, string[] names) =>
        Assert.Equal(names, HostList.Expand(expression));
}
