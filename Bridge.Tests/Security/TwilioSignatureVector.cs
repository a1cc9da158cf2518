using System.Text.Json;
using Bridge.Tests.Support;

namespace Bridge.Tests.Security;

/// <summary>One case of <c>Vectors/twilio/signatures.json</c>, computed with Twilio's own helper library.</summary>
public sealed record TwilioSignatureVector(
    string Name,
    string AuthToken,
    string Method,
    string Url,
    Dictionary<string, string>? Form,
    string? Body,
    string? ContentType,
    string Signature,
    bool Valid)
{
    public override string ToString() => Name;

    public static IReadOnlyList<TwilioSignatureVector> All { get; } = Load();

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var vector in All)
        {
            names.Add(vector.Name);
        }
        return names;
    }

    public static TwilioSignatureVector Named(string name) => All.Single(v => v.Name == name);

    private static List<TwilioSignatureVector> Load()
    {
        using var document = JsonDocument.Parse(TestVectors.ReadText("twilio/signatures.json"));
        return document.RootElement.GetProperty("vectors")
            .Deserialize<List<TwilioSignatureVector>>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}
