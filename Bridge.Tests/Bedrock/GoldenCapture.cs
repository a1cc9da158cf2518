using System.Text.Json;

namespace Bridge.Tests.Bedrock;

/// <summary>
/// <c>Vectors/bedrock/bedrock-bidi-golden.json</c>: the AWS SDK for JavaScript v3 BedrockRuntimeClient recorded on the
/// wire with fixed credentials and clock (see Vectors/README.md).
/// </summary>
internal sealed class GoldenCapture
{
    private static readonly Lazy<GoldenCapture> Loaded = new(() => new GoldenCapture(
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "bedrock", "bedrock-bidi-golden.json")))));

    private readonly JsonElement _root;

    private GoldenCapture(JsonDocument document) => _root = document.RootElement;

    public static GoldenCapture Instance => Loaded.Value;

    public string Region => _root.GetProperty("region").GetString()!;
    public string Service => _root.GetProperty("service").GetString()!;
    public string AccessKey => _root.GetProperty("credentials").GetProperty("accessKeyId").GetString()!;
    public string SecretKey => _root.GetProperty("credentials").GetProperty("secretAccessKey").GetString()!;

    public JsonElement Scenario(string name) => _root.GetProperty(name);

    public static Dictionary<string, string> RequestHeaders(JsonElement scenario) =>
        scenario.GetProperty("request").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    public static string RequestSignature(JsonElement scenario) =>
        RequestHeaders(scenario)["authorization"].Split("Signature=")[1];

    public static IReadOnlyList<RecordedFrame> Frames(JsonElement scenario) =>
        scenario.GetProperty("frames").EnumerateArray().Select(f => new RecordedFrame(
            Convert.FromHexString(f.GetProperty("hex").GetString()!),
            DateTimeOffset.FromUnixTimeMilliseconds(f.GetProperty("headers").GetProperty(":date").GetProperty("epochMillis").GetInt64()),
            f.GetProperty("headers").GetProperty(":chunk-signature").GetProperty("hex").GetString()!,
            f.TryGetProperty("inner", out var inner) && inner.ValueKind == JsonValueKind.Object
                ? inner.GetProperty("eventJson").GetString()
                : null)).ToList();

    public static byte[] ResponseBytes(JsonElement scenario) =>
        scenario.GetProperty("responseFramesHex").EnumerateArray().SelectMany(h => Convert.FromHexString(h.GetString()!)).ToArray();

    public static IReadOnlyList<string> ReceivedChunks(JsonElement scenario) =>
        scenario.GetProperty("received").EnumerateArray().Select(r => r.GetProperty("chunk").GetString()!).ToList();
}

internal sealed record RecordedFrame(byte[] Bytes, DateTimeOffset Date, string SignatureHex, string? EventJson);
