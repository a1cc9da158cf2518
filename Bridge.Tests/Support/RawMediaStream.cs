using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Bridge.Tests.Api;

namespace Bridge.Tests.Support;

/// <summary>
/// A hand-driven media stream: asks the api for TwiML as Twilio would (or takes a start made like our webhook's),
/// opens the stream with Twilio's signature, and then sends whatever a test wants, well-formed or not.
/// </summary>
public sealed class RawMediaStream : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;

    private RawMediaStream(ClientWebSocket socket, string callSid, IReadOnlyDictionary<string, string> parameters, string? streamSid = null)
    {
        _socket = socket;
        CallSid = callSid;
        Parameters = parameters;
        StreamSid = streamSid ?? "MZ" + Guid.NewGuid().ToString("N");
    }

    public string CallSid { get; }

    public string StreamSid { get; }

    /// <summary>The account the start names; any string, to forge it.</summary>
    public string AccountSid { get; set; } = DirectStream.AccountSid;

    public IReadOnlyDictionary<string, string> Parameters { get; }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public WebSocketState State => _socket.State;

    /// <summary>A stream opened straight on a worker with <paramref name="start"/>'s call, stream and parameters, from <paramref name="forwardedFor"/> if given.</summary>
    public static async Task<RawMediaStream> OpenAsync(DirectStream streams, Bridge.TwilioStandIn.Media.StreamStart start, CancellationToken cancellationToken, string? forwardedFor = null)
    {
        var socket = streams.NewSocket();
        if (forwardedFor is not null)
        {
            socket.Options.SetRequestHeader("X-Forwarded-For", forwardedFor);
        }
        try
        {
            await socket.ConnectAsync(streams.MediaUrl, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new RawMediaStream(socket, start.CallSid, start.CustomParameters.ToDictionary(p => p.Key, p => p.Value), start.StreamSid);
    }

    /// <param name="liveCalls">Where Twilio's REST API (the call simulator's) knows the call in progress, as the worker confirms it there.</param>
    public static async Task<RawMediaStream> OpenAsync(
        Uri webhookUrl, string authToken, string accountSid, CancellationToken cancellationToken, Bridge.TwilioStandIn.Twilio.LiveCalls? liveCalls = null)
    {
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        liveCalls?.Register(accountSid, callSid, authToken).Answered();
        var form = WebhookForms.IncomingCall();
        form["CallSid"] = callSid;
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, webhookUrl) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", TwilioTestSigner.Sign(authToken, webhookUrl.ToString(), form));
        var twiml = XDocument.Parse(await (await http.SendAsync(request, cancellationToken)).Content.ReadAsStringAsync(cancellationToken));
        var stream = twiml.Descendants("Stream").Single();
        var streamUrl = (string)stream.Attribute("url")!;
        var parameters = stream.Elements("Parameter").ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);

        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("x-twilio-signature", TwilioTestSigner.Sign(authToken, streamUrl, []));
        await socket.ConnectAsync(new Uri(streamUrl), cancellationToken);
        return new RawMediaStream(socket, callSid, parameters) { AccountSid = accountSid };
    }

    public Task SendConnectedAndStartAsync(CancellationToken cancellationToken) =>
        SendTextAsync("""{"event":"connected","protocol":"Call","version":"1.0.0"}""", cancellationToken)
            .ContinueWith(_ => SendTextAsync(StartFrame(), cancellationToken), cancellationToken).Unwrap();

    /// <summary>Twilio's start, carrying the TwiML's parameters (or others, to forge them).</summary>
    public string StartFrame(IReadOnlyDictionary<string, string>? customParameters = null) => new JsonObject
    {
        ["event"] = "start",
        ["sequenceNumber"] = "1",
        ["streamSid"] = StreamSid,
        ["start"] = new JsonObject
        {
            ["accountSid"] = AccountSid,
            ["streamSid"] = StreamSid,
            ["callSid"] = CallSid,
            ["tracks"] = new JsonArray("inbound"),
            ["customParameters"] = new JsonObject((customParameters ?? Parameters).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["mediaFormat"] = new JsonObject { ["encoding"] = "audio/x-mulaw", ["sampleRate"] = 8000, ["channels"] = 1 },
        },
    }.ToJsonString();

    public string MediaFrame(int sequence, string? payload = null) => new JsonObject
    {
        ["event"] = "media",
        ["sequenceNumber"] = sequence.ToString(CultureInfo.InvariantCulture),
        ["streamSid"] = StreamSid,
        ["media"] = new JsonObject
        {
            ["track"] = "inbound",
            ["chunk"] = sequence.ToString(CultureInfo.InvariantCulture),
            ["timestamp"] = (sequence * 20).ToString(CultureInfo.InvariantCulture),
            ["payload"] = payload ?? Convert.ToBase64String(new byte[160]),
        },
    }.ToJsonString();

    public string StopFrame(int sequence) =>
        new JsonObject
        {
            ["event"] = "stop",
            ["sequenceNumber"] = sequence.ToString(CultureInfo.InvariantCulture),
            ["streamSid"] = StreamSid,
            ["stop"] = new JsonObject { ["accountSid"] = AccountSid, ["callSid"] = CallSid },
        }.ToJsonString();

    /// <summary>Sends the caller's close frame (as Twilio does after <c>stop</c>), without waiting for the answer.</summary>
    public Task CloseOutputAsync(WebSocketCloseStatus status, CancellationToken cancellationToken) =>
        _socket.CloseOutputAsync(status, "the caller hung up", cancellationToken);

    public Task SendTextAsync(string text, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>
    /// Sends <paramref name="message"/>(0), (1), … until <paramref name="most"/> are sent or the server closes the
    /// stream (a send then fails, or the socket is no longer open); returns how many were sent.
    /// </summary>
    public async Task<int> FloodAsync(Func<int, string> message, int most, CancellationToken cancellationToken)
    {
        var sent = 0;
        for (; sent < most && State == WebSocketState.Open; sent++)
        {
            try
            {
                await SendTextAsync(message(sent), cancellationToken);
            }
            catch (WebSocketException)
            {
                break;
            }
        }
        return sent;
    }

    public Task SendBytesAsync(byte[] bytes, WebSocketMessageType type, CancellationToken cancellationToken) =>
        _socket.SendAsync(bytes, type, true, cancellationToken);

    /// <summary>Reads until the server closes; returns its close status (null if the connection broke instead).</summary>
    public async Task<WebSocketCloseStatus?> WaitForCloseAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return result.CloseStatus;
                }
            }
        }
        catch (WebSocketException)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
