using System.Xml.Linq;

namespace Parley.Server.Tests;

/// <summary>Dependencies point one way: protocol codecs know nothing of servers, sessions or hosting.</summary>
public sealed class ProjectReferenceTests
{
    /// <summary>Each project and the Parley projects it may reference; a project missing here fails the test.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Parley.Stun"] = [],
        ["Parley.Sockets"] = [],
        ["Parley.StunServer"] = ["Parley.Stun"],
        ["Parley.Rtp"] = [],
        ["Parley.Sdp"] = [],
        ["Parley.Srtp"] = [],
        ["Parley.WebRtc"] = ["Parley.Stun", "Parley.Rtp", "Parley.Sdp", "Parley.Sockets"],
        ["Parley.Sfu"] = ["Parley.Sdp", "Parley.Rtp", "Parley.Srtp", "Parley.WebRtc"],
        ["Parley.Turn"] = ["Parley.Stun", "Parley.StunServer", "Parley.Sockets"],
        ["Parley.Signaling"] = [],
        ["Parley.Server"] = ["Parley.Stun", "Parley.StunServer", "Parley.Turn", "Parley.Signaling", "Parley.Sfu"],
    };

    [Fact]
    public void Every_source_project_references_only_the_layers_below_it()
    {
        string src = Path.Combine(ParleyProcess.RepositoryRoot(), "src");
        foreach (string project in Directory.GetFiles(src, "*.csproj", SearchOption.AllDirectories))
        {
            string name = Path.GetFileNameWithoutExtension(project);
            Assert.True(Allowed.TryGetValue(name, out string[]? allowed), $"{name} has no entry in the layering table");
            IEnumerable<string> references = XDocument.Load(project).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension((string)r.Attribute("Include")!));
            Assert.All(references, r => Assert.Contains(r, allowed!));
        }
    }

    [Fact]
    public void The_codec_depends_on_no_package_but_the_runtimes_own_crc()
    {
        string project = Path.Combine(ParleyProcess.RepositoryRoot(), "src", "Parley.Stun", "Parley.Stun.csproj");
        string[] packages = [.. XDocument.Load(project).Descendants("PackageReference").Select(r => (string)r.Attribute("Include")!)];
        Assert.Equal(["System.IO.Hashing"], packages);
    }
}
