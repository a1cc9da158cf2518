using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.Extensions.Options;

namespace Bridge.Softphone.Calls;

/// <summary>
/// One call from the page: a Twilio stand-in call (<see cref="CallSimulation"/>: signed webhook, TwiML, signed
/// upgrade, 20 ms µ-law frames, Twilio's playback) whose caller is the person at the browser — their microphone is
/// the caller's audio, their speakers the caller's ear, their keypad the phone's — with the call's progress, the
/// worker's transcript and each reply's latency reported to the page. Ends when the page hangs up or goes away,
/// or when the call ends on the other side.
/// </summary>
internal sealed partial class BrowserCall(
    SoftphoneHttp http,
    IOptions<SoftphoneOptions> options,
    IOptions<Bridge.Security.TwilioOptions> twilio,
    LiveCalls liveCalls,
    TimeProvider time,
    ILogger<CallSimulation> simulationLogger,
    ILogger<BrowserCall> logger)
{
    private const int MaxTextMessageBytes = 4096;
    private const int MaxAudioMessageBytes = 64 * 1024;
    private static readonly TimeSpan WorkerEndWait = TimeSpan.FromSeconds(3);

    public async Task RunAsync(WebSocket socket, string to, CancellationToken aborted)
    {
        var link = new BrowserLink(socket);
        var sending = link.RunAsync(CancellationToken.None);
        var turns = new TurnTimer();
        var microphone = new BrowserCallerAudio(turns);
        var speaker = new BrowserSpeaker(link, turns);
        var keypad = new CallerKeypad();
        var callSid = TwilioSid.NewCallSid();
        using var hangUp = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        using var stopWatching = new CancellationTokenSource();
        var workerEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        LogCallStarting(logger, callSid, to);
        link.Send("calling", ("callSid", callSid), ("to", to));
        var watching = await WatchTranscriptAsync(link, callSid, workerEnded, stopWatching.Token);
        var receiving = ReceiveAsync(socket, microphone, keypad, link, hangUp, callSid);

        CallSummary? summary = null;
        try
        {
            summary = await new CallSimulation(http.Twilio, time, simulationLogger, liveCalls).RunAsync(
                new CallSimulationOptions
                {
                    WebhookUrl = options.Value.WebhookUrl!,
                    AuthToken = twilio.Value.AuthToken,
                    AccountSid = twilio.Value.AccountSid ?? CallSimulationOptions.DefaultAccountSid,
                    CallSid = callSid,
                    From = options.Value.From,
                    To = to,
                    Progress = new StepReporter(link),
                    Media = new MediaStreamOptions
                    {
                        Audio = microphone,
                        Keypad = keypad,
                        Listener = speaker,
                        RecordHeardAudio = false,
                        MaxDuration = options.Value.MaxCallDuration,
                        HangUpAfterQuiet = options.Value.MaxCallDuration,
                    },
                },
                observer: speaker,
                cancellationToken: hangUp.Token);
        }
        catch (OperationCanceledException)
        {
            // Hung up before the stream started.
        }

        var outcome = summary?.Outcome ?? "hung up before the call was answered";
        LogCallEnded(logger, callSid, outcome);
        if (summary?.Stream is not null)
        {
            // The worker reports its end of the call a moment after the stream closed.
            await Task.WhenAny(workerEnded.Task, Task.Delay(WorkerEndWait, time));
        }
        link.Send("ended", ("outcome", outcome), ("error", summary?.Error is { } error ? $"{error.Code}: {error.Problem}" : null));
        await stopWatching.CancelAsync();
        await watching;
        link.Complete();
        await sending;
        await hangUp.CancelAsync();
        await CloseAsync(socket);
        await receiving;
    }

    private async Task<Task> WatchTranscriptAsync(BrowserLink link, string callSid, TaskCompletionSource workerEnded, CancellationToken stop)
    {
        if (options.Value.CallEventsUrl is not { } worker)
        {
            link.Send("transcript-off", ("reason", "no media worker to ask (Softphone:CallEventsUrl is not set)"));
            workerEnded.TrySetResult(); // nothing will tell
            return Task.CompletedTask;
        }
        var client = new CallEventsClient(http.CallEvents, worker, twilio.Value.AuthToken);
        return await client.WatchAsync(
            callSid,
            e =>
            {
                var kind = e.GetProperty("kind").GetString();
                var text = e.TryGetProperty("text", out var t) ? t.GetString() : null;
                if (kind == "ended")
                {
                    link.Send("worker-ended", ("reason", text));
                    workerEnded.TrySetResult();
                    return;
                }
                link.Send("transcript", ("kind", kind), ("text", text), ("interrupted", e.TryGetProperty("interrupted", out var i) && i.GetBoolean()));
            },
            reason =>
            {
                LogTranscriptOff(logger, callSid, reason);
                link.Send("transcript-off", ("reason", reason));
                workerEnded.TrySetResult(); // nothing will tell
            },
            stop);
    }

    /// <summary>The page's messages: audio (binary PCM16), a key (<c>{"type":"dtmf","key":"5"}</c>), <c>{"type":"hangup"}</c>.</summary>
    private async Task ReceiveAsync(WebSocket socket, BrowserCallerAudio microphone, CallerKeypad keypad, BrowserLink link, CancellationTokenSource hangUp, string callSid)
    {
        var buffer = new byte[MaxAudioMessageBytes];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        throw new InvalidDataException($"a message longer than {buffer.Length} bytes");
                    }
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    microphone.Write(buffer.AsSpan(0, length));
                    continue;
                }
                if (length > MaxTextMessageBytes)
                {
                    throw new InvalidDataException($"a text message of {length} bytes");
                }
                HandleCommand(buffer.AsSpan(0, length), keypad, link, hangUp);
            }
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            LogBadMessage(logger, callSid, e.Message);
            link.Send("error", ("message", "the softphone could not read the page's message: " + e.Message));
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The page went away.
        }
        await hangUp.CancelAsync();
    }

    private static void HandleCommand(ReadOnlySpan<byte> json, CallerKeypad keypad, BrowserLink link, CancellationTokenSource hangUp)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var command = document.RootElement;
        switch (command.GetProperty("type").GetString())
        {
            case "dtmf":
                var key = command.GetProperty("key").GetString();
                if (key is not { Length: 1 } || !keypad.Press(key[0]))
                {
                    throw new InvalidDataException($"'{key}' is not a key of a phone's keypad");
                }
                link.Send("dtmf", ("key", key));
                break;
            case "hangup":
                hangUp.Cancel();
                break;
            case var other:
                throw new InvalidDataException($"unknown message type '{other}'");
        }
    }

    private static async Task CloseAsync(WebSocket socket)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "call ended", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }

    /// <summary>A number the page may call: E.164 (with agent profiles, the number chooses the agent).</summary>
    public static bool IsPhoneNumber(string number) => PhoneNumber().IsMatch(number);

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex PhoneNumber();

    private sealed class StepReporter(BrowserLink link) : IProgress<string>
    {
        public void Report(string value) => link.Send("step", ("text", value));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid} from the browser to {To}")]
    private static partial void LogCallStarting(ILogger logger, string callSid, string to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid} ended: {Outcome}")]
    private static partial void LogCallEnded(ILogger logger, string callSid, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: no transcript: {Reason}")]
    private static partial void LogTranscriptOff(ILogger logger, string callSid, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: closing: {Reason}")]
    private static partial void LogBadMessage(ILogger logger, string callSid, string reason);
}
