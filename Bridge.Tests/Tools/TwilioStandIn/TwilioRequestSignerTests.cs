using System.Text.Json;
using Bridge.TwilioStandIn.Twilio;

namespace Bridge.Tests.Tools.TwilioStandIn;

/// <summary>The simulator signs as Twilio does: checked against signatures Twilio's own helper library computed.</summary>
public sealed class TwilioRequestSignerTests
{
    /// <summary>Every form vector but the one signed over a URL other than the one listed (the port variant).</summary>
    public static TheoryData<string> FormVectors() => new(Vectors()
        .Where(v => v.Method == "POST" && v.Form is not null && v.Name != "voice-webhook-signed-with-port-443")
        .Select(v => v.Name));

    [Theory]
    [MemberData(nameof(FormVectors))]
    public void A_form_post_is_signed_exactly_as_twilio_signs_it(string name)
    {
        var vector = Vectors().Single(v => v.Name == name);
        var signed = TwilioRequestSigner.SignForm(vector.AuthToken, vector.Url, vector.Form!);

        // An invalid vector carries a signature made over different data (or another token): ours must differ.
        Assert.Equal(vector.Valid, signed == vector.Signature);
    }

    [Fact]
    public void Twilio_may_sign_with_the_default_port_and_the_simulator_can_too()
    {
        var vector = Vectors().Single(v => v.Name == "voice-webhook-signed-with-port-443");
        var withPort = vector.Url.Replace("voice.example.com/", "voice.example.com:443/", StringComparison.Ordinal);

        Assert.Equal(vector.Signature, TwilioRequestSigner.SignForm(vector.AuthToken, withPort, vector.Form!));
    }

    [Fact]
    public void The_websocket_upgrade_is_signed_over_the_wss_url_alone()
    {
        var vector = Vectors().Single(v => v.Name == "media-stream-websocket-handshake");

        Assert.Equal(vector.Signature, TwilioRequestSigner.SignWebSocketUpgrade(vector.AuthToken, vector.Url));
    }

    [Fact]
    public void A_json_body_is_signed_by_its_hash_in_the_url()
    {
        var vector = Vectors().Single(v => v.Name == "json-body");
        var bare = vector.Url[..vector.Url.IndexOf('?', StringComparison.Ordinal)];

        var (url, signature) = TwilioRequestSigner.SignJson(vector.AuthToken, bare, vector.Body!);

        Assert.Equal(vector.Url, url);
        Assert.Equal(vector.Signature, signature);
    }

    [Fact]
    public void Repeated_names_contribute_every_value_in_sorted_order()
    {
        // Twilio's canonical form: "url" + "a1" + "a2" + "b0", whatever order the form arrived in.
        var shuffled = TwilioRequestSigner.SignForm("token", "https://x.test/w", [new("b", "0"), new("a", "2"), new("a", "1")]);
        var sorted = TwilioRequestSigner.SignForm("token", "https://x.test/wa1a2b0", []);

        Assert.Equal(sorted, shuffled);
    }

    private static IReadOnlyList<SignatureVector> Vectors()
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "twilio", "signatures.json"));
        return JsonSerializer.Deserialize<SignatureFile>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!.Vectors;
    }

    private sealed record SignatureFile(IReadOnlyList<SignatureVector> Vectors);

    private sealed record SignatureVector(
        string Name, string AuthToken, string Method, string Url, Dictionary<string, string>? Form, string? Body, string Signature, bool Valid);
}
