using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bridge.TwilioStandIn.Outbound;

/// <summary>
/// Places the outbound calls a bridge asks for with <c>POST /2010-04-01/Accounts/{AccountSid}/Calls.json</c>, as Twilio
/// does: answers 201 with the call resource, then dials <see cref="Callees"/>' number — a person says hello, a voicemail
/// plays its greeting and beep, a fax answers, or the line is busy, rings out (<c>Timeout</c>) or fails — and sends the
/// signed status callbacks asked for (<c>initiated</c>, <c>ringing</c>, <c>answered</c>, always the final one with
/// <c>CallDuration</c>). Answering machine detection: synchronous (the <c>Url</c> fetched once the verdict is in, with
/// <c>AnsweredBy</c>) or asynchronous (the <c>Url</c> at once, the verdict posted to <c>AsyncAmdStatusCallback</c> when
/// reached: a person once their hello and 1.2 s of silence are over, a voicemail at its beep with
/// <c>DetectMessageEnd</c>). An answered call runs like any simulated call: its TwiML, its media stream with the
/// callee's audio, and the REST API's updates (a bridge's voicemail message after the beep).
/// </summary>
public sealed partial class OutboundCalls(string accountSid, string authToken, HttpClient http, LiveCalls liveCalls, TimeProvider time, ILogger<CallSimulation> logger) : IAsyncDisposable
{
    /// <summary>Twilio's "Speech End Threshold": the silence after speech that makes a person a person.</summary>
    private static readonly TimeSpan SpeechEndThreshold = TimeSpan.FromMilliseconds(1200);

    /// <summary>Twilio's "Speech Threshold": speech longer than this is a machine's greeting (Enable mode).</summary>
    private static readonly TimeSpan SpeechThreshold = TimeSpan.FromMilliseconds(2400);

    private static readonly TimeSpan RingTime = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Raised when a placed call has ended, with how it went.</summary>
    public event Action<OutboundCallReport>? Ended;

    public string AccountSid => accountSid;

    internal async Task<IResult> CreateAsync(string account, HttpRequest request)
    {
        if (account != accountSid || !TwilioCallsApi.IsAuthenticated(request, accountSid, authToken))
        {
            return TwilioCallsApi.Error(HttpStatusCode.Unauthorized, 20003, "Authenticate");
        }
        if (!request.HasFormContentType)
        {
            return TwilioCallsApi.Error(HttpStatusCode.BadRequest, null, "A form body is required");
        }
        PlacedCall placed;
        try
        {
            placed = PlacedCall.Read(await request.ReadFormAsync());
        }
        catch (TwilioCallException e)
        {
            return TwilioCallsApi.Error(HttpStatusCode.BadRequest, e.Code == 0 ? null : e.Code, e.Detail);
        }

        var callSid = TwilioSid.NewCallSid();
        var live = await liveCalls.RegisterAsync(accountSid, callSid, authToken, "outbound-api");
        live.StatusCallback = placed.StatusCallback;
        _running[callSid] = Task.Run(() => RunAsync(placed, callSid, live));
        LogPlaced(logger, callSid, placed.To, Callees.For(placed.To));

        var created = time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        return Results.Json(new Dictionary<string, object?>
        {
            ["sid"] = callSid,
            ["account_sid"] = accountSid,
            ["to"] = placed.To,
            ["to_formatted"] = placed.To,
            ["from"] = placed.From,
            ["from_formatted"] = placed.From,
            ["status"] = "queued",
            ["direction"] = "outbound-api",
            ["answered_by"] = null,
            ["duration"] = null,
            ["date_created"] = created,
            ["date_updated"] = created,
            ["api_version"] = CallIdentity.ApiVersion,
            ["uri"] = $"/{CallIdentity.ApiVersion}/Accounts/{accountSid}/Calls/{callSid}.json",
        }, statusCode: StatusCodes.Status201Created);
    }

