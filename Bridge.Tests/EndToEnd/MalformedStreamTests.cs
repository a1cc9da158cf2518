using System.Net.WebSockets;
using System.Text;
using Bridge.TwilioStandIn.Media;
using Bridge.Tests.Support;

namespace Bridge.Tests.EndToEnd;

/// <summary>Anything malformed on a media stream closes that one call with a reason; another call goes on.</summary>
[Collection(AppHostCollection.Name)]
public sealed class MalformedStreamTests(AppHostFixture fixture)
{
    public enum Fault
    {
        BadJson,
        UnknownEvent,
        WrongStreamSid,
        MediaBeforeStart,
        BadBase64,
        OversizedFrame,
        BinaryFrame,
        TruncatedUtf8,
        NoStart,
        ForgedStreamToken,
    }

    [Fact]
    public async Task Each_malformed_input_closes_only_its_own_call()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var goodCall = SimulatedCaller.CallAsync(fixture.WebhookUrl, AppHostFixture.AuthToken, new MediaStreamOptions
        {
            Audio = SimulatedCaller.Saying(SimulatedCaller.Silence(TimeSpan.FromSeconds(1)), SimulatedCaller.Utterance("hello"), SimulatedCaller.Silence(TimeSpan.FromSeconds(10))),
            HangUpAfterQuiet = TimeSpan.FromSeconds(2),
        }, timeout.Token);

        var closes = new Dictionary<Fault, WebSocketCloseStatus?>();
        foreach (var fault in Enum.GetValues<Fault>())
        {
            using var faultTimeout = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            faultTimeout.CancelAfter(TimeSpan.FromSeconds(20));
            try
            {
                closes[fault] = await SendAsync(fault, faultTimeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{fault}: the worker neither closed the stream nor dropped it within 20 s");
            }
            catch (WebSocketException e)
            {
                Assert.Fail($"{fault}: {e.Message}");
            }
        }

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, closes[Fault.BadJson]);
        Assert.Equal(WebSocketCloseStatus.ProtocolError, closes[Fault.UnknownEvent]);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, closes[Fault.WrongStreamSid]);
        Assert.Equal(WebSocketCloseStatus.ProtocolError, closes[Fault.MediaBeforeStart]);
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, closes[Fault.BadBase64]);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, closes[Fault.OversizedFrame]);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, closes[Fault.BinaryFrame]);
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, closes[Fault.TruncatedUtf8]);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, closes[Fault.NoStart]);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, closes[Fault.ForgedStreamToken]);

        var good = await goodCall;
        Assert.Equal(StreamEnd.CallerHungUp, good.Stream!.End);
        Assert.True(good.Stream.HeardAudio >= TimeSpan.FromSeconds(3), $"the good call heard only {good.Stream.HeardAudio}");
    }

    private async Task<WebSocketCloseStatus?> SendAsync(Fault fault, CancellationToken cancellationToken)
    {
        await using var stream = await RawMediaStream.OpenAsync(fixture.WebhookUrl, AppHostFixture.AuthToken, AppHostFixture.AccountSid, cancellationToken);
        switch (fault)
        {
            case Fault.MediaBeforeStart:
                await stream.SendTextAsync(stream.MediaFrame(1), cancellationToken);
                break;
            case Fault.NoStart:
                break;
            case Fault.ForgedStreamToken:
                await stream.SendTextAsync(stream.StartFrame(stream.Parameters.With("from", "+19995550000")), cancellationToken);
                break;
            default:
                await stream.SendConnectedAndStartAsync(cancellationToken);
                await stream.SendTextAsync(stream.MediaFrame(2), cancellationToken);
                await SendFaultAsync(stream, fault, cancellationToken);
                break;
        }
        return await stream.WaitForCloseAsync(cancellationToken);
    }

    private static Task SendFaultAsync(RawMediaStream stream, Fault fault, CancellationToken cancellationToken) => fault switch
    {
        Fault.BadJson => stream.SendTextAsync("""{"event":"media","streamSid":""", cancellationToken),
        Fault.UnknownEvent => stream.SendTextAsync($$$"""{"event":"dance","streamSid":"{{{stream.StreamSid}}}"}""", cancellationToken),
        Fault.WrongStreamSid => stream.SendTextAsync(stream.MediaFrame(3).Replace(stream.StreamSid, "MZ00000000000000000000000000000000", StringComparison.Ordinal), cancellationToken),
        Fault.BadBase64 => stream.SendTextAsync(stream.MediaFrame(3, payload: "%%%not base64%%%"), cancellationToken),
        Fault.OversizedFrame => stream.SendTextAsync(stream.MediaFrame(3, payload: Convert.ToBase64String(new byte[64 * 1024])), cancellationToken),
        Fault.BinaryFrame => stream.SendBytesAsync(new byte[160], WebSocketMessageType.Binary, cancellationToken),
        Fault.TruncatedUtf8 => stream.SendBytesAsync([.. Encoding.UTF8.GetBytes("""{"event":"media","x":"caf"""), 0xC3], WebSocketMessageType.Text, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };
}
