using System.Text;
using Bridge.TwilioStandIn.Media;

namespace Bridge.Tests.Tools.TwilioStandIn;

/// <summary>
/// The stand-in reads the server's usual frames without a JSON document; the same frame with its members in another
/// order goes the general way, so the two must agree, and anything unusual must still be judged as Twilio judges it.
/// </summary>
public sealed class ServerMessageTests
{
    private const string Sid = "MZ00000000000000000000000000000001";

    [Theory]
    [InlineData("""{"event":"media","streamSid":"MZ00000000000000000000000000000001","media":{"payload":"/wABAgM="}}""",
                """{"media":{"payload":"/wABAgM="},"streamSid":"MZ00000000000000000000000000000001","event":"media"}""")]
    [InlineData("""{"event":"media","streamSid":"MZ00000000000000000000000000000001","media":{"payload":"/wABAg=="}}""",
                """{"streamSid":"MZ00000000000000000000000000000001","event":"media","media":{"payload":"/wABAg=="}}""")]
    [InlineData("""{"event":"mark","streamSid":"MZ00000000000000000000000000000001","mark":{"name":"1.7"}}""",
                """{"mark":{"name":"1.7"},"event":"mark","streamSid":"MZ00000000000000000000000000000001"}""")]
    [InlineData("""{"event":"clear","streamSid":"MZ00000000000000000000000000000001"}""",
                """{"streamSid":"MZ00000000000000000000000000000001","event":"clear"}""")]
    [InlineData("""{"event":"media","streamSid":"MZ00000000000000000000000000000002","media":{"payload":"/wABAgM="}}""",
                """{"streamSid":"MZ00000000000000000000000000000002","event":"media","media":{"payload":"/wABAgM="}}""")]
    [InlineData("""{"event":"media","streamSid":"MZ00000000000000000000000000000001","media":{"payload":"not base64"}}""",
                """{"streamSid":"MZ00000000000000000000000000000001","event":"media","media":{"payload":"not base64"}}""")]
    [InlineData("""{"event":"media","streamSid":"MZ00000000000000000000000000000001","media":{"payload":"/wABAgM=","track":"outbound"}}""",
                """{"streamSid":"MZ00000000000000000000000000000001","event":"media","media":{"track":"outbound","payload":"/wABAgM="}}""")]
    [InlineData("""{"event":"mark","streamSid":"MZ00000000000000000000000000000001","mark":{"name":"\u0031.7"}}""",
                """{"mark":{"name":"1.7"},"event":"mark","streamSid":"MZ00000000000000000000000000000001"}""")]
    public void A_usual_frame_reads_as_the_same_frame_in_another_order(string usual, string reordered)
    {
        var fast = ServerMessage.Parse(Encoding.UTF8.GetBytes(usual), Sid);
        var general = ServerMessage.Parse(Encoding.UTF8.GetBytes(reordered), Sid);

        Assert.Equal(Describe(general), Describe(fast));
    }

    [Fact]
    public void A_media_frame_carries_its_audio()
    {
        var message = ServerMessage.Parse(Encoding.UTF8.GetBytes("""{"event":"media","streamSid":"MZ00000000000000000000000000000001","media":{"payload":"/wABAgM="}}"""), Sid);

        Assert.Equal(ServerMessageKind.Media, message.Kind);
        Assert.Equal(new byte[] { 0xFF, 0, 1, 2, 3 }, message.Payload);
        Assert.Null(message.Note);
    }

    private static string Describe(ServerMessage m) =>
        $"{m.Kind} {(m.Payload is null ? "-" : Convert.ToHexString(m.Payload))} {m.MarkName} {m.WarningCode} {m.Problem} {m.Note}";
}
