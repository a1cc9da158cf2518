using Twilio.TwiML;
using Twilio.TwiML.Voice;
using Stream = Twilio.TwiML.Voice.Stream;

namespace Bridge.Api.Twiml;

/// <summary>The TwiML documents the webhooks answer with.</summary>
public static class CallTwiml
{
    /// <summary>
    /// Connects the call to the media worker over a bidirectional stream. The stream's parameters (signed by the
    /// token among them) are all the worker learns about the call.
    /// </summary>
    public static VoiceResponse ConnectStream(
        string streamUrl,
        string connectEndedUrl,
        string streamStatusUrl,
        IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var stream = new Stream(url: streamUrl, statusCallback: streamStatusUrl, statusCallbackMethod: Stream.StatusCallbackMethodEnum.Post);
        foreach (var (name, value) in parameters)
        {
            stream.Parameter(name: name, value: value);
        }

        var connect = new Connect(action: new Uri(connectEndedUrl), method: Twilio.Http.HttpMethod.Post);
        connect.Append(stream);
        return new VoiceResponse().Append(connect);
    }

    /// <summary>An apology, then a transfer to the fallback number when there is one, or the end of the call.</summary>
    public static VoiceResponse Apology(CallFallbackOptions fallback)
    {
        var response = new VoiceResponse().Say(fallback.ApologyMessage);
        return fallback.FallbackNumber is { Length: > 0 } number
            ? response.Dial(number)
            : response.Hangup();
    }

    public static VoiceResponse Hangup() => new VoiceResponse().Hangup();

    /// <summary>An outbound call's message left on an answering machine after the beep, then the end of the call.</summary>
    public static VoiceResponse Voicemail(string message, string? language) =>
        new VoiceResponse()
            .Say(message, language: language is null ? null : (Say.LanguageEnum)language)
            .Hangup();
}
