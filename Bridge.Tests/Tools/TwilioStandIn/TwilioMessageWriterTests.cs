using System.Text;
using Bridge.TwilioStandIn.Media;

namespace Bridge.Tests.Tools.TwilioStandIn;

/// <summary>
/// The stand-in's frames read as Twilio's do, character for character where a server might compare text: Twilio
/// writes a caller's number and a payload's base64 as they are, never with <c>+</c> escaped as <c>\u002B</c>.
/// </summary>
public sealed class TwilioMessageWriterTests
{
    private static readonly StreamStart Stream = new(
        "AC00000000000000000000000000000001",
        "CA00000000000000000000000000000001",
        "MZ00000000000000000000000000000001",
        [new("From", "+14155550100"), new("Note", "a <b> & 'c'")]);

    [Fact]
    public void The_start_message_writes_custom_parameters_as_Twilio_does()
    {
        var writer = new TwilioMessageWriter(Stream);

        var text = Encoding.UTF8.GetString(writer.Start(sequenceNumber: 1).Span);

        Assert.Contains("\"From\":\"+14155550100\"", text, StringComparison.Ordinal);
        Assert.Contains("\"Note\":\"a <b> & 'c'\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_media_payload_is_plain_base64()
    {
        var writer = new TwilioMessageWriter(Stream);
        byte[] payload = [0xFB, 0xEF, 0xFF, 0x3E];

        var text = Encoding.UTF8.GetString(writer.Media(sequenceNumber: 2, chunk: 1, timestampMs: 20, payload).Span);

        Assert.Contains($"\"payload\":\"{Convert.ToBase64String(payload)}\"", text, StringComparison.Ordinal);
    }
}