    private async Task RunAsync(PlacedCall placed, string callSid, LiveCall live)
    {
        var kind = Callees.For(placed.To);
        var identity = new CallIdentity(accountSid, callSid, placed.From, placed.To);
        var report = new OutboundCallReport(callSid, placed.To, placed.From, kind, "failed", null, null, null, 0, null);
        var cancellation = _stopping.Token;
        try
        {
            await StatusAsync(placed, live, identity, "initiated", "initiated", []);
            if (kind == CalleeKind.Failed)
            {
                report = report with { FinalStatus = "failed" };
                await FinalAsync(placed, live, identity, "failed", [new("SipResponseCode", "404")]);
                return;
            }
            await StatusAsync(placed, live, identity, "ringing", "ringing", []);
            await Task.Delay(kind == CalleeKind.NoAnswer ? placed.Timeout : RingTime, time, cancellation);
            if (kind is CalleeKind.Busy or CalleeKind.NoAnswer)
            {
                var status = kind == CalleeKind.Busy ? "busy" : "no-answer";
                report = report with { FinalStatus = status };
                await FinalAsync(placed, live, identity, status, [new("SipResponseCode", kind == CalleeKind.Busy ? "486" : "487")]);
                return;
            }

            var answeredAt = time.GetTimestamp();
            live.Answered();
            await StatusAsync(placed, live, identity, "answered", "in-progress", []);
            var audio = kind switch { CalleeKind.Person => Callees.PersonSays, CalleeKind.Machine => Callees.MachineGreeting, _ => CallerAudio.Silence };
            var (verdict, detectedAfter) = Detect(kind, audio, placed.MachineDetection);

            string? syncVerdict = null;
            Task<bool>? asyncVerdict = null;
            using var callOver = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            if (verdict is not null && !placed.AsyncAmd)
            {
                // Synchronous detection: the callee's greeting plays to the detector alone, then the Url is fetched.
                await Task.Delay(detectedAfter, time, cancellation);
                syncVerdict = verdict;
                if (kind == CalleeKind.Machine)
                {
                    audio = CallerAudio.Silence;
                }
            }
            else if (verdict is not null && placed.AsyncAmdStatusCallback is { } amdCallback)
            {
                asyncVerdict = VerdictAsync(amdCallback, identity, verdict, detectedAfter, callOver.Token);
            }

            var summary = await new CallSimulation(http, time, logger, liveCalls).RunAsync(new CallSimulationOptions
            {
                WebhookUrl = placed.Url,
                WebhookMethod = placed.Method,
                Direction = "outbound-api",
                AnsweredBy = syncVerdict,
                AuthToken = authToken,
                AccountSid = accountSid,
                CallSid = callSid,
                From = placed.From,
                To = placed.To,
                Traced = false,
                Media = CalleeBehaviour(kind, audio),
            }, cancellationToken: cancellation);

            await callOver.CancelAsync();
            var reached = syncVerdict is not null || (asyncVerdict is not null && await asyncVerdict);
            var duration = (int)Math.Ceiling(time.GetElapsedTime(answeredAt).TotalSeconds);
            report = report with
            {
                FinalStatus = "completed",
                AnsweredBy = reached ? verdict : null,
                DetectedAt = reached ? detectedAfter : null,
                GreetingEnd = audio.Duration > TimeSpan.Zero ? audio.Duration : null,
                DurationSeconds = duration,
                Call = summary,
            };
            List<KeyValuePair<string, string>> extra = [new("CallDuration", duration.ToString(CultureInfo.InvariantCulture))];
            if (report.AnsweredBy is { } answeredBy)
            {
                extra.Add(new("AnsweredBy", answeredBy));
            }
            await FinalAsync(placed, live, identity, "completed", extra);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            report = report with { FinalStatus = "canceled" };
        }
        catch (Exception e)
        {
            LogFailed(logger, e, callSid);
        }
        finally
        {
            await liveCalls.RemoveAsync(callSid);
            _running.TryRemove(callSid, out _);
            LogEnded(logger, report.Describe());
            Ended?.Invoke(report);
        }
    }

