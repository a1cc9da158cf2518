using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Bridge.TwilioStandIn.Twilio;

/// <summary>
/// A TwiML response, parsed as Twilio reads it: verbs in document order under <c>&lt;Response&gt;</c>, relative
/// URLs resolved against the URL the document came from, and POST as the default method.
/// </summary>
public sealed class TwimlDocument
{
    private TwimlDocument(IReadOnlyList<TwimlVerb> verbs) => Verbs = verbs;

    public IReadOnlyList<TwimlVerb> Verbs { get; }

    /// <summary>Parses <paramref name="xml"/>; a body that is not a TwiML document is Twilio's error 12100.</summary>
    public static TwimlDocument Parse(string xml, Uri documentUrl)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(xml);
        }
        catch (XmlException e)
        {
            throw new TwilioCallException(TwilioErrorCodes.DocumentParseFailure, $"the TwiML is not well-formed XML: {e.Message}");
        }

        if (document.Root is not { Name.LocalName: "Response" } root)
        {
            throw new TwilioCallException(TwilioErrorCodes.DocumentParseFailure, "the TwiML's root element is not <Response>");
        }

        return new TwimlDocument(root.Elements().Select(verb => ParseVerb(verb, documentUrl)).ToList());
    }

    private static TwimlVerb ParseVerb(XElement verb, Uri documentUrl) => verb.Name.LocalName switch
    {
        "Say" => new SayVerb(verb.Value.Trim()),
        "Play" => new PlayVerb(verb.Value.Trim()),
        "Pause" => new PauseVerb(TimeSpan.FromSeconds(int.TryParse((string?)verb.Attribute("length"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : 1)),
        "Dial" => new DialVerb(DialTarget(verb)),
        "Hangup" => new HangupVerb(),
        "Reject" => new RejectVerb(),
        "Redirect" => new RedirectVerb(Resolve(documentUrl, verb.Value.Trim()), Method(verb)),
        "Connect" => ParseConnect(verb, documentUrl),
        var name => new UnsupportedVerb(name),
    };

    private static TwimlVerb ParseConnect(XElement connect, Uri documentUrl)
    {
        var nouns = connect.Elements().ToList();
        if (nouns is not [{ Name.LocalName: "Stream" } stream])
        {
            var names = nouns.Count == 0 ? "nothing" : string.Join(", ", nouns.Select(n => n.Name.LocalName));
            return new UnsupportedVerb($"Connect ({names})");
        }

        var url = (string?)stream.Attribute("url");
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new TwilioCallException(TwilioErrorCodes.DocumentParseFailure, "<Stream> has no url attribute");
        }

        var parameters = stream.Elements()
            .Where(p => p.Name.LocalName == "Parameter")
            .Select(p => KeyValuePair.Create((string?)p.Attribute("name") ?? "", (string?)p.Attribute("value") ?? ""))
            .ToList();
        var statusCallback = (string?)stream.Attribute("statusCallback");
        var action = (string?)connect.Attribute("action");

        return new ConnectStreamVerb(
            string.IsNullOrWhiteSpace(action) ? null : Resolve(documentUrl, action),
            Method(connect),
            new StreamNoun(
                StreamUrl(documentUrl, url.Trim()),
                (string?)stream.Attribute("name"),
                string.IsNullOrWhiteSpace(statusCallback) ? null : Resolve(documentUrl, statusCallback),
                Method(stream, "statusCallbackMethod"),
                parameters));
    }

    /// <summary>A relative stream URL is resolved against the document, its http(s) scheme becoming ws(s).</summary>
    private static string StreamUrl(Uri documentUrl, string url)
    {
        if (url.Contains("://", StringComparison.Ordinal))
        {
            return url; // (Uri.TryCreate would take "/media" for an absolute file path on Unix)
        }
        var resolved = new Uri(documentUrl, url).AbsoluteUri;
        return resolved.StartsWith("https://", StringComparison.Ordinal) ? "wss://" + resolved["https://".Length..]
            : resolved.StartsWith("http://", StringComparison.Ordinal) ? "ws://" + resolved["http://".Length..]
            : resolved;
    }

    private static string DialTarget(XElement dial)
    {
        var noun = dial.Elements().FirstOrDefault();
        return noun is null ? dial.Value.Trim() : $"{noun.Name.LocalName} {noun.Value.Trim()}";
    }

    private static HttpMethod Method(XElement element, string attribute = "method") =>
        string.Equals((string?)element.Attribute(attribute), "GET", StringComparison.OrdinalIgnoreCase) ? HttpMethod.Get : HttpMethod.Post;

    private static Uri Resolve(Uri documentUrl, string url) => new(documentUrl, url.Trim());
}
