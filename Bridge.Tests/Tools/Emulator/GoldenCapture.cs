using System.Text.Json;
using Bridge.Emulator.Signing;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>The AWS SDK for JavaScript's recorded stream (Vectors/bedrock/bedrock-bidi-golden.json).</summary>
internal sealed class GoldenCapture
{
    private readonly JsonElement _root;

    private GoldenCapture(JsonElement root) => _root = root;

    public static GoldenCapture Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Vectors", "bedrock", "bedrock-bidi-golden.json");
        return new GoldenCapture(JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone());
    }

    public string AccessKeyId => Credentials.GetProperty("accessKeyId").GetString()!;

    public string SecretAccessKey => Credentials.GetProperty("secretAccessKey").GetString()!;

    public string Region => _root.GetProperty("region").GetString()!;

    private JsonElement Credentials => _root.GetProperty("credentials");

    public Dictionary<string, string> RequestHeaders(string scenario) =>
        _root.GetProperty(scenario).GetProperty("request").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    public DateTimeOffset RequestDate(string scenario) =>
        DateTimeOffset.ParseExact(RequestHeaders(scenario)["x-amz-date"], "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal);

    public List<byte[]> Frames(string scenario) =>
        _root.GetProperty(scenario).GetProperty("frames").EnumerateArray().Select(f => Convert.FromHexString(f.GetProperty("hex").GetString()!)).ToList();

    public List<string> FrameEventJson(string scenario) =>
        _root.GetProperty(scenario).GetProperty("frames").EnumerateArray()
            .Select(f => f.TryGetProperty("inner", out var inner) ? inner.GetProperty("eventJson").GetString()! : "").ToList();

    public List<byte[]> ResponseFrames(string scenario) =>
        _root.GetProperty(scenario).GetProperty("responseFramesHex").EnumerateArray().Select(f => Convert.FromHexString(f.GetString()!)).ToList();

    public List<string> ReceivedChunks(string scenario) =>
        _root.GetProperty(scenario).GetProperty("received").EnumerateArray().Select(r => r.GetProperty("chunk").GetString()!).ToList();

    public JsonElement Error(string scenario) => _root.GetProperty(scenario).GetProperty("error");

    /// <summary>The captured request as the verifier sees it, with any header replaced or removed.</summary>
    public RequestToVerify Request(string scenario, IReadOnlyDictionary<string, string?>? changes = null)
    {
        var headers = RequestHeaders(scenario);
        foreach (var (name, value) in changes ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                headers.Remove(name);
            }
            else
            {
                headers[name] = value;
            }
        }

        var target = headers[":path"];
        var question = target.IndexOf('?');
        return new RequestToVerify(headers[":method"], question < 0 ? target : target[..question], question < 0 ? "" : target[(question + 1)..],
            headers[":authority"], name => headers.GetValueOrDefault(name));
    }
}
