using Bridge.TwilioStandIn.Twilio;

namespace Bridge.Tests.Tools.TwilioStandIn;

/// <summary>TwiML read the way Twilio reads it.</summary>
public sealed class TwimlDocumentTests
{
    private static readonly Uri Webhook = new("https://voice.example.com/webhook");

    [Fact]
    public void Connect_stream_yields_the_action_the_stream_url_its_status_callback_and_its_parameters()
    {
        var document = TwimlDocument.Parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Response>
              <Connect action="/webhook/connect-ended" method="POST">
                <Stream url="wss://voice.example.com/media" name="bridge" statusCallback="stream-status" statusCallbackMethod="GET">
                  <Parameter name="token" value="v1.1.x" />
                  <Parameter name="from" value="+14155550100" />
                </Stream>
              </Connect>
            </Response>
            """, Webhook);

        var connect = Assert.IsType<ConnectStreamVerb>(Assert.Single(document.Verbs));
        Assert.Equal(new Uri("https://voice.example.com/webhook/connect-ended"), connect.Action);
        Assert.Equal(HttpMethod.Post, connect.ActionMethod);
        Assert.Equal("wss://voice.example.com/media", connect.Stream.Url);
        Assert.Equal("bridge", connect.Stream.Name);
        Assert.Equal(new Uri("https://voice.example.com/stream-status"), connect.Stream.StatusCallback); // relative to the document
        Assert.Equal(HttpMethod.Get, connect.Stream.StatusCallbackMethod);
        Assert.Equal([new("token", "v1.1.x"), new("from", "+14155550100")], connect.Stream.Parameters);
    }

    [Fact]
    public void A_relative_stream_url_is_dialed_on_the_documents_host_over_wss()
    {
        var document = TwimlDocument.Parse("<Response><Connect><Stream url=\"/media\"/></Connect></Response>", Webhook);

        Assert.Equal("wss://voice.example.com/media", Assert.IsType<ConnectStreamVerb>(document.Verbs[0]).Stream.Url);
    }

    [Fact]
    public void What_the_bridge_api_answers_parses_into_connect_stream()
    {
        // The api builds its TwiML with Twilio's own library: the simulator must read that output.
        var twiml = Bridge.Api.Twiml.CallTwiml.ConnectStream(
            "wss://voice.example.com/media", "https://voice.example.com/webhook/connect-ended",
            "https://voice.example.com/webhook/stream-status", [new("callSid", "CA1"), new("token", "t")]).ToString();

        var connect = Assert.IsType<ConnectStreamVerb>(Assert.Single(TwimlDocument.Parse(twiml, Webhook).Verbs));

        Assert.Equal(new Uri("https://voice.example.com/webhook/connect-ended"), connect.Action);
        Assert.Equal(new Uri("https://voice.example.com/webhook/stream-status"), connect.Stream.StatusCallback);
        Assert.Equal(HttpMethod.Post, connect.Stream.StatusCallbackMethod);
        Assert.Equal(["callSid", "token"], connect.Stream.Parameters.Select(p => p.Key));
    }

    [Fact]
    public void The_apology_verbs_are_read_in_order()
    {
        var document = TwimlDocument.Parse(
            "<Response><Say voice=\"alice\">Sorry.</Say><Pause length=\"2\"/><Dial>+15551234567</Dial><Hangup/></Response>", Webhook);

        Assert.Equal(
            [new SayVerb("Sorry."), new PauseVerb(TimeSpan.FromSeconds(2)), new DialVerb("+15551234567"), new HangupVerb()],
            document.Verbs);
    }

    [Fact]
    public void A_connect_without_a_stream_and_unknown_verbs_are_named_not_followed()
    {
        var document = TwimlDocument.Parse("<Response><Connect><Room>r</Room></Connect><Gather/></Response>", Webhook);

        Assert.Equal([new UnsupportedVerb("Connect (Room)"), new UnsupportedVerb("Gather")], document.Verbs);
    }

    [Theory]
    [InlineData("not xml at all")]
    [InlineData("<Html><Body/></Html>")]
    public void A_body_that_is_not_twiml_is_error_12100(string body)
    {
        var error = Assert.Throws<TwilioCallException>(() => TwimlDocument.Parse(body, Webhook));

        Assert.Equal(TwilioErrorCodes.DocumentParseFailure, error.Code);
    }
}