    /// <summary>What detection would say of this callee, and how long after the answer; no verdict when it is off.</summary>
    private static (string? Verdict, TimeSpan After) Detect(CalleeKind kind, CallerAudio audio, string? mode) => (kind, mode) switch
    {
        (_, null) => (null, TimeSpan.Zero),
        (CalleeKind.Person, _) => ("human", audio.SpeechEnd + SpeechEndThreshold),
        (CalleeKind.Machine, "DetectMessageEnd") => ("machine_end_beep", audio.SpeechEnd + TimeSpan.FromMilliseconds(100)),
        (CalleeKind.Machine, _) => ("machine_start", SpeechThreshold),
        _ => ("fax", TimeSpan.FromSeconds(2)),
    };

    private static MediaStreamOptions CalleeBehaviour(CalleeKind kind, CallerAudio audio) => new()
    {
        Audio = audio,
        // A person hangs up once the agent has been quiet a while; a voicemail records until its own limit.
        HangUpAfterQuiet = kind == CalleeKind.Person ? TimeSpan.FromSeconds(4) : TimeSpan.FromSeconds(30),
        MaxDuration = TimeSpan.FromMinutes(2),
        RecordHeardAudio = false,
    };

    /// <summary>Posts the verdict once it is reached; false when the call ended first.</summary>
    private async Task<bool> VerdictAsync(Uri callback, CallIdentity call, string verdict, TimeSpan after, CancellationToken callOver)
    {
        try
        {
            await Task.Delay(after, time, callOver);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        List<KeyValuePair<string, string>> form =
        [
            new("AccountSid", call.AccountSid),
            new("CallSid", call.CallSid),
            new("AnsweredBy", verdict),
            new("MachineDetectionDuration", ((int)after.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)),
        ];
        await PostAsync(callback, HttpMethod.Post, form, call.CallSid, "AsyncAmdStatusCallback");
        return true;
    }

    /// <summary>A progress status callback, sent when its event was asked for.</summary>
    private Task StatusAsync(PlacedCall placed, LiveCall live, CallIdentity call, string callbackEvent, string status, IReadOnlyList<KeyValuePair<string, string>> extra) =>
        placed.StatusCallbackEvents.Contains(callbackEvent) ? FinalAsync(placed, live, call, status, extra) : Task.CompletedTask;

    /// <summary>A status callback to where the call's callbacks go now; the last one is sent whatever events were asked for.</summary>
    private async Task FinalAsync(PlacedCall placed, LiveCall live, CallIdentity call, string status, IReadOnlyList<KeyValuePair<string, string>> extra)
    {
        if (live.StatusCallback is not { } url)
        {
            return;
        }
        var form = call.VoiceParameters(status, "outbound-api");
        form.Add(new("CallbackSource", "call-progress-events"));
        form.Add(new("Timestamp", time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture)));
        form.AddRange(extra);
        await PostAsync(url, placed.StatusCallbackMethod, form, call.CallSid, $"status callback ({status})");
    }

    private async Task PostAsync(Uri url, HttpMethod method, IReadOnlyList<KeyValuePair<string, string>> form, string callSid, string what)
    {
        try
        {
            var response = await new TwilioHttpClient(http, authToken).SendAsync(url, method, form, CancellationToken.None);
            LogPosted(logger, callSid, what, response.StatusCode);
        }
        catch (TwilioCallException e)
        {
            LogPostFailed(logger, callSid, what, e.Detail);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_running.Values).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound call {CallSid} placed to {To}, who answers as {Callee}")]
    private static partial void LogPlaced(ILogger logger, string callSid, string to, CalleeKind callee);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Report}")]
    private static partial void LogEnded(ILogger logger, string report);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbound call {CallSid}: {What} → {Status}")]
    private static partial void LogPosted(ILogger logger, string callSid, string what, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound call {CallSid}: {What} failed: {Problem}")]
    private static partial void LogPostFailed(ILogger logger, string callSid, string what, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbound call {CallSid} failed in the stand-in")]
    private static partial void LogFailed(ILogger logger, Exception e, string callSid);
}
