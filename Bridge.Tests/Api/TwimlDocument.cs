using System.Xml.Linq;

namespace Bridge.Tests.Api;

/// <summary>Reads a TwiML answer as XML, so tests check its shape rather than its text.</summary>
public sealed class TwimlDocument(XDocument document)
{
    public XElement Root => document.Root!;

    public static async Task<TwimlDocument> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        return new TwimlDocument(XDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    public XElement Single(string name) => Assert.Single(Root.Descendants(name));

    public IReadOnlyList<string> VerbNames() => Root.Elements().Select(e => e.Name.LocalName).ToList();

    public Dictionary<string, string> StreamParameters() =>
        Single("Stream").Elements("Parameter").ToDictionary(
            p => (string)p.Attribute("name")!,
            p => (string)p.Attribute("value")!);
}
